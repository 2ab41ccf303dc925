"""Writing offers, working plans, booking rules and the duty roster of a place (the offers part). Each call is one
transaction; the actor must manage the place (`services.manage` in a scope covering it, or the system)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import time

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from gongzhi.core.errors import Forbidden, ValidationFailed
from gongzhi.core.workflow import check_actor, user_of
from gongzhi.services.models import BookingRules, Duty, Offer, ServiceItem, WorkingPlan
from gongzhi.services.policies import offers as policies
from gongzhi.services.selectors import offers as selectors

MAX_SMALL = 32767
PLAN_FIELDS = ("opens_at", "closes_at", "break_starts_at", "break_ends_at")
RULE_LIMITS = {  # field → (lowest, highest)
    "slot_minutes": (5, 240),
    "capacity": (1, 99),
    "min_notice_hours": (0, 720),
    "max_advance_days": (1, 365),
    "max_per_phone": (1, 99),
    "remind_hours_before": (0, 168),
}


def _manages(actor, place) -> None:
    check_actor(actor)
    if not policies.may_manage(actor, place):
        raise Forbidden()


def _history_user(actor) -> dict:
    return {"default_user": user_of(actor)}


# --- offers ----------------------------------------------------------------------------------------------------

def _capacity(value, field: str = "capacity") -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SMALL:
        raise ValidationFailed.on(field, _("Enter a capacity of at least 1, or leave it empty for the default."))
    return value


def _items(place, items: Iterable, field: str = "items") -> list[ServiceItem]:
    """Catalogue items (instances or codes) the place may offer; ValidationFailed naming the others."""
    wanted = list(dict.fromkeys(i.code if isinstance(i, ServiceItem) else str(i).strip() for i in items))
    visible = {i.code: i for i in selectors.visible_items(place).filter(code__in=wanted)}
    missing = [code for code in wanted if code not in visible]
    if missing:
        raise ValidationFailed.on(field, _("Not in the catalogue of this place: %(codes)s.") % {
            "codes": ", ".join(missing[:10])})
    return [visible[code] for code in wanted]


@transaction.atomic
def offer_item(place, *, actor, item, capacity=None, note: str = "") -> Offer:
    """The place offers `item` (again), with its own capacity per slot (None: the place's default)."""
    _manages(actor, place)
    item = _items(place, [item], "item")[0]
    capacity, note = _capacity(capacity), (note or "").strip()[:200]
    offer = Offer.objects.select_for_update().filter(place=place, item=item).first()
    if offer is None:
        return Offer.objects.create(place=place, item=item, capacity=capacity, note=note)
    offer.active, offer.capacity, offer.note = True, capacity, note
    offer.save()
    return offer


@transaction.atomic
def withdraw_item(place, *, actor, item) -> Offer:
    """The place no longer offers `item` (the offer row stays, inactive, with its history)."""
    _manages(actor, place)
    offer = Offer.objects.select_for_update().filter(place=place, item=item, active=True).first()
    if offer is None:
        raise ValidationFailed.on("item", _("This place does not offer this item."))
    offer.active = False
    offer.save()
    return offer


@transaction.atomic
def update_offer(offer: Offer, *, actor, capacity=None, note: str = "") -> Offer:
    _manages(actor, offer.place)
    offer.capacity, offer.note = _capacity(capacity), (note or "").strip()[:200]
    offer.save()
    return offer


def _offer_many(place, items: list[ServiceItem], actor, capacity) -> int:
    existing = {o.item_id: o for o in Offer.objects.select_for_update().filter(place=place)}
    new = [Offer(place=place, item=i, capacity=capacity) for i in items if i.pk not in existing]
    revived = [existing[i.pk] for i in items if i.pk in existing and not existing[i.pk].active]
    for o in revived:
        o.active = True
    if new:
        bulk_create_with_history(new, Offer, batch_size=500, default_change_reason="offer items",
                                 **_history_user(actor))
    if revived:
        bulk_update_with_history(revived, Offer, ["active"], batch_size=500, default_change_reason="offer items",
                                 **_history_user(actor))
    return len(new) + len(revived)


@transaction.atomic
def offer_items(place, *, actor, items: Iterable, capacity=None) -> int:
    """Bulk "offer these items" (instances or item codes): all or nothing. Returns how many became offered."""
    _manages(actor, place)
    return _offer_many(place, _items(place, items), actor, _capacity(capacity))


@transaction.atomic
def set_offered_items(place, *, actor, items: Iterable) -> tuple[int, int]:
    """The place offers exactly `items` (instances or codes): the others are withdrawn. Returns (offered,
    withdrawn)."""
    _manages(actor, place)
    chosen = _items(place, items)
    offered = _offer_many(place, chosen, actor, None)
    keep = {i.pk for i in chosen}
    gone = list(Offer.objects.filter(place=place, active=True).exclude(item_id__in=keep))
    for o in gone:
        o.active = False
    if gone:
        bulk_update_with_history(gone, Offer, ["active"], batch_size=500, default_change_reason="withdraw items",
                                 **_history_user(actor))
    return offered, len(gone)


@transaction.atomic
def import_offers(rows, *, actor) -> None:
    """The Excel import's writer: validated offers (obj, m2m), all or nothing."""
    for obj, _m2m in rows:
        _manages(actor, obj.place)
        obj.save()


# --- the working plan ------------------------------------------------------------------------------------------

def check_plan(days: Mapping[int, Mapping | None]) -> dict[int, dict]:
    """The rows of a working plan, weekday → {opens_at, closes_at, break_starts_at, break_ends_at}; a closed day has
    no row (None or absent). ValidationFailed with the errors per field, named "<field>_<weekday>"."""
    errors: dict[str, list[str]] = {}
    rows: dict[int, dict] = {}

    def fail(name, weekday, message):
        errors.setdefault(f"{name}_{weekday}", []).append(str(message))

    for weekday, row in days.items():
        if not isinstance(weekday, int) or not 0 <= weekday <= 6:
            errors.setdefault("weekday", []).append(_("A weekday is a number from 0 (Monday) to 6 (Sunday)."))
            continue
        if not row:
            continue
        values = {f: row.get(f) for f in PLAN_FIELDS}
        if any(v is not None and not isinstance(v, time) for v in values.values()):
            fail("opens_at", weekday, _("Enter times of day."))
            continue
        opens, closes, b_start, b_end = (values[f] for f in PLAN_FIELDS)
        if opens is None:
            fail("opens_at", weekday, _("An open day needs the time it opens."))
        if closes is None:
            fail("closes_at", weekday, _("An open day needs the time it closes."))
        if opens and closes and closes <= opens:
            fail("closes_at", weekday, _("It must close after it opens."))
        if (b_start is None) != (b_end is None):
            fail("break_ends_at" if b_end is None else "break_starts_at", weekday,
                 _("Give both ends of the break, or neither."))
        elif b_start is not None:
            if b_end <= b_start:
                fail("break_ends_at", weekday, _("The break must end after it starts."))
            elif opens and closes and not (opens < b_start and b_end < closes):
                fail("break_starts_at", weekday, _("The break must lie inside the opening hours."))
        rows[weekday] = values
    if errors:
        raise ValidationFailed(_("Check the working plan."), field_errors=errors)
    return rows


@transaction.atomic
def set_working_plan(place, *, actor, days: Mapping[int, Mapping | None]) -> list[WorkingPlan]:
    """Replace the place's working plan: the given open weekdays with their hours and break; others are closed."""
    _manages(actor, place)
    rows = check_plan(days)
    current = {p.weekday: p for p in WorkingPlan.objects.select_for_update().filter(place=place)}
    for weekday, plan in current.items():
        if weekday not in rows:
            plan.delete()
    saved = []
    for weekday in sorted(rows):
        plan = current.get(weekday) or WorkingPlan(place=place, weekday=weekday)
        if plan.pk and all(getattr(plan, f) == rows[weekday][f] for f in PLAN_FIELDS):
            saved.append(plan)
            continue
        for f in PLAN_FIELDS:
            setattr(plan, f, rows[weekday][f])
        plan.save()
        saved.append(plan)
    return saved


# --- booking rules ---------------------------------------------------------------------------------------------

@transaction.atomic
def set_booking_rules(place, *, actor, **values) -> BookingRules:
    """Set the place's booking rules (the fields of BookingRules; the absent ones keep their value)."""
    _manages(actor, place)
    unknown = set(values) - set(RULE_LIMITS)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    rules = BookingRules.objects.select_for_update().filter(place=place).first() or BookingRules(place=place)
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        low, high = RULE_LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors[name] = [_("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}]
        else:
            setattr(rules, name, value)
    if not errors and rules.min_notice_hours >= rules.max_advance_days * 24:
        errors["min_notice_hours"] = [_("The minimum notice must be shorter than the maximum advance.")]
    if errors:
        raise ValidationFailed(_("Check the booking rules."), field_errors=errors)
    rules.save()
    return rules


# --- the duty roster -------------------------------------------------------------------------------------------

@transaction.atomic
def set_duty_roster(place, *, actor, duties: Iterable[tuple]) -> list[Duty]:
    """Replace the place's roster with `duties`: (user, weekday) (an existing row keeps its post) or (user, weekday,
    post). Each user must hold
    `services.accept` in a scope covering the place."""
    _manages(actor, place)
    wanted: dict[tuple[int, int], tuple] = {}
    errors: dict[str, list[str]] = {}
    for row in duties:
        user, weekday, post = row[0], row[1], (row[2] if len(row) > 2 else None)  # None: keep the post
        if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
            errors.setdefault("weekday", [_("A weekday is a number from 0 (Monday) to 6 (Sunday).")])
            continue
        if not policies.may_be_on_duty(user, place):
            errors.setdefault("user", []).append(
                _("%(user)s may not serve at this place: the roster takes staff who accept cases here.")
                % {"user": user})
            continue
        wanted[(user.pk, weekday)] = (user, weekday, None if post is None else post.strip()[:40])
    if errors:
        raise ValidationFailed(_("Check the roster."), field_errors=errors)
    current = {(d.user_id, d.weekday): d for d in Duty.objects.select_for_update().filter(place=place)}
    for key, duty in current.items():
        if key not in wanted:
            duty.delete()
    new = []
    for key, (user, weekday, post) in wanted.items():
        duty = current.get(key)
        if duty is None:
            new.append(Duty(place=place, user=user, weekday=weekday, post=post or ""))
        elif post is not None and duty.post != post:
            duty.post = post
            duty.save()
    if new:
        bulk_create_with_history(new, Duty, default_change_reason="roster", **_history_user(actor))
    return list(selectors.roster_of(place))
