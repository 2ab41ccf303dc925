"""Reads of the appointments part: the slot grid of a place (a small private check of the offers part's rules:
the item offered and bookable, the working plan of the weekday on the holiday calendar, the break, the slot grid
from opening time), the seats left in a slot, and the scoped staff lists ("my places": where I am on duty, else the
places in my scope).

A slot of a place is ``[starts_at, starts_at + slot_minutes)`` on the grid that starts at the day's opening time. A
holiday (`CalendarDay.is_working` false) closes every place; a make-up working day on a weekend follows Monday's plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import access, has_capability, scoped
from gongzhi.core.errors import NotFound
from gongzhi.core.workbench import card
from gongzhi.demands.calendar import DbOverrides
from gongzhi.registry.models import ServicePlace
from gongzhi.services.models import Appointment, BookingRules, Duty, Offer, ServiceItem, WorkingPlan
from gongzhi.services.workflow import APPOINTMENT_HOLDING_STATES, AppointmentState

VIEW = Capability.VIEW_SERVICES
ACCEPT = Capability.ACCEPT_CASES
DEFAULT_RULES = BookingRules()  # the model's defaults, for a place without its own row (never saved)


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    remaining: int


# --- The slot grid ----------------------------------------------------------------------------------------------

def rules_of(place: ServicePlace) -> BookingRules | None:
    """The place's booking rules, or None: a place without rules takes no bookings."""
    return BookingRules.objects.filter(place=place).first()


def offer_of(place: ServicePlace, item: ServiceItem) -> Offer | None:
    return Offer.objects.filter(place=place, item=item, active=True).first()


def capacity(place: ServicePlace, item: ServiceItem, *, rules: BookingRules | None = None,
             offer: Offer | None = None) -> int:
    """Seats per slot for the item at the place: the offer's own capacity, else the place's default."""
    offer = offer or offer_of(place, item)
    if offer is not None and offer.capacity:
        return offer.capacity
    rules = rules or rules_of(place) or DEFAULT_RULES
    return rules.capacity


