"""The sessions part's demo seeder on the factories' street: two years of quarterly sessions with sign-ins,
published minutes and decisions owned by units (most done, the recent ones open), the next session planned, three
district departments with a demo account, and the sub-district leader's referrals of the open sub-district-level
enterprise demands, handed to a district department by a decision or waiting on the next session's agenda."""

import random
from datetime import timedelta

from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.demands import services as demand_services
from gongzhi.demands.models import Demand
from gongzhi.demo import SeedContext
from gongzhi.demo.joint import sessions as demo
from gongzhi.joint.models import AgendaItem, Decision, Session
from gongzhi.joint.workflow import DecisionState, SessionState
from gongzhi.registry.models import MemberUnitKind
from tests import factories
from tests.joint import sessions_world as w


def test_two_years_of_sessions_with_decisions_and_the_leader_s_referrals(street, people):
    firm = w.firm(street)
    now = timezone.now()
    demands = []
    for i in range(4):  # each taken up to the sub-district by the liaison and the chief liaison within days
        start = now - timedelta(days=200 + 30 * i)
        demand = w.enterprise_demand(street, firm.unit, now=start, title=f"企业诉求{i}")
        demand = demand_services.escalate_demand(demand, actor=firm.liaison, note="需首席协调",
                                                 now=start + timedelta(days=2))
        demand = demand_services.claim_demand(demand, actor=firm.chief, now=start + timedelta(days=3))
        demands.append(demand_services.escalate_demand(demand, actor=firm.chief, note="提请街道领导",
                                                       now=start + timedelta(days=4)))
    assert all(Demand.objects.get(pk=d.pk).escalation_level == 2 for d in demands)
    units = [street.unit_a, street.unit_b] + [factories.member_unit(street.grid_a1, name=f"共建单位{i}",
                                                                    in_joint_meeting=True) for i in range(10)]
    ctx = SeedContext(rng=random.Random(3), district=street.district, subdistrict=street.subdistrict,
                      areas=[street.area_a, street.area_b], units=units, users={"street": people.admin})
    demo.seed(ctx)

    sessions = list(Session.objects.order_by("starts_at"))
    assert len(sessions) == demo.QUARTERS + 1
    past, upcoming = sessions[:-1], sessions[-1]
    assert all(s.state == SessionState.MINUTED and s.minutes and s.attendances.count() >= 8 for s in past)
    assert (sessions[-2].starts_at - sessions[0].starts_at).days > 600  # two years
    assert upcoming.state == SessionState.PLANNED and upcoming.starts_at > now
    decisions = Decision.objects.all()
    done = decisions.filter(state=DecisionState.DONE).count()
    open_ = decisions.filter(state__in=[DecisionState.OPEN, DecisionState.IN_PROGRESS]).count()
    assert done > decisions.count() / 2 and open_ > 0

    departments = list(ctx.users["department1"].role_assignments.values_list("role", "member_unit__kind"))
    assert departments == [(Role.DISTRICT_DEPARTMENT, MemberUnitKind.GOVERNMENT_DEPARTMENT)]
    referred = AgendaItem.objects.filter(demand__isnull=False)
    assert referred.count() == 4
    assert all(Demand.objects.get(pk=d.pk).escalation_level == 3 for d in demands)
    handed = Demand.objects.filter(handling_unit__kind=MemberUnitKind.GOVERNMENT_DEPARTMENT,
                                   handling_unit__region=street.district)
    assert handed.exists()
    for item in referred.select_related("session"):  # each joined the first session after its referral
        referral = item.demand.transitions.get(action="refer").created_at
        assert item.session.starts_at >= referral
