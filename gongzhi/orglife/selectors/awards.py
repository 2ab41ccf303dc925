"""Organization life: the awards part's reads.

**Indicators.** `INDICATORS` maps every `Indicator` code to a function ``(org, start, end) -> IndicatorValue`` (the
value, its display text, numerator and denominator where it is a share or a ratio, and the link to the page listing
the records it counted). Each indicator reads the other apps through their own selectors and definitions:

* the scope of an organization (`scope_of`): a residential-area organization (no member unit) answers for its
  region's subtree (the residential area: its grids' demands, grid topics, micro-items, autonomy projects and
  two-new units); the organization of a member unit (a two-new firm or social organization) answers for the work
  of its unit: the demands the unit handled (``Demand.member_unit``), and for region-bound work (grid topics,
  micro-items, coverage) the region where the unit sits; its autonomy projects are those of the residential area
  around the unit (the calls it may join);
* demands on time and satisfaction: `gongzhi.demands.selectors.resolution_numbers` (the performance card's one
  definition: resolved by the deadline or with none; satisfied = a review of 4 or 5) over the demands resolved in
  the period;
* grid topics done: the scope's grid topics of the period's years that are closed (of all published or closed);
  micro-items done: those done in the period;
* meetings held against required: `gongzhi.orglife.selectors.meetings.meetings_rate`;
* autonomy projects completed: the funds' proposals completed (the step to "completed") in the period;
* volunteering hours per member: the hours ledger of the organization's members (the organization and the
  branches under it) served in the period, over the member count;
* coverage: `gongzhi.orglife.selectors.coverage.coverage_of(region, at=end)`, the organized share.

**Scores.** An indicator criterion earns ``weight × min(value / target, 1)`` points (target 1 for a share when
none is given); a self-assessed one the mean of the reviewers' points (each 0..weight). `breakdown(entry)` is live
until the round is published; then the entry's frozen breakdown is read instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.errors import NotFound
from gongzhi.orglife.models import (
    AwardEntry,
    AwardRound,
    AwardScheme,
    Criterion,
    CriterionSource,
    Evidence,
    Indicator,
    Meeting,
    Reviewer,
    ReviewScore,
    SchemeKind,
)
from gongzhi.orglife.policies import awards as policies
from gongzhi.orglife.workflow import EntryState, RoundState
from gongzhi.registry.models import PartyMember, PartyOrg, PartyOrgKind, Region, RegionKind

C = policies
TWO = Decimal("0.01")
SHARES = {Indicator.DEMANDS_ON_TIME, Indicator.DEMANDS_SATISFACTION, Indicator.MEETINGS_HELD, Indicator.COVERAGE}


def q2(value) -> Decimal:
    return Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class IndicatorValue:
    value: Decimal | None  # None: nothing to measure (no demand resolved, no meeting required …)
    display: str
    numerator: Decimal | int | None = None
    denominator: Decimal | int | None = None
    source_url: str = ""


# --- The scope of an organization ----------------------------------------------------------------------------

def scope_of(org: PartyOrg) -> tuple[Region, object]:
    """(region, unit): the region whose work the organization answers for, and its member unit (None for a
    residential-area organization). See the module docstring."""
    unit = org.member_unit if org.member_unit_id else None
    region = unit.region if unit is not None else org.region
    return region, unit


def area_of(region: Region) -> Region:
    """The residential area at or above `region` (the region itself above that level)."""
    node = region
    while node is not None and node.kind == RegionKind.GRID:
        node = node.parent
    return node or region


def org_subtree_ids(org: PartyOrg) -> list[int]:
    """The organization and every organization under it."""
    ids, frontier = [org.pk], [org.pk]
    while frontier:
        frontier = list(PartyOrg.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids += frontier
    return ids


def source_url(code: str, org: PartyOrg, start: dt.date, end: dt.date) -> str:
    return reverse("orglife:award_source", args=[org.pk]) + "?" + urlencode(
        {"indicator": code, "from": start.isoformat(), "to": end.isoformat()})


def _share(code, org, start, end, num: int, den: int) -> IndicatorValue:
    url = source_url(code, org, start, end)
    if not den:
        return IndicatorValue(None, _("nothing to measure"), num, den, url)
    value = Decimal(num) / Decimal(den)
    return IndicatorValue(value.quantize(Decimal("0.0001")), f"{num}/{den} = {value * 100:.1f}%", num, den, url)


def _count(code, org, start, end, num: int, den: int | None = None) -> IndicatorValue:
    display = f"{num}" if den is None else _("%(n)s of %(total)s") % {"n": num, "total": den}
    return IndicatorValue(Decimal(num), display, num, den, source_url(code, org, start, end))


# --- The records behind each indicator (the source page) ------------------------------------------------------

def demand_records(org, start, end) -> QuerySet:
    from gongzhi.demands.selectors import resolved_between

    region, unit = scope_of(org)
    return resolved_between(start, end, region=None if unit else region, unit=unit).order_by("resolved_at")


def grid_topic_records(org, start, end) -> QuerySet:
    from gongzhi.deliberation.models import GridTopic
    from gongzhi.deliberation.workflows_grid import GridTopicState

    region, _unit = scope_of(org)
    return (GridTopic.objects.filter(grid__path__startswith=region.path, year__gte=start.year, year__lte=end.year)
            .exclude(state=GridTopicState.DRAFT).select_related("grid").order_by("year", "grid__path", "title"))


def micro_item_records(org, start, end) -> QuerySet:
    from gongzhi.deliberation.models import MicroItem
    from gongzhi.deliberation.workflows_grid import MicroItemState

    region, _unit = scope_of(org)
    return (MicroItem.objects.filter(grid_topic__grid__path__startswith=region.path, state=MicroItemState.DONE,
                                     done_at__date__gte=start, done_at__date__lte=end)
            .select_related("grid_topic").order_by("done_at"))


def project_records(org, start, end) -> QuerySet:
    from gongzhi.funds.models import Proposal, ProposalTransition
    from gongzhi.funds.workflow import ProposalState

    region, unit = scope_of(org)
    if unit is not None:
        region = area_of(region)
    done = ProposalTransition.objects.filter(proposal=OuterRef("pk"), to_state=ProposalState.COMPLETED,
                                             created_at__date__gte=start, created_at__date__lte=end)
    return (Proposal.objects.filter(Exists(done), state=ProposalState.COMPLETED,
                                    call__fund__region__path__startswith=region.path)
            .select_related("call").order_by("ends_on", "title"))


def meeting_records(org, start, end) -> QuerySet:
    return Meeting.objects.filter(org=org, held_on__gte=start, held_on__lte=end).order_by("held_on")


def member_records(org, start, end) -> QuerySet:
    return PartyMember.objects.filter(organization_id__in=org_subtree_ids(org)).order_by("name")


def unit_records(org, start, end) -> QuerySet:
    from gongzhi.orglife.selectors.coverage import annotate_coverage, counted_units

    region, _unit = scope_of(org)
    return annotate_coverage(counted_units(region), end).order_by("name")


# --- Indicators ------------------------------------------------------------------------------------------------

def demands_on_time(org, start, end) -> IndicatorValue:
    from gongzhi.demands.selectors import resolution_numbers

    n = resolution_numbers(demand_records(org, start, end))
    return _share(Indicator.DEMANDS_ON_TIME, org, start, end, n["on_time"], n["resolved"])


def demands_satisfaction(org, start, end) -> IndicatorValue:
    from gongzhi.demands.selectors import resolution_numbers

    n = resolution_numbers(demand_records(org, start, end))
    return _share(Indicator.DEMANDS_SATISFACTION, org, start, end, n["satisfied"], n["reviews"])


def grid_topics_done(org, start, end) -> IndicatorValue:
    from gongzhi.deliberation.workflows_grid import GridTopicState

    qs = grid_topic_records(org, start, end)
    return _count(Indicator.GRID_TOPICS_DONE, org, start, end, qs.filter(state=GridTopicState.CLOSED).count(),
                  qs.count())


def micro_items_done(org, start, end) -> IndicatorValue:
    return _count(Indicator.MICRO_ITEMS_DONE, org, start, end, micro_item_records(org, start, end).count())


def meetings_held(org, start, end) -> IndicatorValue:
    from gongzhi.orglife.selectors.meetings import meetings_rate

    met, required = meetings_rate(org, start, end)
    return _share(Indicator.MEETINGS_HELD, org, start, end, met, required)


def autonomy_projects(org, start, end) -> IndicatorValue:
    return _count(Indicator.AUTONOMY_PROJECTS, org, start, end, project_records(org, start, end).count())


def volunteer_hours(org, start, end) -> IndicatorValue:
    from gongzhi.volunteering.selectors.volunteers import hours_of_members

    members = member_records(org, start, end)
    count = members.count()
    hours = hours_of_members(members, start, end)
    url = source_url(Indicator.VOLUNTEER_HOURS, org, start, end)
    if not count:
        return IndicatorValue(None, _("no members"), hours, 0, url)
    value = (hours / count).quantize(TWO)
    return IndicatorValue(value, _("%(hours)s h / %(n)s members = %(value)s h") % {
        "hours": hours, "n": count, "value": value}, hours, count, url)


def coverage(org, start, end) -> IndicatorValue:
    from gongzhi.orglife.selectors.coverage import coverage_of

    region, _unit = scope_of(org)
    c = coverage_of(region, at=end)
    return _share(Indicator.COVERAGE, org, start, end, c.organized, c.counted)


INDICATORS: dict[str, Callable[[PartyOrg, dt.date, dt.date], IndicatorValue]] = {
    Indicator.DEMANDS_ON_TIME: demands_on_time,
    Indicator.DEMANDS_SATISFACTION: demands_satisfaction,
    Indicator.GRID_TOPICS_DONE: grid_topics_done,
    Indicator.MICRO_ITEMS_DONE: micro_items_done,
    Indicator.MEETINGS_HELD: meetings_held,
    Indicator.AUTONOMY_PROJECTS: autonomy_projects,
    Indicator.VOLUNTEER_HOURS: volunteer_hours,
    Indicator.COVERAGE: coverage,
}

SOURCE_RECORDS: dict[str, Callable] = {
    Indicator.DEMANDS_ON_TIME: demand_records,
    Indicator.DEMANDS_SATISFACTION: demand_records,
    Indicator.GRID_TOPICS_DONE: grid_topic_records,
    Indicator.MICRO_ITEMS_DONE: micro_item_records,
    Indicator.MEETINGS_HELD: meeting_records,
    Indicator.AUTONOMY_PROJECTS: project_records,
    Indicator.VOLUNTEER_HOURS: member_records,
    Indicator.COVERAGE: unit_records,
}


def indicator_value(code: str, org, start, end) -> IndicatorValue:
    return INDICATORS[code](org, start, end)


# --- Points and the breakdown -------------------------------------------------------------------------------

def target_of(criterion: Criterion) -> Decimal:
    if criterion.target:
        return Decimal(criterion.target)
    return Decimal(1)


def indicator_points(criterion: Criterion, value: Decimal | None) -> Decimal:
    """weight × min(value / target, 1); nothing measured earns nothing."""
    if value is None or value <= 0:
        return q2(0)
    return q2(Decimal(criterion.weight) * min(Decimal(value) / target_of(criterion), Decimal(1)))


@dataclass
class Row:
    criterion_id: int
    name: str
    source: str
    weight: int
    points: str
    indicator: str = ""
    indicator_label: str = ""
    value: str | None = None
    display: str = ""
    numerator: str | None = None
    denominator: str | None = None
    target: str | None = None
    source_url: str = ""
    scores: list = field(default_factory=list)  # [{"reviewer", "points", "comment"}]
    statement: str = ""
    evidence_url: str = ""


@dataclass
class Breakdown:
    rows: list[Row]
    total: str
    tier: str
    frozen: bool = False

    def as_dict(self) -> dict:
        return {"rows": [asdict(r) for r in self.rows], "total": self.total, "tier": self.tier}


def _str(v) -> str | None:
    return None if v is None else str(v)


def tier_for(round_: AwardRound, total: Decimal) -> str:
    for tier in sorted(round_.tiers.all(), key=lambda t: t.min_score, reverse=True):
        if total >= tier.min_score:
            return tier.name
    return ""


def live_breakdown(entry: AwardEntry) -> Breakdown:
    """Computed now from the data and the reviewers' scores."""
    r = entry.round
    criteria = list(r.criteria.all())
    scores: dict[int, list[ReviewScore]] = {}
    for s in ReviewScore.objects.filter(entry=entry).select_related("reviewer__user").order_by("reviewer__user__username"):
        scores.setdefault(s.criterion_id, []).append(s)
    evidence = {e.criterion_id: e for e in Evidence.objects.filter(entry=entry)}
    rows, total = [], Decimal(0)
    for c in criteria:
        if c.source == CriterionSource.INDICATOR:
            v = indicator_value(c.indicator, entry.org, r.period_start, r.period_end)
            points = indicator_points(c, v.value)
            row = Row(c.pk, c.name, c.source, c.weight, str(points), indicator=c.indicator,
                      indicator_label=str(Indicator(c.indicator).label), value=_str(v.value), display=v.display,
                      numerator=_str(v.numerator), denominator=_str(v.denominator), target=str(target_of(c)),
                      source_url=v.source_url)
        else:
            given = scores.get(c.pk, [])
            points = q2(sum((s.points for s in given), Decimal(0)) / len(given)) if given else q2(0)
            ev = evidence.get(c.pk)
            row = Row(c.pk, c.name, c.source, c.weight, str(points),
                      scores=[{"reviewer": s.reviewer.user.get_full_name() or s.reviewer.user.username,
                               "points": str(s.points), "comment": s.comment} for s in given],
                      statement=ev.statement if ev else "",
                      evidence_url=ev.file.url if ev and ev.file else "")
        total += points
        rows.append(row)
    total = q2(total)
    return Breakdown(rows, str(total), tier_for(r, total))


