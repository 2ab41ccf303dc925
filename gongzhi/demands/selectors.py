"""Read paths of demands, always scoped through gongzhi.accounts.scope.

A user sees the demands in their `demands.view` scope (region subtree via the responsible region or the grid,
or their member unit) plus the ones assigned to or claimed by them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.models import RoleAssignment
from gongzhi.accounts.roles import Capability, Role
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.errors import NotFound
from gongzhi.demands.models import (
    Category,
    Demand,
    DemandTransition,
    EscalationLevel,
    Extension,
    ExtensionStatus,
    Follower,
    Notification,
)
from gongzhi.demands.services import overdue_q
from gongzhi.demands.workflow import OPEN_STATES, State, allowed_actions
from gongzhi.registry.models import MemberUnit

C = Capability


def _base() -> QuerySet:
    return Demand.objects.select_related("category", "category__parent", "grid", "region", "assignee", "team",
                                         "claimed_by", "member_unit")


def visible_demands(user, capability: str = C.VIEW_DEMANDS) -> QuerySet:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Demand.objects.none()
    scope = scope_for(user, capability)
    if scope.everything:  # (an empty Q would swallow the OR below)
        return _base()
    return _base().filter(scope.q(Demand) | Q(assignee=user) | Q(claimed_by=user))


def demands_for(user, filters: dict | None = None) -> QuerySet:
    """The user's scoped queue. Filters: state (one or a list), open (bool), category (id, with its children),
    channel, kind, priority, grid (id), level, mine (assigned to / claimed by the user), unrouted (no grid),
    overdue (bool), q (text in code, title, description, address)."""
    f = filters or {}
    qs = visible_demands(user)
    if state := f.get("state"):
        qs = qs.filter(state__in=[state] if isinstance(state, str) else list(state))
    if f.get("open"):
        qs = qs.filter(state__in=OPEN_STATES)
    if category := f.get("category"):
        qs = qs.filter(Q(category_id=category) | Q(category__parent_id=category))
    for name in ("channel", "kind", "priority"):
        if value := f.get(name):
            qs = qs.filter(**{name: value})
    if grid := f.get("grid"):
        qs = qs.filter(grid_id=grid)
    if f.get("level") not in (None, ""):
        qs = qs.filter(escalation_level=int(f["level"]))
    if f.get("mine"):
        qs = qs.filter(Q(assignee=user) | Q(claimed_by=user))
    if f.get("unrouted"):
        qs = qs.filter(grid__isnull=True)
    if f.get("overdue"):
        qs = qs.filter(overdue_q(timezone.localdate()))
    if text := (f.get("q") or "").strip():
        qs = qs.filter(Q(tracking_code__iexact=text) | Q(title__icontains=text) | Q(description__icontains=text)
                       | Q(address__icontains=text))
    return qs


def grid_queue(user) -> QuerySet:
    """The grid leader's queue: open demands whose responsible region is a grid the user leads."""
    grids = RoleAssignment.objects.filter(user=user, role=Role.GRID_LEADER).values("region_id")
    return visible_demands(user).filter(region_id__in=grids, state__in=OPEN_STATES)


def claim_board(user) -> QuerySet:
    """Items a party member may claim publicly: new, unassigned, non-enterprise demands of their serving grid."""
    member = getattr(user, "party_member", None) if getattr(user, "is_authenticated", False) else None
    if member is None or not member.grid_id:
        return Demand.objects.none()
    return _base().filter(grid_id=member.grid_id, state=State.SUBMITTED, escalation_level=0,
                          member_unit__isnull=True).order_by("due_on", "created_at")


def overdue_demands(user, today: date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return visible_demands(user).filter(overdue_q(today)).order_by("due_on", "created_at")


def joint_meeting_agenda(user) -> QuerySet:
    """What was escalated to the district joint meeting (level 3) and is still open."""
    return visible_demands(user).filter(escalation_level=EscalationLevel.JOINT_MEETING,
                                        state__in=OPEN_STATES).order_by("created_at")


def pending_extensions(user) -> QuerySet:
    return scope_for(user, C.APPROVE_DEMANDS).filter(
        Extension.objects.filter(status=ExtensionStatus.PENDING).select_related("demand", "requested_by")
    )


@dataclass
class DemandDetail:
    demand: Demand
    timeline: list[DemandTransition]
    photos: list
    followers: list[Follower]
    show_personal: bool
    actions: list[str] = field(default_factory=list)

    @property
    def phone(self) -> str:
        return self.demand.submitter_phone if self.show_personal else self.demand.masked_phone

    @property
    def name(self) -> str:
        return self.demand.submitter_name if self.show_personal else self.demand.masked_name


def demand_detail(user, pk) -> DemandDetail:
    """One demand in the user's scope with its timeline, or NotFound (missing and hidden look the same)."""
    try:
        demand = visible_demands(user).get(pk=pk)
    except (Demand.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found."))
    return DemandDetail(
        demand=demand,
        timeline=list(demand.transitions.select_related("actor")),
        photos=list(demand.photos.all()),
        followers=list(demand.followers.all()),
        show_personal=has_capability(user, C.VIEW_PERSONAL_DATA),
        actions=allowed_actions(demand.state),
    )


def categories_for(subdistrict=None) -> list[Category]:
    """The active top-level categories (children prefetched) of a sub-district's taxonomy, else the default."""
    qs = Category.objects.filter(active=True, parent__isnull=True)
    own = qs.filter(subdistrict=subdistrict) if subdistrict is not None else qs.none()
    chosen = own if own.exists() else qs.filter(subdistrict__isnull=True)
    children = Prefetch("children", queryset=Category.objects.filter(active=True))
    return list(chosen.prefetch_related(children))


def categories_in_scope(user) -> QuerySet:
    """The active top-level categories a staff filter offers: the default taxonomy and the own taxonomies of the
    sub-districts the user works in (a grid or area user's sub-district above them; a unit's sub-district)."""
    qs = Category.objects.filter(active=True, parent__isnull=True)
    scope = scope_for(user, C.VIEW_DEMANDS)
    if scope.everything:
        return qs
    paths = set(scope.region_paths) | set(
        MemberUnit.objects.filter(pk__in=scope.unit_ids).values_list("region__path", flat=True))
    above = {int(x) for p in paths for x in p.strip("/").split("/") if x}
    q = Q(subdistrict__isnull=True) | Q(subdistrict__in=above)
    for p in paths:
        q |= Q(subdistrict__path__startswith=p)
    return qs.filter(q)


def inbox(user, unread_only: bool = False) -> QuerySet:
    qs = Notification.objects.filter(user=user).select_related("demand")
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(user) -> int:
    """The number of unread messages: the badge on the inbox menu entry."""
    return inbox(user, unread_only=True).count()
