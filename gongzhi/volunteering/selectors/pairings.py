"""Reading pairings and cohorts, always within the user's scope (``volunteering.view`` over the region, or the
pairings the user anchors): the list with its filters, overdue pairings (no contact for more than the kind's
interval: a page filter, a workbench card and the daily alerts), an anchor's load against its capacity, the rules
in force, a cohort's participant × requirement grid, and `pairings_of_member` for the organization-life module."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import has_capability, scope_for, scoped
from gongzhi.core.errors import Forbidden, NotFound, int_param
from gongzhi.core.workbench import card
from gongzhi.registry.models import MemberUnit, PartyMember, Region, RegionKind
from gongzhi.volunteering.models import (
    DEFAULT_CAPACITY,
    DEFAULT_INTERVAL_DAYS,
    UNIT_ANCHORED,
    Cohort,
    CohortParticipant,
    CohortProgress,
    Pairing,
    PairingContact,
    PairingKind,
    PairingRule,
)
from gongzhi.volunteering.policies import pairings as policies
from gongzhi.volunteering.workflow import PairingState

VIEW, MANAGE = policies.VIEW, policies.MANAGE
SEARCH_MAX = 60


# --- rules ------------------------------------------------------------------------------------------------------

def subdistrict_of(region: Region) -> Region:
    return region.subdistrict()


def rule_of(region: Region, kind: str) -> tuple[int, int]:
    """(capacity per anchor, contact interval in days) of `kind` in `region`'s sub-district."""
    rule = PairingRule.objects.filter(region=subdistrict_of(region), kind=kind).first()
    if rule is None:
        return DEFAULT_CAPACITY[kind], DEFAULT_INTERVAL_DAYS
    return rule.capacity, rule.contact_interval_days


class Rules:
    """Every rule, loaded once: (capacity, interval) for a pairing's kind and region without a query each."""

    def __init__(self):
        self.rows = list(PairingRule.objects.select_related("region"))

    def of(self, region: Region, kind: str) -> tuple[int, int]:
        for r in self.rows:
            if r.kind == kind and region.path.startswith(r.region.path):
                return r.capacity, r.contact_interval_days
        return DEFAULT_CAPACITY[kind], DEFAULT_INTERVAL_DAYS


def rules_table(user) -> list[dict]:
    """The rules in force in each sub-district where the user manages anything: one row per sub-district and
    kind; `editable` where the user manages the whole sub-district."""
    scope = scope_for(user, MANAGE)
    subs = [s for s in Region.objects.filter(kind=RegionKind.SUBDISTRICT).order_by("code")
            if scope.everything or any(s.path.startswith(p) or p.startswith(s.path) for p in scope.region_paths)]
    rules = Rules()
    return [{"region": s, "kind": k, "label": label, "capacity": rules.of(s, k)[0], "interval": rules.of(s, k)[1],
             "custom": any(r.region_id == s.pk and r.kind == k for r in rules.rows),
             "editable": policies.manages(user, s)}
            for s in subs for k, label in PairingKind.choices]


# --- pairings ---------------------------------------------------------------------------------------------------

def with_last_contact(qs: QuerySet) -> QuerySet:
    """`last_contact` (the latest contact's date, None if never) and `last_seen` (that, or the start date)."""
    latest = PairingContact.objects.filter(pairing=OuterRef("pk")).order_by("-contacted_on").values("contacted_on")[:1]
    return qs.annotate(last_contact=Subquery(latest)).annotate(last_seen=Coalesce("last_contact", "started_on"))


def own_q(user) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(member__user_id=user.pk) | Q(unit_id__in=sorted(policies.liaison_unit_ids(user)))


def has_own(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (
        PartyMember.objects.filter(user_id=user.pk).exists() or policies.liaison_unit_ids(user)))


def pairings_for(user) -> QuerySet:
    """The pairings the user sees: in their ``volunteering.view`` scope, and those they anchor."""
    scope = scope_for(user, VIEW)
    qs = Pairing.objects.filter(scope.q(Pairing) | own_q(user)) if not scope.everything else Pairing.objects.all()
    return with_last_contact(qs.select_related("region", "member__organization", "unit", "volunteer",
                                               "household__building"))


def own_pairings(user) -> QuerySet:
    return with_last_contact(Pairing.objects.filter(own_q(user)).select_related(
        "region", "member", "unit", "volunteer", "household__building"))


