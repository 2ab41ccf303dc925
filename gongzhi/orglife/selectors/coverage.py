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

    @property
    def organized_pct(self) -> str:
        return percent(self.organized_share)

    @property
    def instructed_pct(self) -> str:
        return percent(self.instructed_share)


def percent(share: float | None) -> str:
    """A share as the pages show it ("87.5%"; "—" without counted units)."""
    return "—" if share is None else f"{share * 100:.1f}%"


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


def coverage_share(region, start: dt.date | None = None, end: dt.date | None = None, *,
                   work: bool = False) -> tuple[int, int]:
    """The awards' "coverage" indicator: (covered, counted) of `region`'s counted units on the period's `end`
    (today when None; `start` is taken for the indicators' common signature and not used: coverage is a state on
    a date, not a flow over the period). Organizational coverage, or work coverage (an instructor) with `work`."""
    c = coverage_of(region, end)
    return (c.instructed if work else c.organized), c.counted


# --- dates of the trend -------------------------------------------------------------------------------------------

def month_ends(today: dt.date, n: int = 12) -> list[dt.date]:
    """The last `n` month-ends on or before `today`, oldest first."""
    first = today.replace(day=1)
    last_day = (first.replace(month=first.month % 12 + 1, year=first.year + first.month // 12)
                - dt.timedelta(days=1))
    end = today if today == last_day else first - dt.timedelta(days=1)
    out = []
    for _i in range(n):
        out.append(end)
        end = end.replace(day=1) - dt.timedelta(days=1)
    return out[::-1]


def year_ends(today: dt.date, n: int = 3) -> list[dt.date]:
    """The last `n` year-ends before `today`, oldest first."""
    return [dt.date(today.year - k, 12, 31) for k in range(n, 0, -1)]


def trend(region, today: dt.date | None = None) -> list[tuple[dt.date, Coverage]]:
    """Coverage of `region` on each of the last 3 year-ends and 12 month-ends (each date once), oldest first."""
    today = today or timezone.localdate()
    dates = sorted(set(year_ends(today)) | set(month_ends(today)))
    return [(d, coverage_of(region, d)) for d in dates]


# --- the pages' reads (scoped by the user) --------------------------------------------------------------------------

SEARCH_MAX = 40
MISSING = ("org", "work")


def _policies():
    from gongzhi.orglife.policies import coverage as policies

    return policies


def regions_for(user) -> QuerySet:
    """The regions whose coverage the user may open: the district and sub-districts in their ``orglife.view``
    scope, and the roots of that scope (an area secretary's residential area)."""
    from gongzhi.accounts.scope import scope_for, scoped
    from gongzhi.registry.models import Region, RegionKind

    policies = _policies()
    scope = scope_for(user, policies.VIEW)
    levels = scoped(user, Region, policies.VIEW).filter(kind__in=(RegionKind.DISTRICT, RegionKind.SUBDISTRICT))
    roots = Region.objects.filter(path__in=scope.region_paths)
    return (levels | roots).distinct().order_by("depth", "code")


def region_for(user, code: str | None):
    """The region the page shows: `code` when the user may open it (NotFound otherwise), else the broadest one
    they may open (None when there is none)."""
    from gongzhi.core.errors import NotFound

    policies = _policies()
    policies.require_view(user)
    regions = regions_for(user)
    if code:
        found = regions.filter(code=str(code)[:40]).first()
        if found is None:
            raise NotFound(_not_found())
        return found
    return regions.first()


def _not_found() -> str:
    from django.utils.translation import gettext

    return gettext("Not found.")


def sub_rows(region) -> list[tuple]:
    """A district's sub-districts with their coverage today: [(sub-district, Coverage)]."""
    from gongzhi.registry.models import RegionKind

    if region is None or region.kind != RegionKind.DISTRICT:
        return []
    subs = region.children.filter(kind=RegionKind.SUBDISTRICT).order_by("code")
    return [(s, coverage_of(s)) for s in subs]


def filter_uncovered(qs: QuerySet, params) -> QuerySet:
    """?q= (a unit's name or code) ?missing=org|work"""
    if q := (params.get("q") or "").strip()[:SEARCH_MAX]:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    missing = (params.get("missing") or "").strip()
    if missing == "org":
        qs = qs.filter(organized=False)
    elif missing == "work":
        qs = qs.filter(instructed=False)
    return qs


def uncovered_units(region, at: dt.date | None = None) -> QuerySet:
    """`region`'s counted units lacking organizational or work coverage on `at`, annotated as `annotate_coverage`."""
    return annotate_coverage(counted_units(region), at).filter(Q(organized=False) | Q(instructed=False))


def uncovered_rows(user, params) -> QuerySet:
    """The uncovered list of the region `params["region"]` (a code; the user's broadest region by default) as the
    page, the export and the API show it."""
    from gongzhi.accounts.scope import scoped

    policies = _policies()
    region = region_for(user, params.get("region"))
    if region is None:
        return MemberUnit.objects.none()
    qs = scoped(user, uncovered_units(region), policies.VIEW)
    return filter_uncovered(qs, params).select_related("region").order_by("region__path", "code")


def summary(user, code: str | None = None) -> dict:
    """The coverage page's figures: the region, its coverage today, its sub-districts' rows (a district), the
    regions the user may choose and the trend."""
    region = region_for(user, code)
    return {"region": region, "coverage": coverage_of(region) if region else None,
            "rows": sub_rows(region), "regions": list(regions_for(user)),
            "trend": trend(region) if region else []}


def joint_coverage_for(user) -> QuerySet:
    from gongzhi.accounts.scope import scoped

    return scoped(user, JointCoverage.objects.select_related("unit__region", "joint_org"), _policies().VIEW)


def instructors_for(user) -> QuerySet:
    from gongzhi.accounts.scope import scoped

    return scoped(user, InstructorAssignment.objects.select_related("unit__region", "instructor_member"),
                  _policies().VIEW)


def _state_filter(qs, params, end_field: str):
    today = timezone.localdate()
    state = (params.get("state") or "").strip()
    running = Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": today})
    if state == "current":
        qs = qs.filter(running)
    elif state == "ended":
        qs = qs.exclude(running)
    if q := (params.get("q") or "").strip()[:SEARCH_MAX]:
        extra = Q(instructor__icontains=q) if end_field == "ended_on" else Q(joint_org__name__icontains=q)
        qs = qs.filter(Q(unit__name__icontains=q) | Q(unit__code__icontains=q) | extra)
    return qs


def joint_rows(user, params) -> QuerySet:
    """?q= (unit or committee) ?state=current|ended"""
    return _state_filter(joint_coverage_for(user), params, "until").order_by("unit__code", "-since", "pk")


def instructor_rows(user, params) -> QuerySet:
    """?q= (unit or instructor's name) ?state=current|ended"""
    return _state_filter(instructors_for(user), params, "ended_on").order_by("unit__code", "-assigned_on", "pk")


def _forbidden() -> str:
    from django.utils.translation import gettext

    return gettext("You do not have permission to do this.")


def joint_coverage(user, pk) -> JointCoverage:
    """A joint coverage row the user sees: Forbidden without the right at all, NotFound outside the scope."""
    _policies().require_view(user)
    return _one_of(joint_coverage_for(user), pk)


def instructor(user, pk) -> InstructorAssignment:
    """An instructor assignment the user sees: Forbidden without the right at all, NotFound outside the scope."""
    _policies().require_view(user)
    return _one_of(instructors_for(user), pk)


def _one_of(qs: QuerySet, pk):
    from gongzhi.core.errors import NotFound

    found = qs.filter(pk=pk).first() if str(pk).isdigit() and len(str(pk)) < 19 else None
    if found is None:
        raise NotFound(_not_found())
    return found


def units_to_cover(user) -> QuerySet:
    """The two-new units the user manages (the forms offer them)."""
    from gongzhi.accounts.scope import scoped

    return scoped(user, MemberUnit.objects.filter(is_two_new=True), _policies().MANAGE).order_by("code")


def joint_committees_for(user) -> QuerySet:
    """The 联合党委 the user manages."""
    from gongzhi.accounts.scope import scoped
    from gongzhi.registry.models import PartyOrgKind

    return scoped(user, PartyOrg.objects.filter(kind=PartyOrgKind.JOINT_COMMITTEE), _policies().MANAGE).order_by(
        "code")


def members_for(user) -> QuerySet:
    """The party members the user may name as an instructor."""
    from gongzhi.accounts.scope import scoped
    from gongzhi.registry.models import PartyMember

    return scoped(user, PartyMember.objects.select_related("organization"), _policies().MANAGE).order_by(
        "name", "pk")


# --- the workbench card -------------------------------------------------------------------------------------------

CARD_ITEMS = 5


def uncovered_card(user) -> dict | None:
    """Counted two-new units of the user's broadest region not yet organizationally covered."""
    from django.urls import reverse

    policies = _policies()
    if not policies.sees_any(user):
        return None
    region = regions_for(user).first()
    if region is None:
        return None
    from gongzhi.accounts.scope import scoped

    qs = scoped(user, uncovered_units(region), policies.VIEW).filter(organized=False).order_by("-headcount", "code")
    count = qs.count()
    c = coverage_of(region)
    share = c.organized_share
    return {"count": count, "url": reverse("orglife:coverage") + f"?region={region.code}&missing=org",
            "tone": "normal" if count else "quiet",
            "note": f"{c.organized}/{c.counted}" if c.counted else "",
            "display": percent(share) if count else None,
            "items": [{"text": u.name, "url": reverse("registry:memberunit_detail", args=[u.pk]), "value": u.headcount}
                      for u in qs[:CARD_ITEMS]]}
