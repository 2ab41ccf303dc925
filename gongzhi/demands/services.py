"""Writes on demands. Every function is one transaction; state changes go through `apply_transition`, which
locks the row, checks the transition table (`workflow.TRANSITIONS`), appends the timeline entry and schedules the
notifications after commit. Services take `now=` (default `timezone.now()`) so deadlines are testable. How the
hourly overdue check (`check_overdue`) is run, by cron or the django-tasks worker: `gongzhi.demands.tasks`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import NamedTuple

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from gongzhi.accounts.models import User
from gongzhi.accounts.roles import Capability
from gongzhi.core import crypto, workflow
from gongzhi.core.errors import Forbidden, InvalidTransition, NotFound, TrackingLocked, ValidationFailed
from gongzhi.core.workflow import SUBMITTER, SYSTEM, user_of
from gongzhi.demands import notify, policies
from gongzhi.demands.calendar import add_working_days, db_overrides, working_days_between
from gongzhi.demands.models import (
    Category,
    Channel,
    DeadlinePolicy,
    Demand,
    DemandPhoto,
    DemandTransition,
    EscalationLevel,
    Extension,
    ExtensionStatus,
    Follower,
    Kind,
    Notification,
    Open311Client,
    PhotoKind,
    Priority,
    RateCounter,
    Support,
    TrackingGuard,
)
from gongzhi.demands.photos import clean_photo
from gongzhi.demands.selectors import by_tracking_code, sole_subdistrict
from gongzhi.demands.workflow import FLOW, Action, State, overdue_q
from gongzhi.registry.models import Building, Liaison, ProfessionalTeam, Region, RegionKind, phone_validator

SATISFIED_FROM = 4  # satisfaction 4 (基本满意) and 5 (满意) are satisfied; 1-3 are not
REDO_DAYS = 3  # a redo after an unsatisfied review, in working days
MAX_RESOLUTION_DAYS = 15  # complex cases, with approved extensions
DEFAULT_LIMITS = {Kind.CONSULTATION: (1, 1)}  # (first response, resolution) in working days
FALLBACK_LIMITS = (1, 5)
MAX_PHOTOS = 9
TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32

C = Capability


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# --- Places -------------------------------------------------------------------------------------------------

def subdistrict_of(region: Region) -> Region:
    return region.subdistrict()


def _building_for_address(address: str, within: Region | None) -> Building | None:
    text = (address or "").strip()
    if len(text) < 2:
        return None
    qs = Building.objects.select_related("region")
    if within is not None:
        qs = qs.filter(region__path__startswith=within.path)
    exact = list(qs.filter(Q(address=text) | Q(name=text))[:2])
    if len(exact) == 1:
        return exact[0]
    # Else the building whose address or name is the longest part of the text, when that is unambiguous.
    matches = []
    for b in qs:
        longest = max((len(s) for s in (b.address, b.name) if s and s in text), default=0)
        if longest:
            matches.append((longest, b))
    matches.sort(key=lambda m: -m[0])
    if matches and (len(matches) == 1 or matches[0][0] > matches[1][0]):
        return matches[0][1]
    return None


def _grid_of(building: Building | None) -> Region | None:
    if building is not None and building.region.kind == RegionKind.GRID:
        return building.region
    return None


def _liaison_of(demand: Demand) -> Liaison | None:
    unit = demand.member_unit
    if unit is None or unit.building_id is None:
        return None
    return (Liaison.objects.filter(buildings=unit.building).select_related("user", "chief__user")
            .order_by("is_chief", "pk").first())


# --- Deadlines ----------------------------------------------------------------------------------------------

def deadline_limits(category: Category | None, kind: str, priority: str) -> tuple[int, int]:
    """(first-response, resolution) working days: the most specific DeadlinePolicy row, else the defaults."""
    cat_ids = [pk for pk in (category.pk, category.parent_id) if pk] if category is not None else []
    rows = DeadlinePolicy.objects.filter(Q(category_id__in=cat_ids) | Q(category__isnull=True),
                                         Q(kind=kind) | Q(kind=""), Q(priority=priority) | Q(priority=""))

    def score(p: DeadlinePolicy) -> tuple:
        cat = 0 if p.category_id is None else (2 if category and p.category_id == category.pk else 1)
        return (cat, bool(p.kind), bool(p.priority))

    best = max(rows, key=score, default=None)
    if best is not None:
        return best.response_days, best.resolution_days
    return DEFAULT_LIMITS.get(kind, FALLBACK_LIMITS)


def _set_deadlines(demand: Demand, now: datetime, resolution_days: int | None = None) -> None:
    today = timezone.localdate(now)
    response, resolution = deadline_limits(demand.category, demand.kind, demand.priority)
    overrides = db_overrides()
    if demand.first_response_at is None:
        demand.response_due_on = add_working_days(today, response, overrides)
    demand.due_on = add_working_days(today, resolution_days or resolution, overrides)
    demand.overdue_since = None


# --- The one transition function ----------------------------------------------------------------------------

def stamp(demand: Demand, action: str, to_state: str, now: datetime) -> None:
    """The times an action stamps on a demand: its first response, and when it was archived."""
    if action in {Action.CLAIM, Action.START, Action.RESOLVE, Action.REJECT} and demand.first_response_at is None:
        demand.first_response_at = now
    if to_state == State.CLOSED:
        demand.closed_at = now


def apply_transition(
    demand: Demand | int,
    action: str,
    *,
    actor,
    note: str = "",
    now: datetime | None = None,
    authorize: Callable[[Demand], None] | None = None,
    prepare: Callable[[Demand], None] | None = None,
    extra: dict | None = None,
) -> Demand:
    """Apply one action to a demand through the shared writer (gongzhi.core.workflow.transition): lock, authorize
    (by default `policies.authorize`), check the table, change, append the timeline, notify on commit."""
    now = _now(now)

    def check(d: Demand) -> None:
        if authorize is not None:
            authorize(d)
        else:
            policies.authorize(actor, d, action)

    def change(d: Demand) -> None:
        if prepare is not None:
            prepare(d)
        stamp(d, action, FLOW.target(d.state, action), now)

    return workflow.transition(demand, action, workflow=FLOW, actor=actor, note=note, now=now, extra=extra,
                               authorize=check, prepare=change, related=("region", "grid", "member_unit"))


# --- Intake -------------------------------------------------------------------------------------------------

def new_tracking_code(now: datetime | None = None) -> str:
    day = timezone.localdate(_now(now))
    return "GZ" + day.strftime("%y%m%d") + "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(6))


def _find_idempotent(source: str, key: str) -> Demand | None:
    return Demand.objects.filter(source=source, idempotency_key=key).first()


def _decimal(value, field: str, limit: int, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = [_("Enter a number.")]
        return None
    if not number.is_finite() or abs(number) > limit:
        errors[field] = [_("Out of range.")]
        return None
    return number.quantize(Decimal("0.000001"))


def submit_demand(
    *,
    title: str,
    description: str,
    channel: str,
    category: Category | None = None,
    kind: str = Kind.HELP,
    priority: str = Priority.NORMAL,
    address: str = "",
    building: Building | None = None,
    latitude=None,
    longitude=None,
    submitter_name: str = "",
    submitter_phone: str = "",
    submitter_user=None,
    member_unit=None,
    service_place=None,
    subdistrict: Region | None = None,
    recorded_by=None,
    idempotency_key: str = "",
    source_client: str = "",
    photos: Iterable = (),
    now: datetime | None = None,
) -> tuple[Demand, bool]:
    """Take in a demand and route it: `(demand, created)`. A retried call with the same (source, idempotency_key)
    returns the same demand with `created` False. The account recording it (`recorded_by`: an API token's
    holder) may record only the channel, priority, member unit and building its role and scope allow
    (`policies.intake_errors`); callers taking anonymous input (the H5 page, the public API) check it for None. `subdistrict` places demands that carry no building, address
    match or member unit."""
    now = _now(now)
    idempotency_key = (idempotency_key or "").strip()[:80]
    source = (source_client or channel or "").strip()[:60]
    # A retry is found by the unique (source, idempotency_key) constraint on insert; no look-up before it.

    errors: dict[str, list[str]] = {}
    title, description = (title or "").strip(), (description or "").strip()
    submitter_phone = (submitter_phone or "").replace(" ", "").strip()
    if not title:
        errors["title"] = [_("This field is required.")]
    elif len(title) > 120:
        errors["title"] = [_("At most 120 characters.")]
    if not description:
        errors["description"] = [_("This field is required.")]
    elif len(description) > 5000:
        errors["description"] = [_("At most 5000 characters.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Choose a valid channel.")]
    if kind not in Kind.values:
        errors["kind"] = [_("Choose a valid kind.")]
    if priority not in Priority.values:
        errors["priority"] = [_("Choose a valid priority.")]
    if submitter_phone:
        try:
            phone_validator(submitter_phone)
        except DjangoValidationError:
            errors["submitter_phone"] = [_("Enter a valid mobile or landline number.")]
    elif channel not in {Channel.GRID_PATROL, Channel.OPEN311}:
        errors["submitter_phone"] = [_("A phone number is needed to follow up.")]
    if channel == Channel.ENTERPRISE and member_unit is None:
        errors["member_unit"] = [_("An enterprise demand names its member unit.")]
    lat = _decimal(latitude, "latitude", 90, errors)
    lon = _decimal(longitude, "longitude", 180, errors)
    if recorded_by is not None and channel != Channel.OPEN311:  # (Open311 clients are keyed service accounts)
        for name, messages in policies.intake_errors(recorded_by, channel=channel, priority=priority,
                                                     member_unit=member_unit, building=building).items():
            errors.setdefault(name, messages)

    # Where: the building (or the address matched to one), else the member unit, else the sub-district.
    if building is None and member_unit is not None and member_unit.building_id:
        building = member_unit.building
    if building is None and address:
        building = _building_for_address(address, subdistrict)
    grid = _grid_of(building)
    if building is not None:
        region = grid or building.region
    elif member_unit is not None:
        region = member_unit.region
        grid = region if region.kind == RegionKind.GRID else None
    elif service_place is not None:
        region = subdistrict_of(service_place.region)
    else:
        region = subdistrict or sole_subdistrict()
        if region is None:
            errors.setdefault("address", [_("Give an address in the sub-district or choose a building.")])
    if category is not None and region is not None:  # the default taxonomy fits everywhere: no region look-up
        if not category.active or (category.subdistrict_id is not None
                                   and category.subdistrict_id != subdistrict_of(region).pk):
            errors["category"] = [_("Choose a valid category.")]
    if errors:
        if idempotency_key and (existing := _find_idempotent(source, idempotency_key)):
            return existing, False  # a retry answers with the first demand even when its payload went stale
        raise ValidationFailed(_("Please correct the errors below."), field_errors=errors)

    photo_files = [clean_photo(p) for p in photos][:MAX_PHOTOS]
    actor = recorded_by or submitter_user
    demand = Demand(
        title=title, description=description, category=category,
        kind=kind, priority=priority, address=(address or "").strip()[:200], building=building,
        grid=grid, region=region, latitude=lat, longitude=lon, channel=channel,
        service_place=service_place, recorded_by=recorded_by,
        submitter_name=(submitter_name or "").strip()[:40], submitter_phone=submitter_phone,
        submitter_user=submitter_user, member_unit=member_unit, source=source,
        idempotency_key=idempotency_key, created_at=now,
    )
    _set_deadlines(demand, now)  # reads only: before the transaction (on SQLite it holds the write lock)
    demand._history_user = actor
    for attempt in range(5):
        demand.pk, demand.tracking_code = None, new_tracking_code(now)  # each attempt inserts a new row
        try:
            with transaction.atomic():
                demand.save()
                for content in photo_files:
                    DemandPhoto.objects.create(demand=demand, image=content, kind=PhotoKind.BEFORE,
                                               uploaded_by=actor)
                entry = DemandTransition.objects.create(
                    demand=demand, action=Action.SUBMIT, from_state="", to_state=State.SUBMITTED, actor=actor,
                    actor_label="" if actor else SUBMITTER.key, note=Channel(channel).label, created_at=now,
                )
                # One job row in this transaction: the worker sends the notifications and `demand_submitted`.
                notify.after_transition_later(entry.pk)
                if demand.is_enterprise:
                    _assign_to_liaison(demand, now)
            return demand, True
        except IntegrityError:  # a tracking code taken already, or a retry (unique source + idempotency key)
            if idempotency_key and (existing := _find_idempotent(source, idempotency_key)):
                return existing, False  # a concurrent retry won the race
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def comment_demand(demand: Demand, *, actor, note: str, client_id: int | None = None, update_id: str = "",
                   now: datetime | None = None) -> tuple[DemandTransition, bool]:
    """A public comment (an Open311 client's update): one timeline entry that keeps the state, `(entry, created)`.
    Idempotent per (client, update_id): a retry answers with the first entry."""
    note, update_id = (note or "").strip(), (update_id or "").strip()[:80]
    if not note:
        raise ValidationFailed(_("Write a comment."), field_errors={"description": [_("This field is required.")]})
    if len(note) > 5000:
        raise ValidationFailed.on("description", _("At most 5000 characters."))
    now = _now(now)
    with transaction.atomic():
        locked = Demand.objects.select_for_update(of=("self",)).select_related("region", "grid").filter(
            pk=demand.pk).first()
        if locked is None:
            raise NotFound()
        policies.authorize(actor, locked, Action.COMMENT)
        if update_id and (entry := locked.transitions.filter(
                action=Action.COMMENT, extra__client=client_id, extra__update_id=update_id).first()):
            return entry, False
        if FLOW.target(locked.state, Action.COMMENT) is None:
            raise InvalidTransition(_("This demand is archived: it takes no more comments."))
        extra = {"client": client_id, "update_id": update_id} if update_id else {}
        entry = workflow.record_step(locked, Action.COMMENT, workflow=FLOW, actor=actor, note=note, extra=extra,
                                     now=now)
        Demand.objects.filter(pk=locked.pk).update(updated_at=now)
    return entry, True


def _assign_to_liaison(demand: Demand, now: datetime) -> None:
    """Enterprise demands start with the building liaison of the unit's building."""
    liaison = _liaison_of(demand)
    if liaison is not None and liaison.user is not None:
        user = liaison.user

        def prepare(d: Demand) -> None:
            d.assignee, d.team, d.claimed_by = user, None, None

        apply_transition(demand, Action.ASSIGN, actor=SYSTEM, note=_("Routed to the building liaison."), now=now,
                         prepare=prepare)
        demand.refresh_from_db()


# --- Routing and assignment ---------------------------------------------------------------------------------

def route_demand(demand: Demand, *, actor, building_id: int | None = None, grid_id: int | None = None,
                 now: datetime | None = None) -> Demand:
    """Place a demand on a grid (from a building, or a grid chosen by hand): it enters the grid leader's queue."""
    building = Building.objects.select_related("region").filter(pk=building_id).first() if building_id else None
    grid = _grid_of(building) if building is not None else (
        Region.objects.filter(pk=grid_id).first() if grid_id else None)
    if grid is None or grid.kind != RegionKind.GRID:
        raise ValidationFailed.on("grid", _("Choose a grid or a building in a grid."))

    def prepare(d: Demand) -> None:
        if subdistrict_of(grid).pk != subdistrict_of(d.region).pk:
            raise ValidationFailed.on("grid", _("Choose a grid in the same sub-district."))
        d.grid, d.region, d.escalation_level = grid, grid, 0
        if building is not None:
            d.building = building
        d.assignee = d.team = d.claimed_by = None

    return apply_transition(demand, Action.ROUTE, actor=actor, now=now, prepare=prepare,
                            note=_("Routed to %(grid)s.") % {"grid": grid.name})


def assign_demand(demand: Demand, *, actor, assignee_id: int | None = None, team_id: int | None = None,
                  note: str = "", now: datetime | None = None) -> Demand:
    """派单: to one person who can handle the demand in its scope (or a party member serving its grid: a grid
    leader hands an item to a member), or one professional team of the sub-district. A missing person and one who
    may not handle this demand get the same answer."""
    if (assignee_id is None) == (team_id is None):
        raise ValidationFailed.on("assignee", _("Choose a person or a team."))
    assignee = (User.objects.filter(pk=assignee_id, is_active=True).select_related("party_member").first()
                if assignee_id else None)
    team = ProfessionalTeam.objects.select_related("region").filter(pk=team_id).first() if team_id else None
    if team_id and team is None:
        raise ValidationFailed.on("team", _("Choose a team of this sub-district."))

    def prepare(d: Demand) -> None:
        if assignee_id and (assignee is None or not policies.may_take_on(assignee, d)):
            raise ValidationFailed.on("assignee", _("This person cannot handle this demand."))
        if team is not None and not team.region.path.startswith(subdistrict_of(d.region).path):
            raise ValidationFailed.on("team", _("Choose a team of this sub-district."))
        d.assignee, d.team, d.claimed_by, d.promise = assignee, team, None, ""

    return apply_transition(demand, Action.ASSIGN, actor=actor, note=note, now=now, prepare=prepare)


def claim_demand(demand: Demand, *, actor, promise: str = "", team_id: int | None = None,
                 note: str = "", now: datetime | None = None) -> Demand:
    """认领. A party member claims an unassigned item of their own grid with a public promise (亮承诺); a handler
    (the assignee, or anyone who may handle demands in scope) takes on an assigned or escalated item, optionally
    for a professional team."""
    promise = (promise or "").strip()[:200]
    team = ProfessionalTeam.objects.select_related("region").filter(pk=team_id).first() if team_id else None

    def prepare(d: Demand) -> None:
        as_member = policies.claims_as_member(actor, d)
        if as_member and not policies.member_may_claim(actor, d):
            raise InvalidTransition(_("This item has already been taken on."))
        if as_member and not promise:
            raise ValidationFailed.on("promise", _("Make a public promise."))
        if team_id:
            if team is None or not team.region.path.startswith(subdistrict_of(d.region).path):
                raise ValidationFailed.on("team", _("Choose a team of this sub-district."))
            d.team = team
        d.claimed_by, d.promise = user_of(actor), promise

    return apply_transition(demand, Action.CLAIM, actor=actor, note=note or promise, now=now, prepare=prepare)


def start_demand(demand: Demand, *, actor, note: str = "", now: datetime | None = None) -> Demand:
    return apply_transition(demand, Action.START, actor=actor, note=note, now=now)


def resolve_demand(demand: Demand, *, actor, resolution: str, now: datetime | None = None) -> Demand:
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationFailed.on("resolution", _("Say how it was resolved."))
    now = _now(now)

    def prepare(d: Demand) -> None:
        d.resolution, d.resolved_at = resolution, now

    return apply_transition(demand, Action.RESOLVE, actor=actor, note=resolution, now=now, prepare=prepare)


def return_demand(demand: Demand, *, actor, reason: str, now: datetime | None = None) -> Demand:
    """退回: wrong routing; back to the dispatcher of the responsible region, who re-routes or re-assigns."""

    def prepare(d: Demand) -> None:
        d.assignee = d.team = d.claimed_by = None
        d.promise = ""

    return apply_transition(demand, Action.RETURN, actor=actor, note=reason, now=now, prepare=prepare)


def reject_demand(demand: Demand, *, actor, reason: str, now: datetime | None = None) -> Demand:
    """不予受理 (reason required)."""
    return apply_transition(demand, Action.REJECT, actor=actor, note=reason, now=now)


def close_demand(demand: Demand, *, actor, note: str = "", now: datetime | None = None) -> Demand:
    return apply_transition(demand, Action.CLOSE, actor=actor, note=note, now=now)


def merge_demand(demand: Demand, *, actor, into_id: int, note: str = "", now: datetime | None = None) -> Demand:
    """合并 a duplicate into another demand; its submitter (and followers) follow the other one from now on, its
    supporters count on the other one, and both timelines record the merge."""
    if into_id == demand.pk:
        raise ValidationFailed.on("merged_into", _("A demand cannot be merged into itself."))
    into = Demand.objects.select_related("region", "grid").filter(pk=into_id).first()
    if into is None or not policies.can(actor, into, Action.MERGE) and not policies.in_scope(
            actor, into, C.ASSIGN_DEMANDS):
        raise ValidationFailed.on("merged_into", _("Merge into an open demand."))

    def prepare(d: Demand) -> None:
        target = Demand.objects.select_for_update(of=("self",)).get(pk=into.pk)
        if target.state in {State.MERGED, State.REJECTED, State.CLOSED}:
            raise ValidationFailed.on("merged_into", _("Merge into an open demand."))
        d.merged_into = target
        Follower.objects.create(demand=target, name=d.submitter_name, phone=d.submitter_phone,
                                user=d.submitter_user, from_demand=d)
        for f in d.followers.all():
            Follower.objects.create(demand=target, name=f.name, phone=f.phone, user=f.user, from_demand=d)
        moved = 0
        # its supporters, and the duplicate's own submitter (who met the same problem), count on the target
        for key in [f"merged:{d.tracking_code}", *Support.objects.filter(demand=d).values_list("key", flat=True)]:
            if not Support.objects.filter(demand=target, key=key).exists():
                Support.objects.create(demand=target, key=key)
                moved += 1
        if moved:
            Demand.objects.filter(pk=target.pk).update(support_count=F("support_count") + moved)
        # the target's timeline records what it took in; its state stays
        workflow.record_step(target, Action.MERGE, workflow=FLOW, actor=actor, now=now,
                             note=_("Took in %(code)s.") % {"code": d.tracking_code},
                             extra={"merged": d.tracking_code})

    return apply_transition(demand, Action.MERGE, actor=actor, now=now,
                            note=note or _("Merged into %(code)s.") % {"code": into.tracking_code},
                            extra={"into": into.tracking_code}, prepare=prepare)


def set_category(demand: Demand | int, *, actor, category_id: int | None, note: str = "",
                 now: datetime | None = None) -> Demand:
    """Set (or correct) a demand's category: a logged action (triage's automatic choice too, as SYSTEM)."""
    category = Category.objects.select_related("parent").filter(pk=category_id, active=True).first() \
        if category_id else None
    if category_id and category is None:
        raise ValidationFailed.on("category", _("Choose a valid category."))

    def prepare(d: Demand) -> None:
        if category is not None and category.subdistrict_id is not None \
                and category.subdistrict_id != subdistrict_of(d.region).pk:
            raise ValidationFailed.on("category", _("Choose a valid category."))
        d.category = category

    return apply_transition(demand, Action.CATEGORIZE, actor=actor, now=now, prepare=prepare,
                            note=note or (category.name if category else ""),
                            extra={"category": category.code if category else ""})


# --- Escalation ---------------------------------------------------------------------------------------------

def _next_tier(d: Demand) -> tuple[int, Region, object]:
    """(level, responsible region, assignee) one tier up.

    Residents: grid → residential area → sub-district (the top: only a referral goes further, `refer_demand`).
    Enterprises: building liaison → chief liaison → sub-district leaders.
    The sub-district stays the responsible region at the top tier.
    """
    level, region, assignee = d.escalation_level + 1, d.region, None
    if level == 1:
        if d.is_enterprise:
            liaison = _liaison_of(d)
            chief = (liaison if liaison and liaison.is_chief else (liaison.chief if liaison else None))
            if chief is not None and chief.user is not None:
                assignee = chief.user
            else:
                level = 2
        else:
            area = (d.grid or d.region).ancestor_of_kind(RegionKind.RESIDENTIAL_AREA)
            if area is not None:
                region = area
            else:
                level = 2
    if level >= 2:
        region = subdistrict_of(d.region)
    return level, region, assignee


def _up_one_tier(d: Demand) -> None:
    d.escalation_level, d.region, d.assignee = _next_tier(d)
    d.team, d.claimed_by, d.promise = None, None, ""


def _keep_extension(d: Demand, now: datetime) -> None:
    """A new tier gets a fresh resolution deadline, but never an earlier one than an approved extension gave."""
    due_before = d.due_on
    _set_deadlines(d, now)
    if due_before and d.due_on and due_before > d.due_on and d.extensions.filter(
            status=ExtensionStatus.APPROVED).exists():
        d.due_on = due_before


def escalate_demand(demand: Demand, *, actor, note: str = "", now: datetime | None = None) -> Demand:
    """上报 one tier up; the new tier gets a fresh resolution deadline (not earlier than an approved extension)."""
    now = _now(now)

    def prepare(d: Demand) -> None:
        if d.escalation_level >= policies.MAX_LEVEL:
            raise InvalidTransition(_("Escalation stops at the sub-district: a sub-district leader may refer the "
                                      "demand to a joint meeting."))
        _up_one_tier(d)
        _keep_extension(d, now)

    return apply_transition(demand, Action.ESCALATE, actor=actor, note=note, now=now, prepare=prepare)


def refer_demand(demand: Demand, *, actor, note: str, now: datetime | None = None) -> Demand:
    """A sub-district leader refers a demand beyond the sub-district to a joint meeting (level 3, the only way
    there; the overdue timer never does it). The sub-district stays responsible until the meeting's decision hands
    it to a unit (`hand_to_unit`). The joint app puts it on a session's agenda in the same transaction."""
    now = _now(now)

    def authorize(d: Demand) -> None:
        if policies.has_right(actor, d, Action.REFER):
            return
        if policies.may_see(actor, d):
            raise Forbidden(_("Only a sub-district leader may refer a demand to a joint meeting."))
        raise NotFound()

    def prepare(d: Demand) -> None:
        if d.escalation_level >= EscalationLevel.JOINT_MEETING:
            raise InvalidTransition(_("This demand is already referred to a joint meeting."))
        d.escalation_level, d.region = EscalationLevel.JOINT_MEETING, subdistrict_of(d.region)
        d.assignee, d.team, d.claimed_by, d.promise, d.handling_unit = None, None, None, "", None
        _keep_extension(d, now)

    return apply_transition(demand, Action.REFER, actor=actor, note=note, now=now, authorize=authorize,
                            prepare=prepare)


def hand_to_unit(demand: Demand, *, actor, unit, note: str = "", now: datetime | None = None) -> Demand:
    """A joint meeting's decision hands a referred demand to the unit that owns the decision (a district department,
    a hospital …): its staff then claim, work on and resolve it (`demands.handle` anchored at the unit)."""
    now = _now(now)

    def prepare(d: Demand) -> None:
        if d.escalation_level != EscalationLevel.JOINT_MEETING:
            raise InvalidTransition(_("Only a demand referred to a joint meeting is handed to a unit."))
        if unit is None:
            raise ValidationFailed.on("owner_unit", _("Choose the unit that owns the decision."))
        d.handling_unit, d.assignee, d.team, d.claimed_by, d.promise = unit, None, None, None, ""
        _set_deadlines(d, now)

    return apply_transition(demand, Action.ASSIGN, actor=actor, note=note, now=now, prepare=prepare)


# --- Resident review ----------------------------------------------------------------------------------------

TRACK_MAX_FAILURES = 5  # wrong last-four-digit tries before a tracking code locks
TRACK_LOCK = timedelta(hours=1)
TRACK_RESEND_EVERY = timedelta(minutes=10)  # at most one SMS re-send of a code per this time


def _guard(demand: Demand) -> None:
    if not TrackingGuard.objects.filter(pk=demand.pk).exists():
        try:
            with transaction.atomic():
                TrackingGuard.objects.create(demand=demand)
        except IntegrityError:  # created in parallel
            pass


def access_by_tracking(code: str, last4: str, *, now: datetime | None = None) -> Demand:
    """The demand with this tracking code whose submitter's phone ends in `last4`, or NotFound.

    Every try reserves one of the code's `TRACK_MAX_FAILURES` attempts with one conditional UPDATE before the
    digits are compared, so parallel guesses can never test more digits than that, whichever client sends them
    (H5, API, review, photo upload); a success gives the attempts back. When they run out the code is locked for
    `TRACK_LOCK`: every try answers `TrackingLocked` (even with the right digits) until then, or until the
    resident recovers it (`resend_tracking_code`). Each UPDATE is its own statement, so the count stands even when
    the caller answers with an error."""
    now, last4 = _now(now), (last4 or "").strip()
    demand = by_tracking_code(code)
    _guard(demand)
    guards = TrackingGuard.objects.filter(pk=demand.pk)
    guards.filter(locked_until__lte=now).update(attempts=0, locked_until=None)  # an expired lock ends
    if not guards.filter(locked_until__isnull=True, attempts__lt=TRACK_MAX_FAILURES).update(
            attempts=F("attempts") + 1):
        # out of attempts: locked (also when the try that used the last one never finished)
        guards.filter(locked_until__isnull=True).update(locked_until=now + TRACK_LOCK)
        raise TrackingLocked(demand.tracking_code, guards.values_list("locked_until", flat=True).first())
    # the phone is encrypted at rest: this one row is decrypted and its last digits compared
    if len(last4) == 4 and last4.isdigit() and constant_time_compare(demand.submitter_phone_last4, last4):
        guards.update(attempts=0)
        return demand
    if guards.filter(attempts__gte=TRACK_MAX_FAILURES, locked_until__isnull=True).update(locked_until=now + TRACK_LOCK):
        raise TrackingLocked(demand.tracking_code, now + TRACK_LOCK)
    raise NotFound()


def tracking_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt="gongzhi.demands.tracking-recovery")