def pairing(user, pk) -> Pairing:
    """A pairing the user sees: Forbidden with no right to any, NotFound outside the scope."""
    if not (has_capability(user, VIEW) or has_own(user)):
        raise Forbidden(_("You do not have permission to do this."))
    found = pairings_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def pairing_detail(user, pk) -> Pairing:
    found = pairing(user, pk)
    found.contact_rows = list(found.contacts.select_related("recorded_by").order_by("-contacted_on", "-id"))
    found.log = list(found.transitions.select_related("actor").order_by("created_at", "id"))
    found.capacity, found.interval = rule_of(found.region, found.kind)
    decorate([found])
    return found


def overdue_q(today: date | None = None, rules: Rules | None = None) -> Q:
    """Active pairings (annotated by `with_last_contact`) whose last contact, or start when never contacted, lies
    more than their kind's interval (the sub-district's rule, else the default) before `today`."""
    today = today or timezone.localdate()
    rows = (rules or Rules()).rows
    parts = []
    for kind in PairingKind.values:
        own = sorted((r for r in rows if r.kind == kind), key=lambda r: -len(r.region.path))
        q = Q(kind=kind, last_seen__lt=today - timedelta(days=DEFAULT_INTERVAL_DAYS))
        if own:
            special = reduce(or_, (Q(region__path__startswith=r.region.path) for r in own))
            q = q & ~special
            for r in own:
                q |= Q(kind=kind, region__path__startswith=r.region.path,
                       last_seen__lt=today - timedelta(days=r.contact_interval_days))
        parts.append(q)
    return Q(state=PairingState.ACTIVE) & reduce(or_, parts)


def decorate(rows, today: date | None = None, rules: Rules | None = None):
    """Each pairing's interval, days since its last contact (or start) and whether it is overdue."""
    today = today or timezone.localdate()
    rules = rules or Rules()
    for p in rows:
        p.interval = rules.of(p.region, p.kind)[1]
        seen = getattr(p, "last_seen", None) or p.started_on
        p.days_since = (today - seen).days
        p.overdue = p.state == PairingState.ACTIVE and p.days_since > p.interval
    return rows


def filter_pairings(qs: QuerySet, params: Mapping) -> QuerySet:
    """?kind= ?state= ?member= ?unit= ?overdue=1 ?q= (number, anchor, partner or shop)."""
    if (kind := (params.get("kind") or "").strip()) and kind in PairingKind.values:
        qs = qs.filter(kind=kind)
    if (state := (params.get("state") or "").strip()) and state in PairingState.values:
        qs = qs.filter(state=state)
    if member := int_param(params, "member"):
        qs = qs.filter(member_id=member)
    if unit := int_param(params, "unit"):
        qs = qs.filter(unit_id=unit)
    if (params.get("overdue") or "") in ("1", "true", "on"):
        qs = qs.filter(overdue_q())
    if q := (params.get("q") or "").strip()[:SEARCH_MAX]:
        qs = qs.filter(Q(code__icontains=q) | Q(member__name__icontains=q) | Q(unit__name__icontains=q)
                       | Q(volunteer__name__icontains=q) | Q(household__head_name__icontains=q)
                       | Q(shop_name__icontains=q))
    return qs


def overdue(user) -> QuerySet:
    return pairings_for(user).filter(overdue_q()).order_by("last_seen", "pk")


def overdue_card(user):
    """Workbench: pairings without contact for longer than their interval (staff seeing pairings)."""
    if not has_capability(user, VIEW):
        return None
    qs = overdue(user)
    return card(qs, reverse("volunteering:pairings_list") + "?overdue=1", lambda p: {
        "text": f"{p.anchor} ↔ {p.partner_label}",
        "url": reverse("volunteering:pairings_detail", args=[p.pk]),
        "value": _("since %(date)s") % {"date": p.last_seen.isoformat()}}, urgent=True)


@dataclass
class Load:
    kind: str
    label: str
    held: int
    capacity: int

    @property
    def full(self) -> bool:
        return self.held >= self.capacity


