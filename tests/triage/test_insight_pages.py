"""Hot issues and the yearly top-10 concerns, scoped to the user's region nodes; the trend chart drawn as SVG."""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from gongzhi.demands import services as demand_services
from tests.conftest import login
from tests.triage.conftest import SHANGHAI, category, submit

LIFT = [("1号楼电梯停运", "电梯又坏了，老人下不了楼"), ("1号楼电梯故障", "电梯坏了停运三天，老人下楼困难"),
        ("电梯停运", "1号楼电梯停运，老人下不了楼，请尽快修"), ("1号楼电梯坏了", "电梯故障停运，老人下楼难")]
OTHERS = [("垃圾桶满了", "垃圾房没人清运，气味很大"), ("路灯不亮", "小区门口路灯坏了晚上很黑"),
          ("停车难", "外来车辆占用车位"), ("树枝挡窗", "楼前大树需要修剪"), ("噪音扰民", "楼下餐馆油烟噪声很大"),
          ("井盖松动", "路口井盖松动有响声"), ("流浪猫", "楼道里流浪猫太多"), ("健身器材坏了", "小花园的健身器材损坏")]


def test_the_hot_issues_page_shows_the_cluster(client, street, people):
    now = timezone.now()
    lift = [submit(street, t, d, now=now - timedelta(days=i + 1)) for i, (t, d) in enumerate(LIFT)]
    demand_services.add_support(lift[0], verified_phone="13900000001")
    for i, (t, d) in enumerate(OTHERS):
        submit(street, t, d, building=street.building_b1 if i % 2 else street.building_a1,
               now=now - timedelta(days=i + 2))
    submit(street, *LIFT[0], now=now - timedelta(days=200))  # outside the 90-day period
    response = login(client, people.admin).get(reverse("triage:hot_issues"),
                                               {"region": street.subdistrict.pk, "days": 90})
    top = response.context["rows"][0]
    assert top.rank == 1 and top.count == 4 and top.likes == 1
    assert {d.pk for d in top.demands} == {d.pk for d in lift}
    assert top.place == "梧桐1号楼"
    html = response.content.decode()
    assert all(reverse("demands:detail", args=[d.pk]) in html for d in lift)
    # Area B's secretary mines area B only, and cannot pick area A.
    other = login(client, people.outsider).get(reverse("triage:hot_issues"), {"days": 90})
    assert all(d.building_id == street.building_b1.pk for r in other.context["rows"] for d in r.demands)
    assert client.get(reverse("triage:hot_issues"), {"region": street.area_a.pk}).status_code == 404


def _seed_year(street, year, counts):
    for code, n in counts.items():
        for i in range(n):
            submit(street, f"{code} {i}", "说明", category=category(code),
                   now=datetime(year, 1 + i % 12, 10, 10, tzinfo=SHANGHAI))


def test_the_top_ten_of_a_grid(client, street, people):
    _seed_year(street, 2025, {"street_lights": 4, "parking": 3, "sorting_points": 2, "stray_cats": 1})
    _seed_year(street, 2024, {"parking": 3, "manholes": 1})  # 公共设施 via its leaf 井盖
    submit(street, "别的网格", "说明", category=category("parking"), building=street.building_b1,
           now=datetime(2025, 5, 1, tzinfo=SHANGHAI))  # grid B1: not counted for grid A1
    response = login(client, people.insider).get(reverse("triage:top_concerns"),
                                                 {"region": street.grid_a1.pk, "year": 2025})
    result = response.context["result"]
    got = {c.category: (c.rank, c.count, round(c.share, 3), c.previous_rank, round(c.share_change, 3), c.rank_change)
           for c in result.concerns}
    assert got == {
        "公共设施": (1, 4, 0.4, 2, 0.15, 1),
        "停车交通": (2, 3, 0.3, 1, -0.45, -1),
        "垃圾分类": (3, 2, 0.2, None, 0.2, None),
        "流浪动物": (4, 1, 0.1, None, 0.1, None),
    }
    assert result.total == 10
    html = response.content.decode()
    assert "40.0%" in html and "+15.0" in html and "-45.0" in html and "↑1" in html and "↓1" in html
    lights = next(s for s in result.trend["series"] if s["name"] == "公共设施")
    assert lights["counts"][:4] == [1, 1, 1, 1] and sum(lights["counts"]) == 4
    assert "<svg" in html and "<script" not in html.split("<main", 1)[1] and "cdn" not in html.lower()
    assert "2025年1月" in html and "2025年12月" in html and "2025-01" not in html  # Chinese months, the whole year
    # The sub-district counts grid B1 too; an outsider cannot open grid A1.
    admin = login(client, people.admin).get(reverse("triage:top_concerns"),
                                            {"region": street.subdistrict.pk, "year": 2025})
    assert {c.category: c.count for c in admin.context["result"].concerns}["停车交通"] == 4
    assert login(client, people.outsider).get(reverse("triage:top_concerns"),
                                              {"region": street.grid_a1.pk}).status_code == 404


