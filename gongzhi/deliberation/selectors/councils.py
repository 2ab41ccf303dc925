"""Read paths of the councils part, always scoped by the user (`deliberation.view`): councils and their seats, the
deliberation rules of each residential area with their versions and differences, owners' committees and their
elections. `rules_in_force(area)` is read by the rules panel every topic and meeting page shows."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import access, require_capability, scoped
from gongzhi.core.errors import int_param
from gongzhi.deliberation.models.councils import (
    Candidate,
    CommitteeMember,
    Council,
    CouncilSeat,
    DeliberationRules,
    OwnersCommittee,
    OwnersElection,
)
from gongzhi.deliberation.workflows_councils import CandidateState, ElectionState
from gongzhi.registry.models import Estate, Region, RegionKind

VIEW, MANAGE = Capability.VIEW_DELIBERATION, Capability.MANAGE_DELIBERATION


def _search(qs: QuerySet, params, fields: tuple[str, ...]) -> QuerySet:
    text = (params.get("q") or "").strip()
    if text:
        q = Q()
        for f in fields:
            q |= Q(**{f"{f}__icontains": text})
        qs = qs.filter(q)
    return qs


def _in_area(qs: QuerySet, user, params, lookup: str) -> QuerySet:
    """`?area=<id>`: only rows of that residential area (an area out of the user's scope gives none)."""
    pk = int_param(params, "area")
    if pk is None:
        return qs
    if not scoped(user, Region, VIEW).filter(pk=pk).exists():
        return qs.none()
    return qs.filter(**{lookup: pk})


def areas_for(user, capability: str = VIEW) -> QuerySet:
    """The residential areas in the user's scope (the filters' and forms' choices)."""
    return scoped(user, Region.objects.filter(kind=RegionKind.RESIDENTIAL_AREA), capability).order_by("code")


def estates_for(user, capability: str = VIEW) -> QuerySet:
    return scoped(user, Estate.objects.select_related("area"), capability).order_by("area__code", "code")


# --- councils ---------------------------------------------------------------------------------------------------

def councils_for(user, params=None) -> QuerySet:
    require_capability(user, VIEW)
    params = params or {}
    qs = scoped(user, Council.objects.select_related("area", "estate").annotate(seat_count=Count("seats"))
                .order_by("area__code", "name", "pk"), VIEW)
    qs = _search(qs, params, ("name", "shape", "purpose", "estate__name"))
    return _in_area(qs, user, params, "area_id")


def council(user, pk) -> Council:
    require_capability(user, VIEW)
    return access(user, Council.objects.select_related("area", "estate"), VIEW, pk=pk)


def seat(user, pk) -> CouncilSeat:
    require_capability(user, VIEW)
    return access(user, CouncilSeat.objects.select_related("council__area"), VIEW, pk=pk)


def seats_of(council_: Council) -> QuerySet:
    return council_.seats.select_related("member_unit", "party_org", "party_member", "household__building")


@dataclass(frozen=True)
class Tier:
    number: int
    expected: int | None  # None: "N"
    seated: int

    @property
    def ok(self) -> bool:
        return self.expected is None or self.seated == self.expected


def tiers(council_: Council) -> list[Tier]:
    """The shape against the seats taken: per tier, how many it has and how many it should have."""
    counts = dict(council_.seats.values_list("tier").annotate(n=Count("pk")).order_by())
    shape = council_.tiers()
    numbers = range(1, max([len(shape), *counts.keys(), 0]) + 1)
    return [Tier(n, shape[n - 1] if n <= len(shape) else 0, counts.get(n, 0)) for n in numbers]


def seated_shape(council_: Council) -> str:
    """The shape as actually seated, e.g. "1+4+16"."""
    return "+".join(str(t.seated) for t in tiers(council_))


def council_seat_rows(user, params) -> QuerySet:
    """Every council seat the user may see (the Excel export of seats), filtered like the councils list."""
    require_capability(user, VIEW)
    qs = scoped(user, CouncilSeat.objects.select_related("council__area", "council__estate", "member_unit",
                                                         "party_org", "household__building"), VIEW)
    pk = int_param(params, "council")
    if pk is not None:
        qs = qs.filter(council_id=pk)
    qs = _in_area(qs, user, params, "council__area_id")
    return qs.order_by("council__area__code", "council__name", "tier", "order", "pk")


# --- deliberation rules -----------------------------------------------------------------------------------------

def residential_area(area):
    """The residential area of a region (itself, or the area above a grid), of an estate, or None."""
    if area is None:
        return None
    if isinstance(area, Estate):
        return area.area
    if isinstance(area, Region):
        return area.ancestor_of_kind(RegionKind.RESIDENTIAL_AREA)
    return None


def rules_in_force(area, today=None) -> DeliberationRules | None:
    """The deliberation rules (议事八则) in force in a residential area (or the area of a grid or estate): the newest
    version whose date has come. None when the area has none."""
    area = residential_area(area)
    if area is None:
        return None
    today = today or timezone.localdate()
    return (DeliberationRules.objects.filter(area=area, effective_on__lte=today).order_by("-number").first())


def rules_overview(user) -> list[dict]:
    """Each residential area in the user's scope with its rules in force and how many versions it has."""
    require_capability(user, VIEW)
    areas = list(areas_for(user).annotate(versions=Count("deliberation_rules")))
    current: dict[int, DeliberationRules] = {}
    today = timezone.localdate()
    for rules in DeliberationRules.objects.filter(area__in=areas, effective_on__lte=today).order_by("-number"):
        current.setdefault(rules.area_id, rules)
    return [{"area": a, "current": current.get(a.pk), "versions": a.versions} for a in areas]


def rules_area(user, pk) -> Region:
    require_capability(user, VIEW)
    return access(user, Region.objects.filter(kind=RegionKind.RESIDENTIAL_AREA), VIEW, pk=pk)


def rules_versions(area) -> list[DeliberationRules]:
    return list(area.deliberation_rules.select_related("created_by").order_by("-number"))


def latest_rules(area) -> DeliberationRules | None:
    return area.deliberation_rules.order_by("-number").first()


def rules_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Line by line what changed from `old` to `new` (difflib): ("same" | "added" | "removed", line)."""
    a, b = (old or "").splitlines(), (new or "").splitlines()
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out += [("same", line) for line in a[i1:i2]]
            continue
        out += [("removed", line) for line in a[i1:i2]]
        out += [("added", line) for line in b[j1:j2]]
    return out


def rules_history(area) -> list[dict]:
    """Every version, newest first, each with its difference from the version before it."""
    versions = rules_versions(area)
    rows = []
    for i, version in enumerate(versions):
        previous = versions[i + 1] if i + 1 < len(versions) else None
        rows.append({"version": version, "previous": previous,
                     "diff": rules_diff(previous.text if previous else "", version.text),
                     "title_changed": previous is not None and previous.title != version.title})
    return rows


# --- owners' committees and elections ----------------------------------------------------------------------------

def committees_for(user, params=None) -> QuerySet:
    require_capability(user, VIEW)
    params = params or {}
    qs = scoped(user, OwnersCommittee.objects.select_related("estate__area").annotate(member_count=Count("members"))
                .order_by("estate__code", "-term_number", "pk"), VIEW)
    text = (params.get("q") or "").strip()
    if text:  # a member's name too (a subquery: a join would multiply the member count)
        qs = qs.filter(Q(name__icontains=text) | Q(estate__name__icontains=text) | Q(
            pk__in=CommitteeMember.objects.filter(name__icontains=text).values("committee_id")))
    return _in_area(qs, user, params, "estate__area_id")


def committee(user, pk) -> OwnersCommittee:
    require_capability(user, VIEW)
    qs = OwnersCommittee.objects.select_related("estate__area", "election").prefetch_related(
        Prefetch("members", CommitteeMember.objects.select_related("household__building", "party_member")),
        "party_work_group")
    return access(user, qs, VIEW, pk=pk)


def committee_member(user, pk) -> CommitteeMember:
    require_capability(user, VIEW)
    return access(user, CommitteeMember.objects.select_related("committee__estate__area"), VIEW, pk=pk)


def elections_for(user, params=None) -> QuerySet:
    require_capability(user, VIEW)
    params = params or {}
    qs = scoped(user, OwnersElection.objects.select_related("estate__area").annotate(
        candidate_count=Count("candidates")).order_by("-created_at", "-pk"), VIEW)
    qs = _search(qs, params, ("title", "estate__name"))
    state = params.get("state") or ""
    if state in ElectionState.values:
        qs = qs.filter(state=state)
    return _in_area(qs, user, params, "estate__area_id")


def election(user, pk) -> OwnersElection:
    require_capability(user, VIEW)
    return access(user, OwnersElection.objects.select_related("estate__area"), VIEW, pk=pk)


def candidate(user, pk) -> Candidate:
    require_capability(user, VIEW)
    return access(user, Candidate.objects.select_related("election__estate__area", "household__building",
                                                         "party_member"), VIEW, pk=pk)


def candidates_of(election_: OwnersElection) -> list[Candidate]:
    return list(election_.candidates.select_related("household__building", "party_member").order_by(
        "created_at", "pk"))


@dataclass(frozen=True)
class Share:
    party: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.party / self.total) if self.total else None

    def __str__(self) -> str:
        if not self.total:
            return "—"
        return _("%(party)s of %(total)s (%(percent)s%%)") % {"party": self.party, "total": self.total,
                                                             "percent": self.percent}


def party_share(people) -> Share:
    """The party-member share of candidates or committee members (anything with `is_party_member`)."""
    people = list(people)
    return Share(sum(1 for p in people if p.is_party_member), len(people))


def election_shares(candidates: list[Candidate]) -> dict[str, Share]:
    """The party-member share among all candidates still standing, among the approved ones and among the
    elected (seed 004: a committee with a fitting share of party members)."""
    standing = [c for c in candidates if c.state in (CandidateState.PROPOSED, CandidateState.APPROVED)]
    return {"standing": party_share(standing),
            "approved": party_share(c for c in candidates if c.state == CandidateState.APPROVED),
            "elected": party_share(c for c in candidates if c.elected)}


def current_committee(estate: Estate, today=None) -> OwnersCommittee | None:
    """The estate's committee in office (the newest term that has started and not ended)."""
    today = today or timezone.localdate()
    return (estate.owners_committees.filter(term_start__lte=today)
            .filter(Q(term_end__isnull=True) | Q(term_end__gte=today)).order_by("-term_number").first())


def estate_overview(user, estate: Estate) -> dict:
    """What the councils part says about an estate on its registry page: its committee in office (members and
    party-member share), earlier terms, elections and councils; all within the user's deliberation scope."""
    from gongzhi.accounts.scope import has_capability

    if not has_capability(user, VIEW) or not scoped(user, Estate, VIEW).filter(pk=estate.pk).exists():
        return {}
    committee_ = current_committee(estate)
    members = list(committee_.members.all()) if committee_ else []
    return {
        "estate": estate, "committee": committee_, "members": members, "share": party_share(members),
        "committees": list(estate.owners_committees.order_by("-term_number")),
        "elections": list(estate.owners_elections.order_by("-created_at")),
        "councils": list(Council.objects.filter(Q(estate=estate) | Q(area=estate.area, estate__isnull=True))),
    }


def log(obj) -> QuerySet:
    return obj.transitions.select_related("actor").order_by("created_at", "pk")


def elections_card(user) -> dict | None:
    """Workbench card for those who run elections: the owners' committee elections under way in their scope, with
    the candidates still awaiting vetting."""
    from django.urls import reverse

    from gongzhi.accounts.scope import has_capability

    if not has_capability(user, MANAGE):
        return None
    open_ = list(scoped(user, OwnersElection.objects.select_related("estate").filter(
        state__in=[ElectionState.PREPARING, ElectionState.VETTING, ElectionState.HELD]), MANAGE)
        .annotate(waiting=Count("candidates", filter=Q(candidates__state=CandidateState.PROPOSED)))
        .order_by("created_at")[:20])
    if not open_:
        return None
    return {
        "count": len(open_), "url": reverse("deliberation:councils_elections"), "tone": "normal",
        "items": [{"text": f"{e.estate.name} · {e.get_state_display()}",
                   "url": reverse("deliberation:councils_election_detail", args=[e.pk]),
                   "value": e.waiting or ""} for e in open_[:5]],
    }


# --- party work links (the organization-life module) -------------------------------------------------------------

def seats_of_member(member) -> QuerySet:
    """The council seats a party member holds (议事会/理事会). A read for the member's yearly record."""
    return CouncilSeat.objects.filter(party_member=member).select_related("council__area").order_by(
        "council__name", "tier", "pk")


def committee_seats_of_member(member) -> QuerySet:
    """The owners' committees a party member sits on. A read for the member's yearly record."""
    return CommitteeMember.objects.filter(party_member=member).select_related("committee__estate").order_by(
        "committee_id", "role", "pk")
