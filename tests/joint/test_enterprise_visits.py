"""Liaison visits (上门排摸): recording a visit with its field errors, the follow-up steps, the one-step demand (in
one transaction with its link), the pages, the API and the workbench card."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts import services as account_services
from gongzhi.accounts.roles import Role
from gongzhi.core.errors import Forbidden, ValidationFailed
from gongzhi.core.workbench import cards_for
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands.models import Channel, Demand, State
from gongzhi.joint.models import Visit
from gongzhi.joint.services import enterprise as services
from gongzhi.joint.workflow_enterprise import VisitAction, VisitState
from gongzhi.registry.models import BuildingKind, Liaison, RegionKind
from tests import factories
from tests.conftest import login

TODAY = timezone.localdate()


@pytest.fixture
def firm(street):
    tower = factories.building(street.grid_a1, name="梧桐大厦", kind=BuildingKind.OFFICE, is_key_building=True)
    return factories.member_unit(street.grid_a1, name="梧桐科技", building=tower, contact_name="陈经理",
                                 contact_phone="13912345678")


@pytest.fixture
def liaison_user(street, firm):
    user = factories.user("bliaison", Role.BUILDING_LIAISON, street.subdistrict, display_name="楼宇联络员")
    record = Liaison.objects.create(name="小李", region=street.subdistrict, user=user)
    record.buildings.add(firm.building)
    return user


def other_firm(street):
    sub_x = factories.region(RegionKind.SUBDISTRICT, street.district, name="外街道")
    return factories.member_unit(sub_x, name="外街道企业")


def record(actor, firm, **kw):
    kw.setdefault("visited_on", TODAY - timedelta(days=3))
    kw.setdefault("needs_found", "员工停车难")
    return services.record_visit(actor=actor, member_unit_id=firm.pk, **kw)


def test_a_liaison_records_a_visit_as_themself_and_its_log_starts(liaison_user, firm):
    visit = record(liaison_user, firm, follow_up="约好下周再访")
    assert (visit.liaison.name, visit.visited_by, visit.state) == ("小李", liaison_user, VisitState.OPEN)
    assert list(visit.transitions.values_list("action", "to_state")) == [("record", "open")]
    assert visit.history.count() == 1


def test_bad_visits_are_refused_with_field_errors(liaison_user, firm, street, people):
    with pytest.raises(ValidationFailed) as e:
        record(liaison_user, firm, visited_on=TODAY + timedelta(days=1))
    assert set(e.value.field_errors) == {"visited_on"}
    with pytest.raises(ValidationFailed) as e:
        record(liaison_user, other_firm(street))  # a firm of another sub-district
    assert set(e.value.field_errors) == {"member_unit"}
    foreign = Liaison.objects.create(name="外联络员", region=factories.region(RegionKind.SUBDISTRICT, street.district))
    with pytest.raises(ValidationFailed) as e:
        record(liaison_user, firm, liaison_id=foreign.pk)
    assert set(e.value.field_errors) == {"liaison"}
    with pytest.raises(Forbidden):  # an area secretary reads visits but does not record them
        record(people.insider, firm)
    assert not Visit.objects.exists()


def test_follow_up_steps_add_to_the_follow_up_and_reopening_needs_a_reason(liaison_user, firm, people):
    visit = record(liaison_user, firm)
    visit = services.transition_visit(visit, VisitAction.START, actor=liaison_user, note="已联系停车场")
    visit = services.transition_visit(visit, VisitAction.COMPLETE, actor=people.admin, note="错峰停车已落实")
    assert visit.state == VisitState.DONE and visit.follow_up == "已联系停车场\n错峰停车已落实"
    with pytest.raises(ValidationFailed):
        services.transition_visit(visit, VisitAction.REOPEN, actor=liaison_user)
    assert services.transition_visit(visit, VisitAction.REOPEN, actor=liaison_user, note="又有新问题").state == \
        VisitState.IN_PROGRESS
    with pytest.raises(Forbidden):  # joint.view only
        services.transition_visit(visit, VisitAction.COMPLETE, actor=people.insider)


def test_a_need_becomes_an_enterprise_demand_linked_to_the_visit(liaison_user, firm):
    visit = record(liaison_user, firm)
    demand = services.raise_demand(visit, actor=liaison_user, title="员工停车难", description="午高峰停车难")
    assert (demand.channel, demand.member_unit, demand.submitter_name) == (Channel.ENTERPRISE, firm, "陈经理")
    # routed like any enterprise demand: to the liaison of the firm's building
    assert (demand.state, demand.assignee) == (State.ASSIGNED, liaison_user)
    assert list(visit.demands.all()) == [demand]
    assert visit.transitions.filter(action="raise_demand", extra__demand=demand.pk).exists()


def test_a_refused_demand_leaves_nothing_behind(liaison_user, firm, street):
    bare = factories.member_unit(street.grid_a1, name="无电话企业", building=firm.building)
    visit = record(liaison_user, bare)
    with pytest.raises(ValidationFailed) as e:
        services.raise_demand(visit, actor=liaison_user, title="停车难", description="停车难")
    assert "submitter_phone" in e.value.field_errors
    assert not Demand.objects.exists() and not visit.demands.exists()
    assert list(visit.transitions.values_list("action", flat=True)) == ["record"]
    with pytest.raises(ValidationFailed):
        services.raise_demand(visit, actor=liaison_user, title="", description="")
    demand = services.raise_demand(visit, actor=liaison_user, title="停车难", description="停车难",
                                   contact_phone="13800001111")
    assert demand.submitter_phone == "13800001111"


def test_pages_list_filter_create_detail_and_demand(client, liaison_user, firm, people):
    login(client, liaison_user)
    page = client.get(reverse("joint:enterprise_visit_create"), {"member_unit": firm.pk})
    assert page.status_code == 200 and "梧桐科技" in page.content.decode()
    bad = client.post(reverse("joint:enterprise_visit_create"), {
        "member_unit": firm.pk, "visited_on": (TODAY + timedelta(days=2)).isoformat()})
    assert bad.status_code == 422 and 'id="row-visited_on"' in bad.content.decode()
    assert "has-error" in bad.content.decode().split('id="row-visited_on"')[0][-60:]
    done = client.post(reverse("joint:enterprise_visit_create"), {
        "member_unit": firm.pk, "visited_on": TODAY.isoformat(), "needs_found": "需要人才公寓信息"})
    visit = Visit.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("joint:enterprise_visit_detail", args=[visit.pk])
    record(liaison_user, firm, needs_found="消防培训", visited_on=TODAY - timedelta(days=40))
    listing = client.get(reverse("joint:enterprise_visit_list"), {"q": "人才"}).content.decode()
    assert "需要人才公寓" in listing and "消防培训" not in listing
    since = client.get(reverse("joint:enterprise_visit_list"), {"since": (TODAY - timedelta(days=5)).isoformat()})
    assert "消防培训" not in since.content.decode()
    detail = client.get(reverse("joint:enterprise_visit_detail", args=[visit.pk])).content.decode()
    assert "data-print" in detail and "demand-form" in detail
    raised = client.post(reverse("joint:enterprise_visit_demand", args=[visit.pk]),
                         {"title": "人才公寓", "description": "需要人才公寓信息", "priority": "normal"})
    assert raised.status_code == 302 and visit.demands.get().title == "人才公寓"
    client.force_login(people.insider)  # reads, but sees neither the form nor the steps
    detail = client.get(reverse("joint:enterprise_visit_detail", args=[visit.pk])).content.decode()
    assert "人才公寓" in detail and "demand-form" not in detail
    assert client.post(reverse("joint:enterprise_visit_demand", args=[visit.pk]),
                       {"title": "x", "description": "x", "priority": "normal"}).status_code == 403
    client.force_login(people.outsider)
    assert client.get(reverse("joint:enterprise_visit_detail", args=[visit.pk])).status_code == 404


def bearer(user) -> dict:
    _, key = account_services.issue_token(user, actor=SYSTEM, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_api_records_lists_and_refuses(client, liaison_user, firm, street, people):
    auth = bearer(liaison_user)
    url = "/api/v1/joint/enterprise/visits"
    made = client.post(url, {"member_unit_id": firm.pk, "visited_on": TODAY.isoformat(), "needs_found": "扩租"},
                       content_type="application/json", **auth)
    assert made.status_code == 201 and made.json()["liaison"] == "小李" and made.json()["state"] == "open"
    future = client.post(url, {"member_unit_id": firm.pk, "visited_on": (TODAY + timedelta(days=1)).isoformat()},
                         content_type="application/json", **auth)
    assert future.status_code == 422 and "visited_on" in str(future.json())
    outside = client.post(url, {"member_unit_id": other_firm(street).pk, "visited_on": TODAY.isoformat()},
                          content_type="application/json", **auth)
    assert outside.status_code == 422 and "member_unit" in str(outside.json())
    rows = client.get(url, {"q": "扩租"}, **bearer(people.insider)).json()["items"]
    assert [r["member_unit"] for r in rows] == ["梧桐科技"] and rows[0]["actions"] == []
    assert client.get(f"{url}/{rows[0]['id']}", **bearer(people.outsider)).status_code == 404
    assert client.get(url, **bearer(people.colleague)).status_code == 403


def test_the_card_lists_firms_not_visited_this_year(liaison_user, firm, street):
    later = factories.member_unit(street.grid_a1, name="梧桐咨询", building=firm.building)
    record(liaison_user, firm, visited_on=date(TODAY.year, 1, 1))
    found = {c["key"]: c for c in cards_for(liaison_user)}["joint.firms_not_visited"]
    texts = [i["text"] for i in found["items"]]
    assert "梧桐咨询" in texts and "梧桐科技" not in texts and later.name in texts


def test_a_demand_the_firm_made_already_is_linked_to_the_visit(liaison_user, firm, street):
    from gongzhi.demands.services import submit_demand

    own, _ = submit_demand(title="停车难", description="停车难", channel=Channel.ENTERPRISE, member_unit=firm,
                           submitter_phone="13912345678")
    other, _ = submit_demand(title="路灯", description="路灯坏了", channel=Channel.WEB, building=street.building_a1,
                             submitter_phone="13912345679")
    visit = record(liaison_user, firm)
    with pytest.raises(ValidationFailed) as e:
        services.link_demand(visit, actor=liaison_user, demand_id=other.pk)
    assert set(e.value.field_errors) == {"demand"}
    assert services.link_demand(visit, actor=liaison_user, demand_id=own.pk) == own
    assert list(visit.demands.all()) == [own] and visit.transitions.filter(action="link_demand").count() == 1
