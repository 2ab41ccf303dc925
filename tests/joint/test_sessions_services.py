"""The sessions part's services: planning pulls in the waiting referred demands, the agenda keeps to the platform's
region, one sign-in each, decisions need an owner unit and a deadline and hand a referred demand to the owner
unit, whose resolution of it completes the decision; reminders once a day."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands import services as demand_services
from gongzhi.demands.models import Notification
from gongzhi.demands.workflow import State
from gongzhi.joint.models import AgendaKind
from gongzhi.joint.services import sessions as services
from gongzhi.joint.workflow import DecisionState, SessionState
from gongzhi.matching.models import Campaign, Need
from tests import factories
from tests.joint import sessions_world as w


def test_a_referred_demand_waits_for_the_next_session_and_joins_it_when_planned(street, people):
    platform = w.platform(street)
    demand = w.subdistrict_demand(street, people)
    item = services.refer_to_platform(demand, actor=people.admin, platform_id=platform.pk, note="需区级部门协调")
    assert item.session is None and item.kind == AgendaKind.DEMAND
    demand.refresh_from_db()
    assert demand.escalation_level == 3
    session = w.planned(platform, people.admin)
    item.refresh_from_db()
    assert item.session == session
    # a later referral goes straight onto that session's agenda
    other = w.subdistrict_demand(street, people)
    assert services.refer_to_platform(other, actor=people.admin, platform_id=platform.pk,
                                      note="涉及多个部门").session == session


def test_only_a_sub_district_leader_refers(street, people):
    platform = w.platform(street)
    demand = w.subdistrict_demand(street, people)
    with pytest.raises(NotFound):  # area B's secretary does not even see it
        services.refer_to_platform(demand, actor=people.outsider, platform_id=platform.pk, note="x")
    with pytest.raises(Forbidden):  # the grid leader sees it (its grid) but may not refer it
        services.refer_to_platform(demand, actor=people.colleague, platform_id=platform.pk, note="x")
    with pytest.raises(ValidationFailed) as e:
        services.refer_to_platform(demand, actor=people.admin, platform_id=platform.pk, note="")
    assert "note" in e.value.field_errors
    demand.refresh_from_db()
    assert demand.escalation_level == 2 and not demand.agenda_items.exists()


def test_a_referral_by_an_area_secretary_is_forbidden(street, people):
    platform = w.platform(street)
    demand, _ = demand_services.submit_demand(title="积水", description="积水", channel="web",
                                              building=street.building_a1, submitter_phone="13912345678")
    with pytest.raises(Forbidden):  # sees the demand, may not refer it
        services.refer_to_platform(demand, actor=people.insider, platform_id=platform.pk, note="请联席会议")


def test_plan_needs_title_time_and_place_and_the_manage_right(street, people):
    platform = w.platform(street)
    with pytest.raises(ValidationFailed) as e:
        services.plan_session(platform, actor=people.admin, title="", starts_at=None, place=" ")
    assert set(e.value.field_errors) == {"title", "starts_at", "place"}
    with pytest.raises(ValidationFailed):  # area A's secretary does not see the sub-district's platform
        w.planned(platform, people.insider)
    with pytest.raises(Forbidden):  # the district viewer sees it, manages nothing
        w.planned(platform, factories.user("viewer", Role.DISTRICT_VIEWER, street.district))


def test_an_agenda_item_out_of_the_platform_s_region_is_a_field_error(street, people):
    platform = w.platform(street)
    session = w.planned(platform, people.admin)
    other_sub = factories.region("subdistrict", street.district, name="别的街道")
    other_area = factories.region("residential_area", other_sub, name="别的居民区")
    today = timezone.localdate()
    campaign = Campaign.objects.create(name="双向认领", year=today.year, subdistrict=other_sub, starts_on=today,
                                       ends_on=today + timedelta(days=90))
    need = Need.objects.create(code="N-X", campaign=campaign, title="别处的需求", category="elderly", place=other_area,
                               starts_on=today, ends_on=today + timedelta(days=30))
    with pytest.raises(ValidationFailed) as e:
        services.add_agenda_item(session, actor=people.admin, kind=AgendaKind.NEED, need=need.pk)
    assert "need" in e.value.field_errors
    home = Campaign.objects.create(name="本街道认领", year=today.year, subdistrict=street.subdistrict, starts_on=today,
                                   ends_on=today + timedelta(days=90))
    ours = Need.objects.create(code="N-A", campaign=home, title="老人助餐", category="elderly", place=street.area_a,
                               starts_on=today, ends_on=today + timedelta(days=30))
    item = services.add_agenda_item(session, actor=people.admin, kind=AgendaKind.NEED, need=ours.pk)
    assert (item.need, item.title, item.session) == (ours, "老人助餐", session)
    with pytest.raises(ValidationFailed) as e:
        services.add_agenda_item(session, actor=people.admin, kind=AgendaKind.FREE, title="")
    assert "title" in e.value.field_errors


def test_each_unit_signs_in_once(street, people):
    session = w.planned(w.platform(street), people.admin)
    services.sign_in(session, actor=people.admin, member_unit=street.unit_a.pk, person_name="院长")
    with pytest.raises(ValidationFailed) as e:
        services.sign_in(session, actor=people.admin, member_unit=street.unit_a.pk, person_name="副院长")
    assert "member_unit" in e.value.field_errors
    services.sign_in(session, actor=people.admin, area=street.area_a.pk)
    services.sign_in(session, actor=people.admin, person_name="区人大代表")
    with pytest.raises(ValidationFailed):
        services.sign_in(session, actor=people.admin, area=street.grid_a1.pk)  # a grid is not an area
    assert session.attendances.count() == 3


def test_a_decision_needs_an_owner_unit_and_a_deadline(street, people):
    session = w.planned(w.platform(street), people.admin)
    services.hold_session(session, actor=people.admin)
    with pytest.raises(ValidationFailed) as e:
        services.record_decision(session, actor=people.admin, text="联合整治", owner_unit=None, deadline=None)
    assert set(e.value.field_errors) == {"owner_unit", "deadline"}
    outsider_unit = factories.member_unit(factories.region("subdistrict", street.district, name="别街道"),
                                          name="别街道单位")
    with pytest.raises(ValidationFailed) as e:
        services.record_decision(session, actor=people.admin, text="联合整治", owner_unit=outsider_unit.pk,
                                 deadline=timezone.localdate() + timedelta(days=30))
    assert "owner_unit" in e.value.field_errors


def test_decisions_only_on_a_held_session(street, people):
    session = w.planned(w.platform(street), people.admin)
    with pytest.raises(Conflict):
        services.record_decision(session, actor=people.admin, text="x", owner_unit=street.unit_a.pk,
                                 deadline=timezone.localdate())


def test_a_decision_hands_the_demand_over_and_its_resolution_completes_the_decision(
        street, people, django_capture_on_commit_callbacks):
    platform = w.platform(street)
    session = w.planned(platform, people.admin)
    demand = w.subdistrict_demand(street, people)
    item = services.refer_to_platform(demand, actor=people.admin, platform_id=platform.pk, note="需区级部门协调")
    services.hold_session(session, actor=people.admin)
    unit = w.department(street)
    clerk = w.clerk(unit)
    decision = services.record_decision(session, actor=people.admin, text="区市容局牵头整治", owner_unit=unit.pk,
                                        deadline=timezone.localdate() + timedelta(days=30), agenda_item=item.pk)
    demand.refresh_from_db()
    assert (demand.handling_unit, demand.state) == (unit, State.ASSIGNED)
    with pytest.raises(Conflict):  # done by the demand's resolution, not by hand
        services.complete_decision(decision, actor=people.admin, outcome="已办")
    demand = demand_services.claim_demand(demand, actor=clerk)
    services.start_decision(decision, actor=clerk)
    demand = demand_services.start_demand(demand, actor=clerk)
    with django_capture_on_commit_callbacks(execute=True):  # the after-commit job runs the receivers
        demand_services.resolve_demand(demand, actor=clerk, resolution="已联合执法清理摊贩")
    decision.refresh_from_db()
    assert decision.state == DecisionState.DONE and decision.outcome == "已联合执法清理摊贩"
    assert list(decision.transitions.values_list("action", flat=True)) == ["decide", "start", "complete"]


def test_the_owner_unit_completes_an_ordinary_decision_the_others_may_not(street, people):
    session = w.planned(w.platform(street), people.admin)
    services.hold_session(session, actor=people.admin)
    unit = w.department(street)
    decision = services.record_decision(session, actor=people.admin, text="制定工作方案", owner_unit=unit.pk,
                                        deadline=timezone.localdate() + timedelta(days=10))
    stranger = w.clerk(w.department(street, "区民政局"), username="other")
    with pytest.raises(NotFound):
        services.complete_decision(decision, actor=stranger, outcome="x")
    with pytest.raises(ValidationFailed):
        services.complete_decision(decision, actor=w.clerk(unit), outcome="")
    with pytest.raises(Forbidden):  # the owner unit may not cancel
        services.cancel_decision(decision, actor=unit.pk and w.clerk(unit, username="clerk2"), reason="不做了")
    done = services.complete_decision(decision, actor=w.clerk(unit, username="clerk3"), outcome="方案已印发")
    assert (done.state, done.outcome) == (DecisionState.DONE, "方案已印发")


def test_cancelling_a_session_puts_its_items_back_on_the_platform(street, people):
    platform = w.platform(street)
    session = w.planned(platform, people.admin)
    item = services.refer_to_platform(w.subdistrict_demand(street, people), actor=people.admin,
                                      platform_id=platform.pk, note="需协调")
    assert item.session == session
    with pytest.raises(ValidationFailed):
        services.cancel_session(session, actor=people.admin, reason="")
    services.cancel_session(session, actor=people.admin, reason="台风")
    item.refresh_from_db()
    assert item.session is None
    assert w.planned(platform, people.admin, days=14).agenda_items.get() == item


def test_minutes_are_written_then_published(street, people):
    session = w.planned(w.platform(street), people.admin)
    with pytest.raises(Conflict):
        services.save_minutes(session, actor=people.admin, minutes="x")
    services.hold_session(session, actor=people.admin)
    with pytest.raises(ValidationFailed):
        services.publish_minutes(session, actor=people.admin)
    services.save_minutes(session, actor=people.admin, minutes="会议议定三项事项")
    done = services.publish_minutes(session, actor=people.admin)
    assert (done.state, done.minutes) == (SessionState.MINUTED, "会议议定三项事项")


def test_due_decisions_are_reminded_once_a_day(street, people, django_capture_on_commit_callbacks):
    session = w.planned(w.platform(street), people.admin)
    services.hold_session(session, actor=people.admin)
    unit = w.department(street)
    clerk = w.clerk(unit)
    today = timezone.localdate()
    due = services.record_decision(session, actor=people.admin, text="清理摊贩", owner_unit=unit.pk,
                                   deadline=today + timedelta(days=2))
    services.record_decision(session, actor=people.admin, text="远期规划", owner_unit=unit.pk,
                             deadline=today + timedelta(days=60))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_due_decisions(today=today) == [due.pk]
    assert services.notify_due_decisions(today=today) == []  # once a day
    assert {n.user for n in Notification.objects.filter(link__contains=f"/decisions/{due.pk}/")} == {
        clerk, people.admin}
    assert services.notify_due_decisions(today=today + timedelta(days=1)) == [due.pk]
    services.complete_decision(due, actor=clerk, outcome="已清理")
    assert services.notify_due_decisions(today=today + timedelta(days=2)) == []


def test_the_notify_command_runs(street, people):
    from io import StringIO

    from django.core.management import call_command

    session = w.planned(w.platform(street), people.admin)
    services.hold_session(session, actor=people.admin)
    services.record_decision(session, actor=SYSTEM, text="清理摊贩", owner_unit=street.unit_a.pk,
                             deadline=timezone.localdate())
    out = StringIO()
    call_command("notify_due_decisions", stdout=out)
    assert out.getvalue().startswith("1 ")
