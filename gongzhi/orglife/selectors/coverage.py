"""Organization life: the coverage part's selectors (reads, scoped by the user).

The coverage rule lives here, once (seed 002: firms with 50 or more staff and social organizations with 30 or more
must have party organizations). A unit *counts* when it is a two-new unit of one of `THRESHOLDS`' kinds with at
least that headcount. On a date it is *organizationally covered* when it has its own party organization (founded
by then, or with no founding date) or a 联合党委 takes it in (`JointCoverage` running then), and *work-covered*
when a 党建指导员 is assigned then (`InstructorAssignment`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from gongzhi.orglife.models import InstructorAssignment, JointCoverage
from gongzhi.registry.models import MemberUnit, MemberUnitKind, PartyOrg

# Kind -> the headcount from which a two-new unit must be covered.
THRESHOLDS: dict[str, int] = {MemberUnitKind.ENTERPRISE: 50, MemberUnitKind.SOCIAL_ORGANIZATION: 30}


@dataclass(frozen=True)
class Coverage:
    counted: int
    organized: int
    instructed: int

    @property
    def organized_share(self) -> float | None:
        return self.organized / self.counted if self.counted else None

    @property
    def instructed_share(self) -> float | None:
        return self.instructed / self.counted if self.counted else None


def counted_units(region=None) -> QuerySet:
    """The two-new units that must be covered (in `region`'s subtree when given)."""
    q = Q()
    for kind, headcount in THRESHOLDS.items():
        q |= Q(kind=kind, headcount__gte=headcount)
    qs = MemberUnit.objects.filter(q, is_two_new=True)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    return qs


def annotate_coverage(qs: QuerySet, at: dt.date | None = None) -> QuerySet:
    """Units annotated with `own_org`, `joint`, `organized` and `instructed` (booleans) on `at`."""
    at = at or timezone.localdate()
    own = PartyOrg.objects.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=at), member_unit=OuterRef("pk"))
    joint = JointCoverage.objects.filter(Q(until__isnull=True) | Q(until__gte=at), unit=OuterRef("pk"), since__lte=at)
    instructed = InstructorAssignment.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=at),
                                                     unit=OuterRef("pk"), assigned_on__lte=at)
    return qs.annotate(own_org=Exists(own), joint=Exists(joint), instructed=Exists(instructed)).annotate(
        organized=Q(own_org=True) | Q(joint=True))


def coverage_of(region=None, at: dt.date | None = None) -> Coverage:
    """The coverage counts of `region`'s subtree (everything when None) on `at` (today by default)."""
    rows = annotate_coverage(counted_units(region), at).values_list("organized", "instructed")
    counted = organized = instructed = 0
    for org_ok, instr_ok in rows:
        counted += 1
        organized += bool(org_ok)
        instructed += bool(instr_ok)
    return Coverage(counted, organized, instructed)