def resend_tracking_code(code: str, *, now: datetime | None = None) -> bool:
    """Send the tracking code again by SMS to the phone on file, with a link (valid for `TRACK_LOCK`) that lifts
    a lock and opens the demand's page. At most once per `TRACK_RESEND_EVERY` per code (one conditional UPDATE),
    whoever asks. Returns whether an SMS was sent; callers answer the same either way."""
    now = _now(now)
    code = (code or "").strip().upper()
    demand = Demand.objects.filter(tracking_code=code).first() if code else None
    if demand is None or not demand.submitter_phone:
        return False
    _guard(demand)
    due = Q(resent_at__isnull=True) | Q(resent_at__lte=now - TRACK_RESEND_EVERY)
    if not TrackingGuard.objects.filter(due, pk=demand.pk).update(resent_at=now):
        return False
    token = tracking_signer().sign(demand.tracking_code)
    link = getattr(settings, "GONGZHI_PUBLIC_URL", "").rstrip("/") + reverse(
        "demands:track_recover", args=[token])
    text = _("Your demand's tracking code is %(code)s. Open %(link)s within an hour to see it again.") % {
        "code": demand.tracking_code, "link": link}
    transaction.on_commit(partial(notify.send_sms, [demand.submitter_phone], text), robust=True)
    return True


