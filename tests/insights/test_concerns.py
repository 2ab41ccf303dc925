from gongzhi.insights.concerns import ancestors, top_concerns

PARENTS = {"street": None, "area-a": "street", "area-b": "street", "grid-a1": "area-a"}


def rows():
    out = []
    out += [("grid-a1", 2024, "环境")] * 6 + [("area-a", 2024, "交通")] * 3 + [("area-b", 2024, "教育")] * 1
    out += [("area-a", 2023, "交通")] * 5 + [("grid-a1", 2023, "环境")] * 2 + [("area-b", 2023, "教育")] * 3
    out += [("grid-a1", 2024, f"类别{i}") for i in range(10)]
    return out


def test_top_concerns_of_a_node_include_its_descendants_with_share_rank_and_change():
    result = top_concerns(rows(), "area-a", 2024, PARENTS)
    assert len(result) == 10
    first, second = result[0], result[1]
    assert (first.category, first.count, first.rank) == ("环境", 6, 1)
    assert abs(first.share - 6 / 19) < 1e-9
    assert first.previous_rank == 2 and first.rank_change == 1
    assert abs(first.share_change - (6 / 19 - 2 / 7)) < 1e-9
    assert (second.category, second.rank, second.previous_rank, second.rank_change) == ("交通", 2, 1, -1)
    assert all(c.category != "教育" for c in result)  # area-b is not under area-a
    assert result[2].previous_rank is None and result[2].rank_change is None


def test_the_root_counts_everything_and_the_limit_applies():
    result = top_concerns(rows(), "street", 2024, PARENTS, limit=3)
    assert [c.category for c in result] == ["环境", "交通", "教育"]
    assert sum(c.count for c in top_concerns(rows(), "street", 2024, PARENTS, limit=100)) == 20
    assert ancestors("grid-a1", PARENTS) == ["grid-a1", "area-a", "street"]
    assert top_concerns(rows(), "street", 2030, PARENTS) == []