def test_the_trend_of_this_year_stops_at_the_last_finished_month(client, street, people):
    """Issue 11, new-user item 13: the chart plotted the unfinished current month as 0, labelled its months in
    English (plotly read "2026-03" as a date), and needed plotly.min.js (4.8 MB, uncompressed). It is an SVG drawn
    on the server now: no script at all, months in Chinese, only finished months."""
    today = timezone.localdate()
    for month in range(1, today.month + 1):
        submit(street, "路灯不亮", "说明", category=category("street_lights"),
               now=datetime(today.year, month, 1, 10, tzinfo=SHANGHAI))
    response = login(client, people.insider).get(reverse("triage:top_concerns"), {"region": street.grid_a1.pk})
    result = response.context["result"]
    assert result.year == today.year and result.trend["partial"]
    assert len(result.trend["months"]) == today.month - 1  # finished months only: none drawn as a false 0
    assert all(c == 1 for s in result.trend["series"] for c in s["counts"])
    html = response.content.decode()
    this_month = f"{today.year}年{today.month}月"
    assert this_month not in html.split("<main", 1)[1]
    if today.month > 1:
        assert f"{today.year}年1月" in html and html.count('<g class="series"') == 1
    for english in ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"):
        assert english not in html.split("<main", 1)[1]
    assert "plotly" not in html and "<script" not in html.split("<main", 1)[1]


def test_a_hot_issue_goes_on_the_need_list_with_its_demands(client, street, people):
    """双向认领 from hot issues: the area secretary raises a need prefilled from a hot issue's demands."""
    from django.urls import reverse

    from gongzhi.matching.forms import NeedForm
    from gongzhi.matching.models import NeedSource
    from tests.triage.conftest import submit

    mine = [submit(street, "3号楼电梯停运", "电梯停了"), submit(street, "电梯又停", "3号楼电梯停运")]
    theirs = submit(street, "石库门垃圾", "垃圾没人收", building=street.building_b1)
    params = {"source": NeedSource.HOT_ISSUE, "title": "3号楼电梯停运", "place": str(street.area_a.pk),
              "demands": ",".join(str(d.pk) for d in [*mine, theirs])}
    initial = NeedForm.initial_from(params, people.insider)
    assert initial["source"] == NeedSource.HOT_ISSUE and initial["place"] == street.area_a.pk
    assert {d.pk for d in initial["demands"]} == {d.pk for d in mine}  # nothing outside her scope
    assert initial["beneficiaries"] == 2
    assert NeedForm.initial_from({"title": "x"}, people.insider) == {}  # only from a hot issue
    client.force_login(people.insider)
    page = client.get(reverse("matching:need_create"), params)
    assert page.status_code == 200 and "3号楼电梯停运" in page.content.decode()


def test_the_hot_issues_page_offers_the_need_list_to_managers_only(client, street, people):
    from django.urls import reverse

    from tests.triage.conftest import submit

    for i in range(4):
        submit(street, "3号楼电梯停运", f"3号楼电梯停运第{i}天，老人上下楼困难")
    url = reverse("triage:hot_issues")
    client.force_login(people.insider)
    assert "raise-need" in client.get(url, {"region": street.area_a.pk, "days": 30}).content.decode()
    client.force_login(people.colleague)  # a grid leader sees hot issues but does not run the matching lists
    page = client.get(url, {"region": street.grid_a1.pk, "days": 30}).content.decode()
    assert "3号楼电梯停运" in page and "raise-need" not in page


FUMES = [("饭店油烟扰民", "楼下饭店油烟很大，窗户都不能开"), ("楼下饭店油烟", "饭店油烟扰民，窗户不能开"),
         ("饭店油烟太大", "楼下饭店的油烟熏得窗户不能开"), ("油烟扰民", "楼下饭店油烟很大")]
EXHAUST = [("餐馆排风扇噪声", "餐馆排风扇整夜轰鸣，气味刺鼻"), ("排风扇轰鸣", "餐馆的排风扇整夜轰鸣"),
           ("餐馆排风扇太响", "排风扇轰鸣整夜，气味刺鼻"), ("排风扇气味刺鼻", "餐馆排风扇气味刺鼻还轰鸣")]


def test_one_problem_at_one_place_is_one_hot_issue(street, people):
    """Issue 11, new-user item 12: fumes at one building showed as #1 and #5. Two wordings of one problem (the
    same category) at one building are one entry; the same problem at another building stays apart."""
    from gongzhi.triage import selectors

    now = timezone.now()
    fumes = category("cooking_fumes")
    made = [submit(street, t, d, category=fumes, now=now - timedelta(days=i + 1))
            for i, (t, d) in enumerate(FUMES + EXHAUST)]
    elsewhere = [submit(street, t, d, category=fumes, building=street.building_b1, now=now - timedelta(days=i + 1))
                 for i, (t, d) in enumerate(FUMES[:3])]
    rows = selectors.hot_issues(people.admin, street.subdistrict, 90, now=now)
    keys = [(r.place, r.demands[0].category_id) for r in rows]
    assert len(keys) == len(set(keys)), [(r.place, r.title, r.count) for r in rows]
    here = next(r for r in rows if r.place == "梧桐1号楼")
    assert {d.pk for d in here.demands} == {d.pk for d in made} and here.count == 8 and here.rank == 1
    there = next(r for r in rows if r.place == street.building_b1.name)
    assert {d.pk for d in there.demands} == {d.pk for d in elsewhere}