def recover_tracking_code(token: str) -> Demand:
    """The link of a re-sent SMS: lifts the code's lock and gives the demand (NotFound when it is wrong or
    older than `TRACK_LOCK`). Only the phone on file received it."""
    try:
        code = tracking_signer().unsign(token or "", max_age=TRACK_LOCK)
    except signing.BadSignature:
        raise NotFound() from None
    demand = by_tracking_code(code)
    TrackingGuard.objects.filter(pk=demand.pk).update(attempts=0, locked_until=None)
    return demand


def review_demand(code: str, last4: str, *, satisfaction: int, comment: str = "",
                  now: datetime | None = None) -> Demand:
    """The submitter's verdict (1-5). Satisfied (>= 4): reviewed, then archived. Unsatisfied: the demand is
    redone once (reopened, 3 working days); a second unsatisfied review escalates it one tier."""
    demand = access_by_tracking(code, last4, now=now)
    try:
        satisfaction = int(satisfaction)
    except (TypeError, ValueError):
        satisfaction = 0
    if not 1 <= satisfaction <= 5:
        raise ValidationFailed.on("satisfaction", _("Choose 1 to 5."))
    comment = (comment or "").strip()[:2000]
    now = _now(now)
    note = _("Satisfaction %(score)s/5. %(comment)s") % {"score": satisfaction, "comment": comment}

    def record(d: Demand) -> None:
        d.satisfaction, d.review_comment, d.reviewed_at = satisfaction, comment, now

    with transaction.atomic():
        if satisfaction >= SATISFIED_FROM:
            apply_transition(demand, Action.REVIEW, actor=SUBMITTER, note=note, now=now, prepare=record)
            return apply_transition(demand, Action.CLOSE, actor=SYSTEM, note=_("Archived after a satisfied review."),
                                    now=now)
        locked = Demand.objects.select_for_update(of=("self",)).get(pk=demand.pk)
        if locked.state != State.RESOLVED:
            raise InvalidTransition(_("Only a resolved demand can be reviewed."))
        if locked.reopen_count == 0 or locked.escalation_level >= policies.MAX_LEVEL:
            def reopen(d: Demand) -> None:
                record(d)
                d.reopen_count += 1
                _set_deadlines(d, now, resolution_days=REDO_DAYS)

            return apply_transition(demand, Action.REOPEN, actor=SUBMITTER, note=note, now=now, prepare=reopen)

        def escalate(d: Demand) -> None:
            record(d)
            _up_one_tier(d)
            _set_deadlines(d, now)

        return apply_transition(demand, Action.ESCALATE, actor=SYSTEM, note=note, now=now, prepare=escalate)


