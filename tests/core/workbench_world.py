"""A street with work waiting for each persona, and the same kinds of work out of their scope (area B), for the
workbench tests (unit and browser). Objects are written directly (not through services): each is put in the
state a card looks for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from gongzhi.accounts.models import User
from gongzhi.accounts.roles import Role
from gongzhi.demands.models import Channel, Demand, Extension, Notification
from gongzhi.demands.workflow import State
from gongzhi.matching.models import Initiator, Project, Resource
from tests import factories
from tests.matching.conftest import make_world

PHONE = "13912345678"


def demand(grid, state=State.SUBMITTED, days_ago: int = 10, **kw) -> Demand:
    n = factories.seq()
    kw.setdefault("title", f"诉求{n}")
    kw.setdefault("region", grid)
    return Demand.objects.create(
        tracking_code=f"GZT{n:09d}", description="测试诉求", channel=Channel.WEB, source="test", grid=grid,
        state=state, submitter_phone=PHONE,
        created_at=timezone.now() - timedelta(days=days_ago), **kw)


@dataclass
class Work:
    street: object
    people: object
    member: User  # a party member serving grid A1
    liaison: User  # the liaison of unit A (the hospital)
    assigned: Demand  # grid A1, assigned to the grid leader
    overdue: Demand  # grid A1, assigned to area A's secretary, past its deadline
    reopened: Demand  # grid A1, reopened by an unsatisfied review
    board: Demand  # grid A1, new today: on the claim board
    claimed: Demand  # grid A1, claimed by the party member
    own: Demand  # filed by the resident's account
    extension: Extension  # on `assigned`, waiting for an approver
    community_claim: Project  # area A claimed unit A's resource: waits for unit A's liaison
    provider_claim: Project  # unit A claimed area A's need: waits for area A's staff
    outside: dict  # the same kinds of work in area B


def build() -> Work:
    s = factories.street()
    p = factories.personas(s)
    today = timezone.localdate()
    member = factories.user("member", Role.PARTY_MEMBER, s.grid_a1, display_name="张梧桐")
    s.member_a.user, s.member_a.grid = member, s.grid_a1
    s.member_a.save()

    a1 = s.grid_a1
    assigned = demand(a1, State.ASSIGNED, title="楼道灯坏了", assignee=p.colleague, due_on=today + timedelta(days=3))
    overdue = demand(a1, State.ASSIGNED, title="垃圾箱满溢", assignee=p.insider, due_on=today - timedelta(days=2),
                     is_overdue=True)
    reopened = demand(a1, State.REOPENED, title="漏水没修好", reopen_count=1, due_on=today + timedelta(days=2))
    board = demand(a1, State.SUBMITTED, days_ago=0, title="小区门口路面塌陷")
    claimed = demand(a1, State.CLAIMED, title="独居老人需要探访", claimed_by=member, promise="本周内上门")
    own = demand(a1, State.ASSIGNED, title="电梯异响", submitter_user=p.resident, assignee=p.insider,
                 due_on=today + timedelta(days=4))
    # resolved in the last 90 days: one on time (satisfied), one late (unsatisfied)
    resolved = timezone.now() - timedelta(days=10)
    demand(a1, State.REVIEWED, days_ago=20, due_on=today - timedelta(days=5), resolved_at=resolved, satisfaction=5)
    demand(a1, State.REVIEWED, days_ago=40, due_on=today - timedelta(days=20), resolved_at=resolved, satisfaction=2)
    # long ago: outside the 90 days
    demand(a1, State.CLOSED, days_ago=200, due_on=today - timedelta(days=190),
           resolved_at=timezone.now() - timedelta(days=150), satisfaction=1)
    extension = Extension.objects.create(demand=assigned, days=5, reason="需要协调物业", requested_by=p.colleague)

    b1 = s.grid_b1
    b_overdue = demand(b1, State.ASSIGNED, title="石库门超期", assignee=p.outsider, due_on=today - timedelta(days=1),
                       is_overdue=True)
    outside = {
        "overdue": b_overdue,
        "reopened": demand(b1, State.REOPENED, title="石库门重办", reopen_count=1),
        "board": demand(b1, State.SUBMITTED, days_ago=0, title="石库门新诉求"),
        "late": demand(b1, State.REVIEWED, days_ago=30, due_on=today - timedelta(days=25), resolved_at=resolved,
                       satisfaction=1),
        "extension": Extension.objects.create(demand=b_overdue, days=3, reason="石库门延期", requested_by=p.outsider),
        "submitted_by_other": demand(b1, State.ASSIGNED, title="别人的诉求",
                                     submitter_user=factories.user("other_resident", Role.RESIDENT, b1)),
    }

    w = make_world(s)  # its liaison is unit A's
    community_claim = Project.objects.create(need=w.need_a, resource=w.resource, campaign=w.campaign,
                                             title="义诊进梧桐", initiated_by=Initiator.COMMUNITY)
    provider_claim = Project.objects.create(need=w.need_a, resource=w.resource, campaign=w.campaign,
                                            title="医院认领梧桐义诊", initiated_by=Initiator.PROVIDER)
    school = Resource.objects.create(
        code="R-B", campaign=w.campaign, title="石库门小学操场开放", category="venue", provider_unit=s.unit_b,
        capacity=5, unit="sessions", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    school.regions.set([s.subdistrict])
    outside["community_claim"] = Project.objects.create(need=w.need_b, resource=school, campaign=w.campaign,
                                                        title="操场开放给石库门", initiated_by=Initiator.COMMUNITY)
    outside["provider_claim"] = Project.objects.create(need=w.need_b, resource=w.resource, campaign=w.campaign,
                                                       title="医院认领石库门义诊", initiated_by=Initiator.PROVIDER)
    return Work(s, p, member, w.liaison, assigned, overdue, reopened, board, claimed, own, extension,
                community_claim, provider_claim, outside)


def notify(user, n: int, read: int = 0) -> None:
    for i in range(n + read):
        Notification.objects.create(user=user, text=f"消息{i}", read_at=timezone.now() if i >= n else None)
