"""Routing to the grid leader's queue, assignment, public claims by party members, returns and escalation."""

import pytest

from gongzhi.accounts.roles import Role
from gongzhi.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from gongzhi.demands import policies, selectors, services
from gongzhi.demands.models import Channel, Notification
from gongzhi.demands.workflow import State
from gongzhi.registry.models import (
    BuildingKind,
    Liaison,
    MemberUnitKind,
    ProfessionalTeam,
    ProfessionalTeamKind,
    RegionKind,
)
from tests import factories
from tests.demands.conftest import submit


def test_a_building_routes_to_its_grid_leaders_queue(street, people, django_capture_on_commit_callbacks):
    leader_b = factories.user("leaderb", Role.GRID_LEADER, street.grid_b1)
    with django_capture_on_commit_callbacks(execute=True):
        demand = submit(street)
    assert list(selectors.grid_queue(people.colleague)) == [demand]
    assert not selectors.grid_queue(leader_b).exists()
    assert Notification.objects.filter(user=people.colleague, demand=demand).exists()
    assert not Notification.objects.filter(user=leader_b).exists()


def test_the_grid_leader_assigns_and_the_assignee_resolves(street, people):
    handler = factories.user("handler", Role.GRID_LEADER, street.grid_a1)
    demand = services.assign_demand(submit(street), actor=people.colleague, assignee_id=handler.pk, note="请尽快")
    assert demand.state == State.ASSIGNED and demand.assignee == handler
    demand = services.claim_demand(demand, actor=handler)
    demand = services.start_demand(demand, actor=handler)
    demand = services.resolve_demand(demand, actor=handler, resolution="已更换灯泡")
    assert demand.state == State.RESOLVED and demand.resolution == "已更换灯泡"
    assert demand.first_response_at is not None
    assert [t.action for t in demand.transitions.all()] == ["submit", "assign", "claim", "start", "resolve"]
    assert [t.actor for t in demand.transitions.all()][1:] == [people.colleague, handler, handler, handler]


def test_only_people_who_handle_demands_can_be_assigned(street, people):
    with pytest.raises(ValidationFailed) as err:
        services.assign_demand(submit(street), actor=people.colleague, assignee_id=people.resident.pk)
    assert "assignee" in err.value.field_errors


def test_assigning_to_a_professional_team_of_the_sub_district(street, people):
    team = ProfessionalTeam.objects.create(name="城管中队", kind=ProfessionalTeamKind.URBAN_MANAGEMENT,
                                           region=street.subdistrict)
    other_sub = factories.region(RegionKind.SUBDISTRICT, street.district)
    foreign = ProfessionalTeam.objects.create(name="外街道城管", kind=ProfessionalTeamKind.URBAN_MANAGEMENT,
                                              region=other_sub)
    demand = submit(street)
    with pytest.raises(ValidationFailed):
        services.assign_demand(demand, actor=people.colleague, team_id=foreign.pk)
    demand = services.assign_demand(demand, actor=people.colleague, team_id=team.pk)
    assert demand.team == team and demand.assignee is None


def test_an_outsider_cannot_assign_or_see(street, people):
    demand = submit(street)
    with pytest.raises(NotFound):
        services.assign_demand(demand, actor=people.outsider, assignee_id=people.outsider.pk)
    with pytest.raises(NotFound):
        services.start_demand(demand, actor=people.outsider)


def member_user(street, grid, org):
    user = factories.user(role=Role.PARTY_MEMBER, region_=grid)
    factories.party_member(org, user=user, grid=grid)
    return user


def test_a_party_member_claims_an_item_of_their_grid_publicly(street):
    member_a = member_user(street, street.grid_a1, street.org_a)
    member_b = member_user(street, street.grid_b1, street.org_b)
    demand = submit(street)
    assert list(selectors.claim_board(member_a)) == [demand]
    assert not selectors.claim_board(member_b).exists()
    with pytest.raises(NotFound):
        services.claim_demand(demand, actor=member_b, promise="我来")
    with pytest.raises(ValidationFailed) as err:
        services.claim_demand(demand, actor=member_a)
    assert "promise" in err.value.field_errors
    demand = services.claim_demand(demand, actor=member_a, promise="三天内联系物业修好")
    assert demand.state == State.CLAIMED and demand.claimed_by == member_a
    assert demand.promise == "三天内联系物业修好"
    assert not selectors.claim_board(member_a).exists()
    # The claimer works on it without any staff capability, and sees it in their queue.
    demand = services.start_demand(demand, actor=member_a)
    assert list(selectors.demands_for(member_a)) == [demand]


def test_a_member_cannot_claim_an_item_already_assigned(street, people):
    member_a = member_user(street, street.grid_a1, street.org_a)
    demand = services.assign_demand(submit(street), actor=people.colleague, assignee_id=people.colleague.pk)
    with pytest.raises(InvalidTransition):
        services.claim_demand(demand, actor=member_a, promise="我来")


def test_a_wrongly_routed_demand_is_returned_and_re_routed(street, people):
    demand = services.assign_demand(submit(street), actor=people.colleague, assignee_id=people.colleague.pk)
    with pytest.raises(ValidationFailed):
        services.return_demand(demand, actor=people.colleague, reason="")
    demand = services.return_demand(demand, actor=people.colleague, reason="不属于本网格")
    assert demand.state == State.RETURNED and demand.assignee is None
    demand = services.route_demand(demand, actor=people.insider, grid_id=street.grid_a2.pk)
    leader_a2 = factories.user("leadera2", Role.GRID_LEADER, street.grid_a2)
    demand = services.assign_demand(demand, actor=leader_a2, assignee_id=leader_a2.pk)
    assert (demand.state, demand.grid) == (State.ASSIGNED, street.grid_a2)
    assert demand.transitions.filter(action="return").get().note == "不属于本网格"