def anchor(user, model, pk):
    """A member or unit whose pairings the user sees (in their scope as a registry row, or anchoring a pairing the
    user sees); Forbidden without the right to see pairings, NotFound otherwise."""
    if not has_capability(user, VIEW):
        raise Forbidden(_("You do not have permission to do this."))
    field = "unit_id" if model is MemberUnit else "member_id"
    found = scoped(user, model, VIEW).filter(pk=pk).first()
    if found is None and pairings_for(user).filter(**{field: pk}).exists():
        found = model.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def anchor_load(anchor_obj, region: Region | None = None) -> list[Load]:
    """The anchor's active pairings of each kind it may hold, against the capacity (e.g. 46/50 shops)."""
    is_unit = isinstance(anchor_obj, MemberUnit)
    field = "unit" if is_unit else "member"
    held = dict(Pairing.objects.filter(**{field: anchor_obj}, state=PairingState.ACTIVE).values_list("kind")
                .annotate(n=Count("pk")).order_by())
    if region is None:
        region = anchor_obj.region if is_unit else (anchor_obj.registered_area or anchor_obj.organization.region)
    rules = Rules()
    kinds = [k for k in PairingKind if (k in UNIT_ANCHORED) == is_unit]
    return [Load(k.value, k.label, held.get(k.value, 0), rules.of(region, k)[0]) for k in kinds]


def anchor_pairings(user, anchor_obj) -> QuerySet:
    field = "unit" if isinstance(anchor_obj, MemberUnit) else "member"
    return pairings_for(user).filter(**{field: anchor_obj}).order_by("state", "kind", "-started_on", "pk")


def pairings_of_member(member, user=None) -> list[Pairing]:
    """Party work: a member's pairings (seen by `user` when given, all otherwise), each with `contacts_by_year`
    {year: number of contacts} and `contacts_total`, for the organization-life module."""
    qs = pairings_for(user) if user is not None else with_last_contact(Pairing.objects.select_related(
        "region", "volunteer", "household__building"))
    rows = list(qs.filter(member=member).order_by("kind", "started_on", "pk"))
    counts = (PairingContact.objects.filter(pairing__in=[p.pk for p in rows])
              .annotate(year=ExtractYear("contacted_on")).values_list("pairing_id", "year")
              .annotate(n=Count("pk")).order_by())
    by = {}
    for pk, year, n in counts:
        by.setdefault(pk, {})[year] = n
    for p in rows:
        p.contacts_by_year = dict(sorted(by.get(p.pk, {}).items()))
        p.contacts_total = sum(p.contacts_by_year.values())
    return rows


def manage_regions(user) -> QuerySet:
    """The regions (sub-districts and residential areas) where the user may create pairings and cohorts."""
    return scoped(user, Region.objects.filter(kind__in=[RegionKind.SUBDISTRICT, RegionKind.RESIDENTIAL_AREA]),
                  MANAGE).order_by("depth", "code")


# --- cohorts ----------------------------------------------------------------------------------------------------

def cohorts_for(user) -> QuerySet:
    return scoped(user, Cohort, VIEW).select_related("region", "organization").annotate(
        n_participants=Count("participants", distinct=True))


def cohort(user, pk) -> Cohort:
    if not has_capability(user, VIEW):
        raise Forbidden(_("You do not have permission to do this."))
    found = scoped(user, Cohort, VIEW).select_related("region", "organization").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


@dataclass
class GridRow:
    participant: CohortParticipant
    cells: list  # CohortProgress or None, one per requirement
    done: int
    percent: int


def percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


def cohort_grid(found: Cohort) -> dict:
    """The participant × requirement grid: each participant's progress per requirement, their completion %,
    each requirement's count of completions and the cohort's overall %."""
    requirements = list(found.requirements.order_by("position", "pk"))
    participants = list(found.participants.select_related("volunteer").order_by("name", "pk"))
    done = {(p.participant_id, p.requirement_id): p for p in CohortProgress.objects.filter(
        participant__cohort=found).select_related("activity")}
    rows = []
    for part in participants:
        cells = [done.get((part.pk, r.pk)) for r in requirements]
        n = sum(1 for c in cells if c is not None)
        rows.append(GridRow(part, cells, n, percent(n, len(requirements))))
    per_requirement = [sum(1 for row in rows if row.cells[i] is not None) for i in range(len(requirements))]
    total = len(rows) * len(requirements)
    return {"requirements": requirements, "rows": rows, "per_requirement": per_requirement,
            "percent": percent(sum(r.done for r in rows), total)}