# --- Me too, photos -----------------------------------------------------------------------------------------

def rate_allows(kind: str, ident: str, *, limit: int, seconds: int, now: datetime | None = None) -> bool:
    """Count one request of `ident` against `limit` per `seconds` (a fixed window) and say whether it may pass.
    One conditional UPDATE per hit: parallel requests never pass more than `limit` (a row per window)."""
    now = _now(now)
    window = int(now.timestamp() // seconds)
    key = f"{kind}:{ident}:{window}"[:200]
    counters = RateCounter.objects.filter(key=key)
    if not counters.exists():
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, expires_at=now + timedelta(seconds=seconds))
        except IntegrityError:  # created in parallel
            pass
        else:
            RateCounter.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
    return counters.filter(count__lt=limit).update(count=F("count") + 1) == 1


def supporter_key(*, user=None, verified_phone: str = "") -> str:
    """The contact a "me too" counts once for: a logged-in account, or a phone proven with an SMS code."""
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    if verified_phone:
        return f"phone:{verified_phone}"
    return ""


def add_support(demand: Demand, *, user=None, verified_phone: str = "") -> int:
    """我也遇到: counts once per verified contact (a logged-in account, or a phone proven with an SMS code). The
    submitter cannot support their own demand. Returns the new count. A merged demand's support goes to the
    demand it was merged into."""
    key = supporter_key(user=user, verified_phone=verified_phone)
    if not key:
        raise ValidationFailed.on("contact", _("Confirm your phone number with an SMS code, or log in, to say "
                                               "“me too”."))
    key = crypto.lookup_hash(key)  # the contact is kept only as its keyed hash
    demand = Demand.objects.get(pk=demand.pk)
    while demand.merged_into_id:
        demand = demand.merged_into
    if demand.state in {State.REJECTED}:
        raise InvalidTransition(_("This demand was not accepted."))
    phones = {p for p in (verified_phone, getattr(user, "phone", "") if getattr(user, "phone_verified_at", None)
                          else "") if p}
    own = (user is not None and user.pk is not None and user.pk == demand.submitter_user_id) or (
        demand.submitter_phone in phones)
    if own:
        raise ValidationFailed.on("contact", _("You reported this demand yourself: “me too” is for other residents."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                Support.objects.create(demand=demand, key=key)
        except IntegrityError:
            pass
        else:
            Demand.objects.filter(pk=demand.pk).update(support_count=F("support_count") + 1)
    return Demand.objects.values_list("support_count", flat=True).get(pk=demand.pk)


def add_photo(demand: Demand, upload, *, kind: str = PhotoKind.BEFORE, uploaded_by=None) -> DemandPhoto:
    """Attach a photo (validated and re-encoded without EXIF). Staff attach 'after' photos to demands they handle."""
    if kind not in PhotoKind.values:
        raise ValidationFailed.on("kind", _("Choose a valid kind."))
    if uploaded_by is not None and not policies.has_right(uploaded_by, demand, Action.START):
        raise NotFound()  # the handler's right: its handler, or who handles demands in its scope
    content = clean_photo(upload)
    with transaction.atomic():
        locked = Demand.objects.select_for_update(of=("self",)).get(pk=demand.pk)
        if locked.photos.count() >= MAX_PHOTOS * 2:
            raise ValidationFailed.on("image", _("Too many photos."))
        return DemandPhoto.objects.create(demand=locked, image=content, kind=kind, uploaded_by=uploaded_by)


# --- Extensions ---------------------------------------------------------------------------------------------

def request_extension(demand: Demand, *, actor, days: int, reason: str, now: datetime | None = None) -> Extension:
    """A complex case asks for more time; at most 15 working days from intake in all, and it needs approval."""
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = [_("Give a reason.")]
    if not isinstance(days, int) or days < 1:
        errors["days"] = [_("Enter a positive number of days.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), field_errors=errors)
    with transaction.atomic():
        locked = Demand.objects.select_for_update(of=("self",)).select_related("region", "grid").get(pk=demand.pk)
        if not policies.can(actor, locked, policies.REQUEST_EXTENSION):
            if policies.may_see(actor, locked):
                raise InvalidTransition(_("Only open demands can be extended."))
            raise NotFound()
        _check_extension_limit(locked, days)
        ext = Extension.objects.create(demand=locked, days=days, reason=reason, requested_by=user_of(actor),
                                       requested_at=_now(now))
        text = _("Demand %(code)s asks for %(days)s more working days.") % {
            "code": locked.tracking_code, "days": days}
        approvers = notify.approvers_of(locked)
        transaction.on_commit(partial(notify.notify_users, approvers, locked, text), robust=True)
        return ext


def _check_extension_limit(demand: Demand, days: int) -> None:
    overrides = db_overrides()
    new_due = add_working_days(demand.due_on, days, overrides)
    total = working_days_between(timezone.localdate(demand.created_at), new_due, overrides)
    if total > MAX_RESOLUTION_DAYS:
        message = _("At most %(days)s working days in all.") % {"days": MAX_RESOLUTION_DAYS}
        raise ValidationFailed.on("days", message)


def decide_extension(extension: Extension, *, actor, approve: bool, note: str = "",
                     now: datetime | None = None) -> Extension:
    """Approve or refuse a deadline extension: an `extend` step on the demand's timeline either way."""
    now = _now(now)
    with transaction.atomic():
        ext = Extension.objects.select_for_update(of=("self",)).get(pk=extension.pk)
        if ext.status != ExtensionStatus.PENDING:
            raise InvalidTransition(_("This request has already been decided."))

        def authorize(d: Demand) -> None:
            if not policies.can(actor, d, policies.DECIDE_EXTENSION):
                raise NotFound()

        def prepare(d: Demand) -> None:
            if approve:
                _check_extension_limit(d, ext.days)
                d.due_on = add_working_days(d.due_on, ext.days, db_overrides())
                d.overdue_since = None

        verdict = (_("+%(days)s working days approved.") if approve else _("+%(days)s working days refused.")) % {
            "days": ext.days}
        demand = apply_transition(ext.demand_id, Action.EXTEND, actor=actor, now=now, authorize=authorize,
                                  prepare=prepare, note=" ".join(x for x in (verdict, (note or "").strip()) if x),
                                  extra={"days": ext.days, "approved": approve})
        ext.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        ext.decided_by, ext.decided_at, ext.decision_note = user_of(actor), now, (note or "").strip()
        ext.save()
        text = (_("The deadline of demand %(code)s was extended to %(date)s.") if approve
                else _("The extension of demand %(code)s was refused.")) % {
            "code": demand.tracking_code, "date": demand.due_on}
        requester = ext.requested_by
        transaction.on_commit(lambda: notify.notify_users([requester], demand, text), robust=True)
    return ext


# --- Overdue ------------------------------------------------------------------------------------------------

def check_overdue(now: datetime | None = None) -> list[int]:
    """Mark open demands past their first-response or resolution deadline as overdue, notify those responsible and
    escalate each one tier (as the system actor), never above the sub-district: from there on, and for a demand a
    leader referred to a joint meeting, it only marks and notifies.
    Idempotent within a deadline: a demand is handled once per missed deadline. Returns the ids handled."""
    now = _now(now)
    today = timezone.localdate(now)
    ids = list(Demand.objects.filter(overdue_q(today), overdue_since__isnull=True).values_list("pk", flat=True))
    handled = []
    for pk in ids:
        with transaction.atomic():
            d = Demand.objects.select_for_update(of=("self",)).select_related("region").filter(
                overdue_q(today), pk=pk, overdue_since__isnull=True).first()
            if d is None:
                continue
            d.is_overdue, d.overdue_since = True, today
            d._change_reason = "overdue"
            d.save(update_fields=["is_overdue", "overdue_since", "updated_at"])
            text = _("Demand %(code)s “%(title)s” is overdue.") % {"code": d.tracking_code, "title": d.title}
            recipients = notify.responsible_users(d)
            transaction.on_commit(partial(notify.notify_users, recipients, d, text), robust=True)
            if d.escalation_level < policies.MAX_LEVEL and FLOW.target(d.state, Action.ESCALATE):
                escalate_demand(d, actor=SYSTEM, note=_("Overdue: escalated automatically."), now=now)
            handled.append(pk)
    return handled


# --- History import ---------------------------------------------------------------------------------------

class HistoryStep(NamedTuple):
    """One past step of a demand's timeline, for `import_history`."""

    action: str
    from_state: str
    to_state: str
    actor: object  # a user, SYSTEM or SUBMITTER
    note: str
    escalation_level: int
    created_at: datetime


@dataclass
class HistoricalDemand:
    """A demand as it stands today (unsaved, its current state set) with its whole past."""

    demand: Demand
    steps: list[HistoryStep]
    supports: list[tuple[str, datetime]] = dataclass_field(default_factory=list)
    followers_from: list[tuple[Demand, datetime]] = dataclass_field(default_factory=list)


def _check_history(record: HistoricalDemand) -> None:
    steps, d = record.steps, record.demand
    problem = None
    if not steps or (steps[0].action, steps[0].from_state, steps[0].to_state) != (Action.SUBMIT, "", State.SUBMITTED):
        problem = _("its timeline must start with the submission")
    for before, step in zip(steps, steps[1:], strict=False):
        if step.from_state != before.to_state or FLOW.target(step.from_state, step.action) != step.to_state:
            problem = _("“%(action)s” cannot follow “%(state)s”") % {
                "action": FLOW.action_label(step.action), "state": FLOW.state_label(step.from_state)}
        if step.created_at < before.created_at:
            problem = _("its steps are not in time order")
    if steps and steps[-1].to_state != d.state:
        problem = _("its state is not where its timeline ends")
    if problem:
        message = _("Demand %(code)s: %(problem)s.") % {"code": d.tracking_code, "problem": problem}
        raise ValidationFailed.on("timeline", message)


def _db_time(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(map(qn, columns))}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def import_history(records: list[HistoricalDemand], *, actor, change_reason: str = "history import") -> int:
    """Take in demands handled before the platform (a legacy ledger, or the demo street's two years) in one
    transaction, all or nothing. Every timeline is checked against the transition table (`workflow.FLOW`); the
    steps stamp the response and archive times as live actions do (`stamp`); nobody is notified of the past.
    Returns the number of demands written."""
    workflow.check_actor(actor)
    for record in records:
        _check_history(record)
        d = record.demand
        d.first_response_at = d.closed_at = None
        for step in record.steps[1:]:
            stamp(d, step.action, step.to_state, step.created_at)
        d._history_date = d.created_at
        d.support_count = len(record.supports)
    with transaction.atomic():
        first = [r.demand for r in records if r.demand.merged_into is None]
        merged = [r.demand for r in records if r.demand.merged_into is not None]
        for demands in (first, merged):  # the demands merged into others after those
            bulk_create_with_history(demands, Demand, batch_size=500, default_change_reason=change_reason,
                                     default_user=user_of(actor))
        DemandTransition.objects.bulk_create([
            DemandTransition(demand=r.demand, action=s.action, from_state=s.from_state, to_state=s.to_state,
                             actor=user_of(s.actor), actor_label="" if workflow.is_user(s.actor) else s.actor.key,
                             note=s.note, escalation_level=s.escalation_level, created_at=s.created_at)
            for r in records for s in r.steps], batch_size=2000)
        # supports and followers keep their past times (their created_at is auto_now_add: a plain INSERT)
        _insert_rows(Support, ("demand_id", "key", "created_at"), [
            (r.demand.pk, crypto.lookup_hash(key), _db_time(when)) for r in records for key, when in r.supports])
        _insert_rows(Follower, ("demand_id", "name", "phone", "phone_hash", "user_id", "from_demand_id", "created_at"), [
            (r.demand.pk, dup.submitter_name, crypto.encrypt(dup.submitter_phone), crypto.lookup_hash(dup.submitter_phone),
             dup.submitter_user_id, dup.pk, _db_time(when))
            for r in records for dup, when in r.followers_from])
        # auto_now stamps the real clock: date every demand's last change from its timeline instead
        last = DemandTransition.objects.filter(demand=OuterRef("pk")).values("demand").annotate(t=Max("created_at"))
        Demand.objects.filter(pk__in=[d.pk for d in first + merged]).update(updated_at=Subquery(last.values("t")))
    return len(records)


def _system_only(actor) -> None:
    if actor is not SYSTEM:
        raise Forbidden()


@transaction.atomic
def import_category(*, actor, subdistrict: Region | None, code: str, name: str, parent: Category | None = None,
                    order: int = 0) -> Category:
    """A category added by the system (a sub-district's own taxonomy taken over from an earlier system)."""
    _system_only(actor)
    return Category.objects.create(subdistrict=subdistrict, code=code, name=name, parent=parent, order=order)


@transaction.atomic
def import_notifications(items, *, actor) -> int:
    """Inbox messages taken over by the system (a seeded street, an earlier system): `(user, demand or None, text)`
    each, written as unread inbox rows with no e-mail or SMS. Returns how many."""
    _system_only(actor)
    rows = [Notification(user=user, demand=demand, text=str(text)[:300]) for user, demand, text in items]
    Notification.objects.bulk_create(rows)
    return len(rows)


# --- Open311 clients ----------------------------------------------------------------------------------------

def register_open311_client(name: str, *, actor, user, key: str | None = None,
                            subdistrict: Region | None = None) -> tuple[Open311Client, str]:
    """A service account for an Open311 client (an app, the 12345 gateway); its requests are recorded as `user`.
    The api_key is returned once; only its hash is kept."""
    workflow.check_actor(actor)
    key = key or secrets.token_urlsafe(32)
    with transaction.atomic():
        client = Open311Client(name=name, user=user, key_hash=Open311Client.hash_key(key), subdistrict=subdistrict)
        client._history_user = user_of(actor)
        client.save()
    return client, key


# --- Inbox --------------------------------------------------------------------------------------------------

def mark_read(user, notification_ids: Iterable[int] | None = None, now: datetime | None = None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=_now(now))


# --- Proving a phone number by SMS (the H5 "me too", a resident account's verified phone) ------------------

PHONE_CODE_TTL = 600  # seconds a code is good for
PHONE_CODE_TRIES = 5  # wrong codes before the code is void


def _code_hash(phone: str, code: str) -> str:
    return salted_hmac("gongzhi.demands.phone-code", f"{phone}|{code}").hexdigest()


def send_phone_code(phone: str, *, now: datetime | None = None) -> str:
    """Send a six-digit code by SMS to `phone` (at most one a minute and five an hour per number) and return a
    signed token to keep (in the session) until the code comes back to `check_phone_code`."""
    now = _now(now)
    phone = (phone or "").replace(" ", "").strip()
    try:
        phone_validator(phone)
    except DjangoValidationError:
        raise ValidationFailed.on("phone", _("Enter a valid mobile or landline number.")) from None
    if not (rate_allows("phone-code-minute", phone, limit=1, seconds=60, now=now)
            and rate_allows("phone-code-hour", phone, limit=5, seconds=3600, now=now)):
        raise ValidationFailed.on("phone", _("A code was sent to this number a moment ago. Wait a minute before "
                                             "asking again."))
    code = f"{secrets.randbelow(10 ** 6):06d}"
    text = _("Your gongzhi verification code is %(code)s (valid for 10 minutes).") % {"code": code}
    transaction.on_commit(partial(notify.send_sms, [phone], text), robust=True)
    return signing.dumps({"phone": phone, "hash": _code_hash(phone, code), "nonce": secrets.token_hex(8)},
                         salt="gongzhi.demands.phone-code")


def check_phone_code(token: str, code: str, *, now: datetime | None = None) -> str:
    """The phone number a code sent by `send_phone_code` proves, or ValidationFailed (wrong, expired, or more than
    `PHONE_CODE_TRIES` wrong tries on this code)."""
    wrong = ValidationFailed.on("code", _("The code is wrong or has expired."))
    try:
        data = signing.loads(token or "", salt="gongzhi.demands.phone-code", max_age=PHONE_CODE_TTL)
    except signing.BadSignature:
        raise wrong from None
    if not rate_allows("phone-code-check", data["nonce"], limit=PHONE_CODE_TRIES, seconds=PHONE_CODE_TTL, now=now):
        raise ValidationFailed.on("code", _("Too many wrong codes. Ask for a new one."))
    if not constant_time_compare(data["hash"], _code_hash(data["phone"], (code or "").strip())):
        raise wrong
    return data["phone"]
