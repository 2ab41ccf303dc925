"""Factories of organization life on the factories' street: meetings with attendance, an award scheme and round
of area A's sub-district with one indicator and one self-assessed criterion (weights 60 + 40), an entry of org A,
and workflow-walk subjects (a round and an entry straight in a given state)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gongzhi.orglife.models import (
    Attendance,
    AttendanceStatus,
    AwardEntry,
    AwardRound,
    AwardScheme,
    AwardTier,
    Criterion,
    CriterionSource,
    Indicator,
    Meeting,
    MeetingKind,
    SchemeKind,
)
from gongzhi.orglife.workflow import EntryState, RoundState
from tests import factories


def meeting(org, kind: str = MeetingKind.THEME_DAY, *, held_on: dt.date | None = None, present=(), leave=(),
            topic: str = "学习贯彻党的二十大精神", **kw) -> Meeting:
    m = Meeting.objects.create(org=org, kind=kind, held_on=held_on or timezone.localdate(), topic=topic, **kw)
    for member in present:
        Attendance.objects.create(meeting=m, member=member, status=AttendanceStatus.PRESENT)
    for member in leave:
        Attendance.objects.create(meeting=m, member=member, status=AttendanceStatus.LEAVE, leave_reason="出差")
    return m


def scheme(region, kind: str = SchemeKind.GOLD_SILVER, **kw) -> AwardScheme:
    n = factories.seq()
    kw.setdefault("name", "居民区党建工作金银奖" if kind == SchemeKind.GOLD_SILVER else "两新组织党建工作五星奖")
    return AwardScheme.objects.create(code=f"AW-{n}", kind=kind, region=region, **kw)


def award_round(street, state: str = RoundState.DRAFT, *, kind: str = SchemeKind.GOLD_SILVER, year: int | None = None,
                orgs=None) -> AwardRound:
    """A round of a scheme of the street's sub-district over one past year, with a 60-point indicator (demands
    handled on time), a 40-point self-assessed criterion, three tiers and an entry per org (default org A, B)."""
    year = year or timezone.localdate().year - 1
    s = scheme(street.subdistrict, kind)
    r = AwardRound.objects.create(scheme=s, number=7, name=f"第七轮{s.name}", period_start=dt.date(year, 1, 1),
                                  period_end=dt.date(year, 12, 31), state=state)
    Criterion.objects.create(round=r, name="诉求按时办结", weight=60, source=CriterionSource.INDICATOR,
                             indicator=Indicator.DEMANDS_ON_TIME, target=Decimal("0.95"), order=1)
    Criterion.objects.create(round=r, name="党员“四先”作用发挥", weight=40, source=CriterionSource.SELF, order=2)
    for name, score in (("金奖标兵", 90), ("金奖", 80), ("银奖", 70)):
        AwardTier.objects.create(round=r, name=name, min_score=Decimal(score))
    for org in orgs if orgs is not None else (street.org_a, street.org_b):
        AwardEntry.objects.create(round=r, org=org)
    return r


def round_in(street, state: str) -> AwardRound:
    return award_round(street, state)


def entry_in(street, state: str) -> AwardEntry:
    r = award_round(street, RoundState.ASSESSING, orgs=())
    return AwardEntry.objects.create(round=r, org=street.org_a, state=state)


__all__ = ["meeting", "meetings_excel_rows", "scheme", "award_round", "round_in", "entry_in", "EntryState", "RoundState"]


def meetings_excel_rows(street) -> Meeting:
    """One row of the meetings' Excel list (tests/core/test_excel.py): a theme day of org A with attendance."""
    return meeting(street.org_a, present=[street.member_a], topic="重温入党誓词")
__all__ = ["meeting", "scheme", "award_round", "round_in", "entry_in", "EntryState", "RoundState"]


def coverage_rows(street):
    """The coverage part's Excel lists: a counted two-new firm of area A without coverage (the uncovered list) and
    one with an instructor assigned (the instructors' list)."""
    from gongzhi.core.workflow import SYSTEM
    from gongzhi.orglife.services.coverage import assign_instructor

    factories.member_unit(street.grid_a1, name="樱桃文化传媒公司", headcount=60, is_two_new=True)
    unit = factories.member_unit(street.grid_a1, name="梧桐科技有限公司", headcount=120, is_two_new=True)
    return assign_instructor(unit, actor=SYSTEM, instructor="周指导", phone="13712345678",
                             assigned_on=timezone.localdate() - dt.timedelta(days=30))