def plan_for(place: ServicePlace, day: date, overrides=None, plans: dict | None = None) -> WorkingPlan | None:
    """The working plan the place follows on `day`: None on a holiday or a day without a plan. `plans`: the plans
    already loaded, {(place pk, weekday): plan} (a bulk reader's)."""
    overrides = DbOverrides() if overrides is None else overrides
    weekday = day.weekday()
    if day in overrides:
        if not overrides[day]:
            return None  # a holiday closes
        if weekday >= 5:
            weekday = 0  # a make-up working day on a weekend follows Monday's plan
    if plans is not None:
        return plans.get((place.pk, weekday))
    return WorkingPlan.objects.filter(place=place, weekday=weekday).first()


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def slot_starts(plan: WorkingPlan, slot_minutes: int) -> list[time]:
    """The starting times of the slots of a working plan: on the grid from opening, whole, outside the break."""
    starts, at = [], _minutes(plan.opens_at)
    close = _minutes(plan.closes_at)
    brk = ((_minutes(plan.break_starts_at), _minutes(plan.break_ends_at))
           if plan.break_starts_at and plan.break_ends_at else None)
    while at + slot_minutes <= close:
        if brk is None or at + slot_minutes <= brk[0] or at >= brk[1]:
            starts.append(time(at // 60, at % 60))
        at += slot_minutes
    return starts


def slot_problem(place: ServicePlace, item: ServiceItem, starts_at: datetime, *, overrides=None) -> str | None:
    """Why `starts_at` is no slot for booking `item` at `place` (a message), or None when it is one."""
    if not item.active or not item.bookable:
        return _("This item cannot be booked online.")
    if offer_of(place, item) is None:
        return _("This place does not offer this item.")
    rules = rules_of(place)
    if rules is None:
        return _("This place does not take bookings.")
    local = timezone.localtime(starts_at)
    overrides = DbOverrides() if overrides is None else overrides
    if local.date() in overrides and not overrides[local.date()]:
        return _("The place is closed on this day (a holiday).")
    plan = plan_for(place, local.date(), overrides)
    if plan is None:
        return _("The place is closed on this day.")
    if local.second or local.microsecond or local.time().replace(second=0) not in slot_starts(plan, rules.slot_minutes):
        return _("Choose one of the slots offered: this time is outside the opening hours or off the slot grid.")
    return None


def slot_ok(place: ServicePlace, item: ServiceItem, starts_at: datetime) -> bool:
    return slot_problem(place, item, starts_at) is None


def taken_seats(place: ServicePlace, starts_at: datetime, *, exclude=None) -> set[int]:
    qs = Appointment.objects.filter(place=place, starts_at=starts_at, state__in=APPOINTMENT_HOLDING_STATES)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return set(qs.values_list("seat", flat=True))


def free_seats(place: ServicePlace, item: ServiceItem, starts_at: datetime, *, exclude=None, cap=None) -> list[int]:
    """The seat numbers 1…capacity still free in the slot, lowest first."""
    cap = cap or capacity(place, item)
    taken = taken_seats(place, starts_at, exclude=exclude)
    return [s for s in range(1, cap + 1) if s not in taken]


def time_problem(rules: BookingRules, starts_at: datetime, now: datetime) -> str | None:
    """Why the booking rules refuse a slot starting at `starts_at` when booked at `now` (or None)."""
    if starts_at <= now:
        return _("This time has already passed.")
    if starts_at < now + timedelta(hours=rules.min_notice_hours):
        return _("Book at least %(hours)s hours ahead.") % {"hours": rules.min_notice_hours}
    if timezone.localtime(starts_at).date() > timezone.localtime(now).date() + timedelta(days=rules.max_advance_days):
        return _("Book at most %(days)s days ahead.") % {"days": rules.max_advance_days}
    return None


def booking_days(place: ServicePlace, *, now: datetime | None = None) -> list[date]:
    """The days a resident may book at the place from now: today to max_advance_days ahead, open ones only."""
    now = now or timezone.now()
    rules = rules_of(place)
    if rules is None:
        return []
    overrides = DbOverrides()
    today = timezone.localtime(now).date()
    return [d for d in (today + timedelta(days=i) for i in range(rules.max_advance_days + 1))
            if plan_for(place, d, overrides) is not None]


def available_slots(place: ServicePlace, item: ServiceItem, day: date, *, now: datetime | None = None,
                    exclude=None) -> list[Slot]:
    """The slots of `day` the item may be booked in at the place now, with seats left (the booking page)."""
    now = now or timezone.now()
    rules = rules_of(place)
    if rules is None or not item.active or not item.bookable:
        return []
    offer = offer_of(place, item)
    plan = plan_for(place, day)
    if offer is None or plan is None:
        return []
    cap = capacity(place, item, rules=rules, offer=offer)
    tz = timezone.get_current_timezone()
    starts = [datetime.combine(day, t, tzinfo=tz) for t in slot_starts(plan, rules.slot_minutes)]
    starts = [s for s in starts if time_problem(rules, s, now) is None]
    held = (Appointment.objects.filter(place=place, starts_at__in=starts, state__in=APPOINTMENT_HOLDING_STATES,
                                       seat__lte=cap))
    if exclude is not None:
        held = held.exclude(pk=exclude.pk)
    counts: dict[datetime, int] = {}
    for when in held.values_list("starts_at", flat=True):
        counts[when] = counts.get(when, 0) + 1
    step = timedelta(minutes=rules.slot_minutes)
    return [Slot(s, s + step, cap - counts.get(s, 0)) for s in starts if cap - counts.get(s, 0) > 0]


# --- The public side ---------------------------------------------------------------------------------------------

def bookable_items():
    """Items residents may book somewhere (active, bookable, actively offered at a place with booking rules)."""
    return (ServiceItem.objects.filter(active=True, bookable=True, offers__active=True,
                                       offers__place__booking_rules__isnull=False)
            .distinct().order_by("category__position", "position", "code"))


def places_offering(item: ServiceItem):
    """The places taking bookings for the item."""
    return (ServicePlace.objects.filter(offers__item=item, offers__active=True, booking_rules__isnull=False)
            .distinct().order_by("code"))


def public_item(code: str) -> ServiceItem:
    found = ServiceItem.objects.filter(code=(code or "").strip(), active=True, bookable=True).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def public_place(code: str, item: ServiceItem) -> ServicePlace:
    found = places_offering(item).filter(code=(code or "").strip()).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def by_code(code: str) -> Appointment:
    found = (Appointment.objects.select_related("place", "item").filter(code=(code or "").strip().upper())
             .first())
    if found is None:
        raise NotFound(_("Not found."))
    return found


# --- Staff ------------------------------------------------------------------------------------------------------

def appointments_for(user):
    return scoped(user, Appointment, VIEW).select_related("place", "item")


def appointment(user, pk) -> Appointment:
    return access(user, appointments_for(user), VIEW, pk=pk)


def places_for(user):
    """The service places in the user's view scope."""
    return scoped(user, ServicePlace, VIEW).order_by("code")


def my_places(user):
    """"My places": those where the user is on the duty roster (in scope), else every place in scope."""
    places = places_for(user)
    mine = places.filter(pk__in=Duty.objects.filter(user=user).values("place"))
    return mine if mine.exists() else places


def filter_appointments(qs, params, user):
    """The staff list's filters: place (in scope), day (YYYY-MM-DD), state, q (booking code or item)."""
    place = (params.get("place") or "").strip()
    if place.isdigit():
        qs = qs.filter(place__in=places_for(user).filter(pk=int(place)))
    day = parse_day(params.get("day"))
    if day is not None:
        qs = on_day(qs, day)
    state = params.get("state") or ""
    if state in AppointmentState.values:
        qs = qs.filter(state=state)
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(code__iexact=q) | Q(item__name__icontains=q) | Q(place__name__icontains=q))
    return qs


def parse_day(value) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time(), tzinfo=tz)
    return start, start + timedelta(days=1)


def on_day(qs, day: date):
    start, end = day_bounds(day)
    return qs.filter(starts_at__gte=start, starts_at__lt=end)


def day_at_place(user, place: ServicePlace, day: date):
    return on_day(appointments_for(user).filter(place=place), day).order_by("starts_at", "seat", "pk")


def today_card(user):
    """Workbench: today's appointments at my places still to come or to check in."""
    if not has_capability(user, ACCEPT):
        return None
    places = my_places(user)
    qs = on_day(appointments_for(user).filter(place__in=places, state=AppointmentState.BOOKED),
                timezone.localdate()).order_by("starts_at", "pk")
    return card(qs, reverse("services:appointments_day"),
                lambda a: {"text": f"{timezone.localtime(a.starts_at):%H:%M} {a.item.name} · {a.place.name}",
                           "url": reverse("services:appointments_day") + f"?place={a.place_id}"})
