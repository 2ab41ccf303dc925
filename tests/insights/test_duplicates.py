from gongzhi.insights.duplicates import find_duplicates, haversine_m

NEW = "魅力之城小区门口烧烤摊油烟很大，晚上噪音扰民"


def test_the_near_copy_at_the_same_place_ranks_first():
    items = [
        (1, "丽发新城小区旁边搅拌站灰尘很大", "丽发新城小区", None, None),
        (2, "魅力之城小区门口烧烤摊油烟很大，夜里噪音扰民！", "魅力之城小区", None, None),
        (3, "魅力之城小区门口烧烤摊油烟很大，夜里噪音扰民", "阳光花园", None, None),
        (4, "魅力之城小区电梯经常坏", "魅力之城小区", None, None),
    ]
    ranked = find_duplicates(NEW, items, place="魅力之城小区")
    assert [m.id for m in ranked][:2] == [2, 3]
    first = ranked[0]
    assert first.place_score == 1.0 and first.text_score > 0.6
    assert first.score > ranked[1].score
    assert ranked[-1].id == 1


def test_coordinates_count_when_there_is_no_place_name():
    items = [
        ("far", NEW, None, 31.30, 121.60),
        ("near", NEW, None, 31.2305, 121.4740),
    ]
    ranked = find_duplicates(NEW, items, lat=31.2304, lon=121.4737)
    assert ranked[0].id == "near" and ranked[0].place_score > 0.9 > ranked[1].place_score
    assert 5000 < haversine_m(31.2304, 121.4737, 31.30, 121.60) < 20000


def test_without_a_place_the_score_is_the_text_score():
    ranked = find_duplicates(NEW, [(1, NEW, "x", None, None), (2, "社保转移", None, None, None)])
    assert ranked[0].id == 1 and ranked[0].score == ranked[0].text_score
    assert find_duplicates(NEW, []) == []
