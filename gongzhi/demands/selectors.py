"""Read paths of demands, always scoped through gongzhi.accounts.scope.

A user sees the demands in their `demands.view` scope (region subtree via the responsible region or the grid,
or their member unit) plus the ones assigned to or claimed by them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from gongzhi.accounts.models import RoleAssignment
from gongzhi.accounts.roles import Capability, Role
from gongzhi.accounts.scope import has_capability, roles_of, scope_for
from gongzhi.core import crypto
from gongzhi.core.errors import NotFound
from gongzhi.core.masking import may_see_personal_data
from gongzhi.core.workbench import CARD_ITEMS, card
from gongzhi.demands import policies
from gongzhi.demands.models import (
    Category,
    Demand,
    DemandPhoto,
    DemandTransition,
    EscalationLevel,
    Extension,
    ExtensionStatus,
    Follower,
    Notification,
)
from gongzhi.demands.workflow import OPEN_STATES, overdue_q
from gongzhi.registry.models import MemberUnit, Region, RegionKind

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
    overdue (bool), reopened (open and reopened by a review), resolved_from (resolved on or after a date),
    q (text in code, title, description, address)."""
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
    if f.get("reopened"):
        qs = qs.filter(reopen_count__gt=0, state__in=OPEN_STATES)
    if resolved_from := f.get("resolved_from"):
        qs = qs.filter(resolved_at__date__gte=resolved_from)
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
    return _base().filter(policies.member_claimable_q(user)).order_by("due_on", "created_at")