def breakdown(entry: AwardEntry) -> Breakdown:
    """The frozen breakdown of a published round, else the live one."""
    if entry.round.state == RoundState.PUBLISHED and entry.frozen:
        f = entry.frozen
        return Breakdown([Row(**row) for row in f.get("rows", [])], f.get("total", "0"), f.get("tier", ""), True)
    return live_breakdown(entry)


# --- Eligibility ---------------------------------------------------------------------------------------------

RESIDENTIAL_KINDS = (PartyOrgKind.GENERAL_BRANCH, PartyOrgKind.BRANCH, PartyOrgKind.COMMITTEE)


def eligible_orgs(scheme: AwardScheme) -> QuerySet:
    """金银奖: the residential-area party organizations of the scheme's region (an area's own organization: kind
    general branch, branch or committee, no member unit, not under another organization of the same area);
    五星奖: the organizations of two-new units there."""
    base = PartyOrg.objects.filter(region__path__startswith=scheme.region.path)
    if scheme.kind == SchemeKind.GOLD_SILVER:
        return (base.filter(region__kind=RegionKind.RESIDENTIAL_AREA, member_unit__isnull=True,
                            kind__in=RESIDENTIAL_KINDS)
                .exclude(parent__region=F("region")).order_by("code"))
    return base.filter(member_unit__is_two_new=True).order_by("code")