def test_escalation_climbs_area_and_sub_district_and_only_a_leader_refers_it_to_a_joint_meeting(street, people):
    viewer = factories.user("districtviewer", Role.DISTRICT_VIEWER, street.district)
    demand = submit(street)
    demand = services.escalate_demand(demand, actor=people.colleague, note="需要居民区协调")
    assert (demand.state, demand.escalation_level, demand.region) == (State.ESCALATED, 1, street.area_a)
    demand = services.escalate_demand(demand, actor=people.insider)
    assert (demand.escalation_level, demand.region) == (2, street.subdistrict)
    # the sub-district is the top of the ladder: nobody escalates it further, the sub-district leader included
    assert "escalate" not in policies.actions(people.admin, demand)
    with pytest.raises(InvalidTransition):
        services.escalate_demand(demand, actor=people.admin, note="提交联席会议")
    assert not selectors.joint_meeting_agenda(people.admin).exists()
    # an area secretary who sees it may not refer it: only a sub-district leader does, with the reason
    with pytest.raises(Forbidden):
        services.refer_demand(demand, actor=people.insider, note="提交联席会议")
    with pytest.raises(NotFound):
        services.refer_demand(demand, actor=people.outsider, note="提交联席会议")
    with pytest.raises(ValidationFailed):
        services.refer_demand(demand, actor=people.admin, note="")
    demand = services.refer_demand(demand, actor=people.admin, note="涉及区级多个部门职责")
    assert (demand.state, demand.escalation_level, demand.region) == (State.ESCALATED, 3, street.subdistrict)
    assert demand.transitions.filter(action="refer").get().actor == people.admin
    assert list(selectors.joint_meeting_agenda(people.admin)) == [demand]
    assert list(selectors.joint_meeting_agenda(viewer)) == [demand]
    assert not selectors.joint_meeting_agenda(people.outsider).exists()
    with pytest.raises(InvalidTransition):
        services.refer_demand(demand, actor=people.admin, note="再次提交")
    # The joint meeting's decision hands it to a district department, whose staff claim and resolve it.
    department = factories.member_unit(street.district, name="区市场监管局", kind=MemberUnitKind.GOVERNMENT_DEPARTMENT)
    clerk = factories.user("deptclerk", Role.DISTRICT_DEPARTMENT, unit=department)
    assert not selectors.visible_demands(clerk).filter(pk=demand.pk).exists()
    demand = services.hand_to_unit(demand, actor=people.admin, unit=department, note="联席会议决议：区市场监管局牵头")
    assert (demand.state, demand.handling_unit) == (State.ASSIGNED, department)
    assert selectors.visible_demands(clerk).filter(pk=demand.pk).exists()
    demand = services.claim_demand(demand, actor=clerk)
    demand = services.start_demand(demand, actor=clerk)
    assert services.resolve_demand(demand, actor=clerk, resolution="已联合执法整治").state == State.RESOLVED


def test_an_enterprise_demand_goes_liaison_chief_leaders_joint_meeting(street, people):
    tower = factories.building(street.grid_a1, name="梧桐大厦", kind=BuildingKind.OFFICE)
    unit = factories.member_unit(street.grid_a1, name="梧桐科技", building=tower)
    chief_user = factories.user("chief", Role.BUILDING_LIAISON, street.subdistrict)
    liaison_user = factories.user("liaison", Role.BUILDING_LIAISON, street.subdistrict)
    chief = Liaison.objects.create(name="首席", region=street.subdistrict, is_chief=True, user=chief_user)
    liaison = Liaison.objects.create(name="联络员", region=street.subdistrict, chief=chief, user=liaison_user)
    liaison.buildings.add(tower)
    unit_contact = factories.user("unitcontact", Role.UNIT_LIAISON, unit=unit)

    demand = submit(street, channel=Channel.ENTERPRISE, member_unit=unit, title="员工停车难")
    assert (demand.state, demand.assignee, demand.escalation_level) == (State.ASSIGNED, liaison_user, 0)
    assert list(selectors.demands_for(unit_contact)) == [demand]  # the firm sees its own demand
    demand = services.escalate_demand(demand, actor=liaison_user, note="需首席协调")
    assert (demand.escalation_level, demand.assignee) == (1, chief_user)
    demand = services.claim_demand(demand, actor=chief_user)
    demand = services.escalate_demand(demand, actor=chief_user, note="提请街道领导")
    assert (demand.escalation_level, demand.region, demand.assignee) == (2, street.subdistrict, None)
    with pytest.raises(InvalidTransition):  # the firm's problem goes higher only by a leader's referral
        services.escalate_demand(demand, actor=people.admin, note="提交联席会议")
    demand = services.refer_demand(demand, actor=people.admin, note="需区级部门协调")
    assert demand.escalation_level == 3
    assert demand in selectors.joint_meeting_agenda(people.admin)
    assert [t.escalation_level for t in demand.transitions.filter(action__in=["escalate", "refer"])] == [1, 2, 3]