def overdue_demands(user, today: date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return visible_demands(user).filter(overdue_q(today)).order_by("due_on", "created_at")


def joint_meeting_agenda(user) -> QuerySet:
    """What a sub-district leader referred to a joint meeting (level 3) and is still open."""
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
    merged: list[Demand] = field(default_factory=list)  # the duplicates merged into this demand

    @property
    def phone(self) -> str:
        return self.demand.submitter_phone if self.show_personal else self.demand.masked_phone

    @property
    def name(self) -> str:
        return self.demand.submitter_name if self.show_personal else self.demand.masked_name


def demand_detail(user, pk) -> DemandDetail:
    """One demand in the user's scope (or on their grid's claim board) with its timeline, or NotFound (missing and
    hidden look the same)."""
    try:
        demand = visible_demands(user).get(pk=pk)
    except (Demand.DoesNotExist, ValueError, TypeError):
        demand = claim_board(user).filter(pk=pk).first() if str(pk).isdigit() else None  # a member's board item
        if demand is None:
            raise NotFound(_("Not found."))
    return detail_of(user, demand)


def detail_of(user, demand: Demand) -> DemandDetail:
    """A demand the user may see (or just acted on), with its timeline and what the user may do next."""
    return DemandDetail(
        demand=demand, timeline=list(demand.transitions.select_related("actor")), photos=list(demand.photos.all()),
        followers=list(demand.followers.all()),
        show_personal=may_see_personal_data(user, demand),  # as the API shows it; pages mask until a reveal
        actions=policies.actions(user, demand), merged=list(demand.merged_demands.order_by("created_at", "pk")),
    )


def photo_for_file(user, name: str) -> DemandPhoto | None:
    """The photo stored as `name` when the user may see its demand (their scope, their claim board, or filed from
    their account), else None. Read by gongzhi.core.media.serve; the public pages use signed links instead."""
    photo = DemandPhoto.objects.filter(image=name).select_related("demand").first()
    if photo is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    demand = photo.demand
    if policies.may_see(user, demand) or demand.submitter_user_id == user.pk:
        return photo
    return None


def sole_subdistrict() -> Region | None:
    """The sub-district, when the installation serves only one: where a demand naming no place belongs."""
    subdistricts = list(Region.objects.filter(kind=RegionKind.SUBDISTRICT)[:2])
    return subdistricts[0] if len(subdistricts) == 1 else None


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


def assigned_to(user) -> QuerySet:
    """Open demands handed to the user (their assignee), soonest due first."""
    return visible_demands(user).filter(assignee=user, state__in=OPEN_STATES).order_by("due_on", "created_at")


def claims_of(user) -> QuerySet:
    """The demands the user claimed (亮承诺 or as a handler), open ones first, newest first."""
    return visible_demands(user).filter(claimed_by=user).order_by("closed_at", "-updated_at", "-pk")


def my_demands(user) -> QuerySet:
    """A resident's own demands (newest first): those filed while logged in to their account, and every demand
    filed with the phone number the account has verified (by SMS code), whoever recorded it (the H5 form, a
    station, a hotline transfer). An unverified number shows nothing: anyone may type any number into a form."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Demand.objects.none()
    q = Q(submitter_user=user)
    if user.phone and user.phone_verified_at:
        q |= Q(submitter_phone_hash__in=crypto.lookup_hashes(user.phone))  # encrypted at rest: by its keyed hash
    return (Demand.objects.filter(q).select_related("category", "grid", "region", "building")
            .order_by("-created_at", "-id"))


SIMILAR_WINDOW_DAYS = 180
SIMILAR_MIN_SCORE = 0.5


def by_tracking_code(code: str) -> Demand:
    """The demand with this tracking code (in any case, blanks around it ignored), or NotFound."""
    code = (code or "").strip().upper()
    demand = Demand.objects.filter(tracking_code=code).first() if code else None
    if demand is None:
        raise NotFound(_("Not found."))
    return demand


def granted_demand(code: str, last4: str) -> Demand | None:
    """The demand a visitor already proved (the tracking code and last four digits kept in their session after
    `services.access_by_tracking` let them in): read without counting an attempt."""
    demand = Demand.objects.filter(tracking_code=code).first() if last4 else None
    return demand if demand is not None and constant_time_compare(demand.submitter_phone_last4, last4) else None


def similar_open_demands(subdistrict, *, title: str, description: str = "", address: str = "",
                         limit: int = 3) -> list[Demand]:
    """Open demands near and like what a resident is about to report, best first: the near-duplicate search of
    triage (`insights.duplicates.find_duplicates`, text and place) over the sub-district's recent open demands.
    Shown on the H5 form before they submit."""
    from gongzhi.insights.duplicates import find_duplicates

    text = f"{title} {description}".strip()
    if len(text) < 4:
        return []
    since = timezone.now() - timedelta(days=SIMILAR_WINDOW_DAYS)
    qs = Demand.objects.filter(state__in=OPEN_STATES, merged_into__isnull=True, created_at__gte=since)
    if subdistrict is not None:
        qs = qs.filter(Q(region__path__startswith=subdistrict.path) | Q(grid__path__startswith=subdistrict.path))
    rows = list(qs.select_related("building", "grid").order_by("-created_at")[:3000])
    items = [(d.pk, f"{d.title} {d.description}", d.building.name if d.building_id else (d.address or ""),
              float(d.latitude) if d.latitude is not None else None,
              float(d.longitude) if d.longitude is not None else None) for d in rows]
    matches = find_duplicates(text, items, place=address.strip() or None, top=limit, min_score=SIMILAR_MIN_SCORE)
    by_pk = {d.pk: d for d in rows}
    return [by_pk[m.id] for m in matches]


# --- Workbench cards (declared in the app's manifest; see gongzhi.core.modules.Card) -----------------------
# Each returns None when the card is not for this user (no capability), else its numbers within the user's scope.

PERFORMANCE_DAYS = 90


def _queue_url(**params) -> str:
    return f"{reverse('demands:queue')}?{urlencode(params)}"


def _item(d: Demand) -> dict:
    return {"text": f"{d.tracking_code} {d.title}", "url": reverse("demands:detail", args=[d.pk])}


def assigned_card(user) -> dict | None:
    """Open demands assigned to or claimed by the user (handlers)."""
    if not has_capability(user, C.HANDLE_DEMANDS):
        return None
    qs = demands_for(user, {"mine": True, "open": True}).order_by("due_on", "created_at")
    return card(qs, _queue_url(queue="mine", open=1), _item)


def my_claims_card(user) -> dict | None:
    """A party member's open claims (demands claimed from the board)."""
    if not has_capability(user, C.CLAIM_DEMANDS) or has_capability(user, C.HANDLE_DEMANDS):
        return None
    qs = visible_demands(user).filter(claimed_by=user, state__in=OPEN_STATES).order_by("due_on", "created_at")
    return card(qs, reverse("demands:my_items"), _item)


def claim_board_card(user) -> dict | None:
    """What waits on the board of the party member's serving grid."""
    member = getattr(user, "party_member", None)
    if not has_capability(user, C.CLAIM_DEMANDS) or member is None or not member.grid_id:
        return None
    board = reverse("demands:claim_board")
    return card(claim_board(user), board,
                lambda d: {"text": f"{d.tracking_code} {d.title}", "url": f"{board}#board-{d.pk}"})


def overdue_card(user) -> dict | None:
    if not has_capability(user, C.VIEW_DEMANDS):
        return None
    return card(overdue_demands(user), reverse("demands:overdue"), _item, urgent=True)


def extensions_card(user) -> dict | None:
    """Deadline-extension requests waiting for the approver's decision."""
    if not has_capability(user, C.APPROVE_DEMANDS):
        return None
    return card(pending_extensions(user).order_by("requested_at", "pk"), reverse("demands:extensions"), lambda e: {
        "text": f"{e.demand.tracking_code} {e.demand.title} (+{e.days})",
        "url": reverse("demands:detail", args=[e.demand_id])}, urgent=True)


def reopened_card(user) -> dict | None:
    """Open demands that a resident's unsatisfied review reopened."""
    if not has_capability(user, C.VIEW_DEMANDS):
        return None
    qs = demands_for(user, {"reopened": True}).order_by("due_on", "created_at")
    return card(qs, _queue_url(reopened=1), _item, urgent=True)


def new_card(user, today: date | None = None) -> dict | None:
    """Demands submitted today, with the count since Monday."""
    if not has_capability(user, C.VIEW_DEMANDS):
        return None
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    week = demands_for(user).filter(created_at__date__gte=monday).count()
    return card(demands_for(user).filter(created_at__date=today), _queue_url(date_from=today.isoformat()), _item) | {
        "links": [{"text": _("This week: %(n)s") % {"n": week}, "url": _queue_url(date_from=monday.isoformat())}]}


# A resolved demand is on time when it had no deadline or was resolved by it (the one definition: the performance
# card and the awards' on-time indicator, gongzhi.orglife.selectors.awards).
ON_TIME_Q = Q(due_on__isnull=True) | Q(resolved_at__date__lte=F("due_on"))


def satisfied_q() -> Q:
    """A reviewed demand whose resident was satisfied (the services' SATISFIED_FROM: 4 or 5)."""
    from gongzhi.demands.services import SATISFIED_FROM

    return Q(satisfaction__gte=SATISFIED_FROM)


def resolution_numbers(qs: QuerySet) -> dict:
    """On resolved demands `qs`: how many (resolved), on time, reviewed, reviewed satisfied, and the average
    satisfaction."""
    return qs.aggregate(
        resolved=Count("pk"),
        on_time=Count("pk", filter=ON_TIME_Q),
        reviews=Count("pk", filter=Q(satisfaction__isnull=False)),
        satisfied=Count("pk", filter=Q(satisfaction__isnull=False) & satisfied_q()),
        satisfaction=Avg("satisfaction"),
    )


def resolved_between(start: date, end: date, *, region: Region | None = None, unit=None) -> QuerySet:
    """Unscoped read for other apps' indicators: the demands resolved from `start` to `end` (local dates) whose
    responsible region or grid lies in `region`'s subtree, or (with `unit`) that were handled by the member unit."""
    qs = Demand.objects.filter(resolved_at__isnull=False, resolved_at__date__gte=start, resolved_at__date__lte=end)
    if unit is not None:
        qs = qs.filter(member_unit=unit)
    if region is not None:
        qs = qs.filter(Q(region__path__startswith=region.path) | Q(grid__path__startswith=region.path))
    return qs


def performance(user, today: date | None = None, days: int = PERFORMANCE_DAYS) -> dict:
    """On the demands in the user's scope resolved in the last `days` days: how many were resolved by their
    deadline, and the residents' average satisfaction over those reviewed."""
    today = today or timezone.localdate()
    since = today - timedelta(days=days)
    numbers = resolution_numbers(demands_for(user, {"resolved_from": since}))
    n = numbers["resolved"]
    return {
        "since": since, "resolved": n, "on_time": numbers["on_time"], "reviews": numbers["reviews"],
        "on_time_rate": round(100 * numbers["on_time"] / n) if n else None,
        "satisfaction": round(numbers["satisfaction"], 1) if numbers["satisfaction"] is not None else None,
    }


def performance_card(user) -> dict | None:
    if not has_capability(user, C.VIEW_DEMANDS):
        return None
    p = performance(user)
    resolved_url = _queue_url(resolved_from=p["since"].isoformat())
    if p["resolved"]:
        note = _("%(on_time)s of %(n)s resolved on time.") % {"on_time": p["on_time"], "n": p["resolved"]}
    else:
        note = _("Nothing resolved in the last %(days)s days.") % {"days": PERFORMANCE_DAYS}
    if p["satisfaction"] is not None:
        note += " " + _("Satisfaction %(score)s / 5 from %(n)s reviews.") % {"score": p["satisfaction"],
                                                                            "n": p["reviews"]}
    return {
        "count": p["on_time_rate"], "display": "—" if p["on_time_rate"] is None else f"{p['on_time_rate']}%",
        "url": resolved_url, "note": note,
        "links": [{"text": _("Resolved in the last %(days)s days") % {"days": PERFORMANCE_DAYS}, "url": resolved_url},
                  {"text": _("Overdue now"), "url": reverse("demands:overdue")}],
    }


def my_demands_card(user) -> dict | None:
    """A resident's own demands, each linking to its public status page."""
    qs = my_demands(user)
    count = qs.count()
    if not count and roles_of(user) - {Role.RESIDENT}:  # staff who never reported anything themselves
        return None
    open_count = qs.filter(state__in=OPEN_STATES).count()
    return {
        "count": count, "url": reverse("demands:mine"),
        "note": (_("%(n)s still being handled.") % {"n": open_count} if count
                 else _("You have not reported anything with this account yet.")),
        "items": [{"text": f"{d.tracking_code} {d.title} · {d.get_state_display()}",
                   "url": reverse("demands:track_status", args=[d.tracking_code])} for d in qs[:CARD_ITEMS]],
        "links": [{"text": _("Report a problem"), "url": reverse("demands:submit")},
                  {"text": _("Track a demand by its code"), "url": reverse("demands:track")}]
        + ([] if user.phone_verified_at else [{"text": _("Confirm my phone number"),
                                               "url": reverse("demands:verify_phone")}]),
    }


# --- party work links (the organization-life module) -------------------------------------------------------------

def demands_claimed_by_member(member, *, year: int | None = None) -> QuerySet:
    """The demands a party member claimed through their account (亮承诺 or as a handler), submitted in `year` if
    given, oldest first; none when the member has no account. A read for the member's yearly record."""
    user_id = getattr(member, "user_id", None)
    if user_id is None:
        return Demand.objects.none()
    qs = Demand.objects.filter(claimed_by_id=user_id).select_related("category", "region")
    if year is not None:
        qs = qs.filter(created_at__year=year)
    return qs.order_by("created_at", "pk")