# --- Scoped reads -------------------------------------------------------------------------------------------

def _rounds() -> QuerySet:
    return AwardRound.objects.select_related("scheme", "scheme__region")


def rounds_for(user) -> QuerySet:
    """The rounds the user sees: `orglife.view` or `orglife.manage` over the scheme's region, a round with an
    entry of their own (`orglife.assess`), or one whose panel they sit on."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return AwardRound.objects.none()
    q = Q(reviewers__user=user)
    for cap in (C.VIEW, C.MANAGE):
        q |= scope_for(user, cap).q(AwardRound)
    assess = scope_for(user, C.ASSESS)
    if not assess.is_empty:
        q |= Q(pk__in=AwardEntry.objects.filter(assess.q(AwardEntry)).values("round_id"))
    return _rounds().filter(q).distinct()


def round_detail(user, pk) -> AwardRound:
    found = rounds_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def entries_for(user, round_: AwardRound) -> QuerySet:
    """The round's entries the user sees: all of them with view/manage over the round or on its panel; else their
    own (`orglife.assess`)."""
    qs = round_.entries.select_related("org", "org__region", "org__member_unit")
    if policies.sees_whole_round(user, round_):
        return qs
    return qs.filter(scope_for(user, C.ASSESS).q(AwardEntry))


def entry_detail(user, pk) -> AwardEntry:
    found = (AwardEntry.objects.select_related("round", "round__scheme", "round__scheme__region", "org",
                                               "org__region", "org__member_unit").filter(pk=pk).first())
    if found is None or not policies.may_see_entry(user, found):
        raise NotFound(_("Not found."))
    return found


def source_org(user, pk) -> PartyOrg:
    """An organization whose indicator sources the user may open: in their view or assess scope, or entered in a
    round whose panel they sit on."""
    org = PartyOrg.objects.select_related("region", "member_unit").filter(pk=pk).first()
    if org is None or not policies.may_see_sources(user, org):
        raise NotFound(_("Not found."))
    return org


def schemes_for(user) -> QuerySet:
    return AwardScheme.objects.filter(scope_for(user, C.MANAGE).q(AwardScheme) | scope_for(user, C.VIEW).q(
        AwardScheme)).select_related("region").distinct()


def reviewer_of(user, round_) -> Reviewer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Reviewer.objects.filter(round=round_, user=user).first()


def my_scores(user, entry) -> dict[int, ReviewScore]:
    return {s.criterion_id: s for s in ReviewScore.objects.filter(entry=entry, reviewer__user=user)}


# --- The honour roll (public) ------------------------------------------------------------------------------

def honour_roll() -> list[dict]:
    """Published rounds, newest first per scheme, with their winners by tier (in the tiers' order)."""
    out = []
    for r in _rounds().filter(state=RoundState.PUBLISHED).prefetch_related("tiers").order_by(
            "scheme__code", "-number"):
        entries = list(r.entries.exclude(tier="").select_related("org").order_by("-score", "org__code"))
        tiers = [{"name": t.name, "winners": [e for e in entries if e.tier == t.name]}
                 for t in sorted(r.tiers.all(), key=lambda t: t.min_score, reverse=True)]
        out.append({"round": r, "tiers": tiers, "count": len(entries)})
    return out


# --- The workbench card ---------------------------------------------------------------------------------------

def evidence_missing(user) -> QuerySet:
    """Entries in the user's assess scope, in rounds under self-assessment, with a self-assessed criterion that
    has no evidence yet."""
    scope = scope_for(user, C.ASSESS)
    if scope.is_empty:
        return AwardEntry.objects.none()
    lacking = Criterion.objects.filter(round=OuterRef("round"), source=CriterionSource.SELF).exclude(
        evidence__entry=OuterRef("pk"))
    return (AwardEntry.objects.filter(scope.q(AwardEntry), round__state=RoundState.ASSESSING,
                                      state=EntryState.PENDING)
            .filter(Exists(lacking)).select_related("round", "org").order_by("round", "org__code"))


def evidence_card(user) -> dict | None:
    from gongzhi.core.workbench import card

    if not has_capability(user, C.ASSESS):
        return None
    qs = evidence_missing(user)
    return card(qs, reverse("orglife:award_rounds"),
                lambda e: {"text": f"{e.org.name} · {e.round.name}", "url": reverse("orglife:award_entry",
                                                                                     args=[e.pk])})


def evidence_for_file(user, name: str) -> Evidence | None:
    """The evidence stored as `name` when the user may see its entry (read by gongzhi.core.media.serve)."""
    found = Evidence.objects.filter(file=name).select_related("entry__round__scheme__region", "entry__org__region").first()
    if found is None or not policies.may_see_entry(user, found.entry):
        return None
    return found
