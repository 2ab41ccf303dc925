"""Reads of the enterprise part, scoped by the user: liaison visits, the liaison coverage of key office buildings
(seed 001: one or two liaisons per key building) and the visits per firm over the last 12 months."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import has_capability, require_capability, scope_for, scoped
from gongzhi.core.errors import NotFound
from gongzhi.core.workbench import card
from gongzhi.joint.models import Visit
from gongzhi.joint.policies.enterprise import VIEW, VISIT
from gongzhi.registry.models import Building, BuildingKind, Liaison, MemberUnit, MemberUnitKind

MIN_LIAISONS, MAX_LIAISONS = 1, 2  # per key office building (seed 001)
FILTERS = ("state", "member_unit", "liaison")


def visits_for(user):
    require_capability(user, VIEW)
    return scoped(user, Visit, VIEW).select_related("member_unit__building", "liaison", "visited_by")


def filter_visits(qs, params):
    """The list narrowed as on its page: ``q`` searches the firm, the needs and the follow-up; ``state``,
    ``member_unit``, ``liaison`` filter; ``since``/``until`` bound the day (ISO dates; others ignored)."""
    if q := (params.get("q") or "").strip()[:60]:
        qs = qs.filter(Q(member_unit__name__icontains=q) | Q(needs_found__icontains=q) | Q(follow_up__icontains=q))
    if (state := params.get("state")) and state in dict(Visit._meta.get_field("state").choices):
        qs = qs.filter(state=state)
    for name in ("member_unit", "liaison"):
        value = params.get(name) or ""
        if value.isdigit() and len(value) < 12:
            qs = qs.filter(**{f"{name}_id": int(value)})
    for name, lookup in (("since", "visited_on__gte"), ("until", "visited_on__lte")):
        try:
            qs = qs.filter(**{lookup: date.fromisoformat(params.get(name) or "")})
        except ValueError:
            pass
    return qs


def visit(user, pk: int) -> Visit:
    found = visits_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def log(visit_: Visit):
    return visit_.transitions.select_related("actor")


def units_to_visit(user):
    """The member units a visit may be recorded for: those in the user's `joint.visit` scope."""
    scope = scope_for(user, VISIT)
    qs = MemberUnit.objects.select_related("building", "region")
    if not scope.everything:
        qs = qs.filter(scope.q(MemberUnit))
    return qs.order_by("name", "pk")


def liaisons_for(user, capability: str = VISIT):
    return scoped(user, Liaison, capability).order_by("-is_chief", "name")


def liaison_of(user) -> Liaison | None:
    """The registry liaison this account is (a building liaison's own record), if any."""
    return Liaison.objects.filter(user_id=getattr(user, "pk", None)).first()


# --- Coverage -----------------------------------------------------------------------------------------------

def year_ago(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today - timedelta(days=365)


def key_buildings(user):
    """The key office buildings in the user's `joint.view` scope, each with its liaison count (`n_liaisons`)."""
    require_capability(user, VIEW)
    return (scoped(user, Building, VIEW).filter(kind=BuildingKind.OFFICE, is_key_building=True)
            .annotate(n_liaisons=Count("liaisons", distinct=True)).order_by("code"))


def coverage(user, today: date | None = None) -> dict:
    """The coverage check: the key office buildings with fewer than one or more than two liaisons (their
    liaisons and firms listed), and every firm of a key office building with its visits in the last 12 months
    (fewest first). A fixed number of queries."""
    since = year_ago(today)
    buildings = list(key_buildings(user).prefetch_related("liaisons", "member_units"))
    flagged = [b for b in buildings if not MIN_LIAISONS <= b.n_liaisons <= MAX_LIAISONS]
    seen = scope_for(user, VIEW)
    firms = (MemberUnit.objects.filter(building__in=[b.pk for b in buildings]).select_related("building")
             .annotate(n_visits=Count("joint_visits", filter=Q(joint_visits__visited_on__gte=since)))
             .order_by("n_visits", "building__code", "name"))
    if not seen.everything:
        firms = firms.filter(seen.q(MemberUnit))
    firms = list(firms)
    for b in flagged:
        b.firms = [u for u in b.member_units.all() if seen.everything or u in firms]
    return {"buildings": len(buildings), "flagged": flagged, "since": since, "firms": firms,
            "unvisited": sum(1 for f in firms if not f.n_visits)}


# --- Workbench card -------------------------------------------------------------------------------------------

def firms_not_visited_this_year(user, today: date | None = None):
    """Firms (enterprises) in the user's `joint.visit` scope with no visit since 1 January."""
    today = today or timezone.localdate()
    scope = scope_for(user, VISIT)
    qs = MemberUnit.objects.filter(kind=MemberUnitKind.ENTERPRISE)
    if not scope.everything:
        qs = qs.filter(scope.q(MemberUnit))
    visited = Visit.objects.filter(member_unit=OuterRef("pk"), visited_on__gte=date(today.year, 1, 1))
    return qs.filter(~Exists(visited)).order_by("name", "pk")


def unvisited_card(user) -> dict | None:
    if not has_capability(user, VISIT):
        return None
    return card(firms_not_visited_this_year(user), reverse("joint:enterprise_coverage"), lambda u: {
        "text": u.name, "url": reverse("joint:enterprise_visit_create") + f"?member_unit={u.pk}"})
