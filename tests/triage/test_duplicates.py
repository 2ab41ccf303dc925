"""Duplicate suggestions on the demand page (an htmx fragment) and the merge they lead to (confirmed first)."""

from django.urls import reverse

from gongzhi.demands.workflow import State
from tests.conftest import login
from tests.triage.conftest import submit

HTMX = {"HTTP_HX_REQUEST": "true"}


def _demands(street):
    original = submit(street, "3号楼电梯停运", "3号楼电梯从昨天起停运，老人上下楼很困难")
    other_place = submit(street, "电梯停运", "电梯从昨天起停运，老人上下楼很困难", building=street.building_b1)
    unrelated = submit(street, "垃圾桶满了", "垃圾房的垃圾桶满了没人清运")
    copy = submit(street, "3号楼电梯又停了", "3号楼电梯从昨天开始停运，老人上下楼困难")
    return original, other_place, unrelated, copy


def test_the_fragment_ranks_the_near_copy_first(client, street, people):
    original, other_place, unrelated, copy = _demands(street)
    response = login(client, people.admin).get(reverse("triage:demand_duplicates", args=[copy.pk]), **HTMX)
    rows = response.context["rows"]
    assert rows[0].demand == original and rows[0].score > 0.7
    assert unrelated not in [r.demand for r in rows]
    if other_place in [r.demand for r in rows]:  # same text elsewhere ranks below the same place
        assert next(r for r in rows if r.demand == other_place).score < rows[0].score
    html = response.content.decode()
    assert original.tracking_code in html
    merge = reverse("demands:act", args=[copy.pk, "merge"])  # the button leads to the confirmed merge
    assert f'action="{merge}"' in html and f'value="{original.tracking_code}"' in html


def test_merging_into_the_suggestion_asks_first(client, street, people):
    original, _other, _unrelated, copy = _demands(street)
    url = reverse("demands:act", args=[copy.pk, "merge"])
    response = login(client, people.insider).post(url, {"tracking_code": original.tracking_code})
    assert response.status_code == 200 and 'id="merge-confirm"' in response.content.decode()
    copy.refresh_from_db()
    assert copy.state == State.SUBMITTED  # nothing happens before the confirmation
    response = client.post(url, {"tracking_code": original.tracking_code, "confirmed": "1"}, follow=True)
    copy.refresh_from_db()
    assert copy.state == State.MERGED and copy.merged_into == original
    html = client.get(reverse("triage:demand_duplicates", args=[copy.pk]), **HTMX).content.decode()
    assert original.tracking_code in html and "<form" not in html
    assert original.followers.filter(from_demand=copy).exists()


def test_outsiders_get_not_found(client, street, people):
    original, _other, _unrelated, copy = _demands(street)
    login(client, people.outsider)
    assert client.get(reverse("triage:demand_duplicates", args=[copy.pk])).status_code == 404
    merge = reverse("demands:act", args=[copy.pk, "merge"])
    assert client.post(merge, {"tracking_code": original.tracking_code, "confirmed": "1"}).status_code == 404
    copy.refresh_from_db()
    assert copy.state == State.SUBMITTED
    # Demands of area B are never offered to area A's secretary as duplicates.
    b_copy = submit(street, "3号楼电梯停运", "3号楼电梯从昨天起停运，老人上下楼很困难", building=street.building_b1)
    rows = login(client, people.insider).get(reverse("triage:demand_duplicates", args=[copy.pk])).context["rows"]
    assert b_copy not in [r.demand for r in rows]


def test_a_reader_without_dispatch_rights_sees_no_merge_button(client, street, people, django_user_model):
    from gongzhi.accounts.roles import Role
    from tests import factories

    viewer = factories.user("viewer", Role.DISTRICT_VIEWER, street.district)
    _original, _other, _unrelated, copy = _demands(street)
    html = login(client, viewer).get(reverse("triage:demand_duplicates", args=[copy.pk])).content.decode()
    assert "duplicate" in html and "<form" not in html


def test_duplicates_are_stored_at_intake(street, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        original = submit(street, "3号楼电梯停运", "3号楼电梯从昨天起停运，老人上下楼很困难")
        copy = submit(street, "3号楼电梯又停了", "3号楼电梯从昨天开始停运，老人上下楼困难")
    assert copy.classification.duplicates[0]["demand"] == original.pk
    assert original.classification.duplicates == []


def test_the_same_problem_elsewhere_is_not_a_duplicate(street):
    """Duplicates are the same problem at the same place: identical text 500 m away is another lamp, 100 m away
    (or in the same building) it is the same one."""
    from gongzhi.triage.services import DUPLICATE_RADIUS_M, near_duplicates
    from tests import factories

    grid = street.building_a1.region
    here = factories.building(grid, name="梧桐5号楼", latitude="31.200000", longitude="121.450000")
    near = factories.building(grid, name="梧桐6号楼", latitude="31.200900", longitude="121.450000")  # 100 m
    far = factories.building(grid, name="梧桐9号楼", latitude="31.204500", longitude="121.450000")  # 500 m
    assert DUPLICATE_RADIUS_M < 500
    text = ("路灯坏了", "小区门口的路灯坏了一个多星期，晚上很黑")
    same_building = submit(street, *text, building=here)
    nearby = submit(street, *text, building=near)
    elsewhere = submit(street, *text, building=far)
    new = submit(street, *text, building=here)
    from gongzhi.demands.models import Demand

    found = [m.id for m in near_duplicates(new, Demand.objects.all())]
    assert same_building.pk in found and nearby.pk in found
    assert elsewhere.pk not in found
