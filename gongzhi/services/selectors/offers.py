"""Reading offers, working plans, booking rules and the roster (the offers part), and the schedule logic the other
parts share: when a place is open on a day (`opening`), its bookable slots (`slots`, `availability`), the seats of a
slot (`capacity`), who is on duty (`on_duty`) and "my places" (`my_places`).

The calendar is the demands app's (gongzhi.demands.calendar): a `CalendarDay` row with is_working=False (a public
holiday) closes every place that day whatever its plan; a row with is_working=True on a Saturday or Sunday (a
make-up working day, 调休) opens the place with MONDAY's plan (and Monday's roster); any other day follows the plan
of its own weekday, so a station whose plan has Saturday opens on an ordinary Saturday although the calendar counts
weekends as non-working.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from gongzhi.accounts.roles import ROLE_CAPABILITIES
from gongzhi.accounts.scope import access, has_capability, require_capability, scoped
from gongzhi.core.workbench import CARD_ITEMS
from gongzhi.demands.calendar import DbOverrides
from gongzhi.registry.models import ServicePlace
from gongzhi.services.models import Appointment, BookingRules, Duty, Offer, ServiceItem, WorkingPlan
from gongzhi.services.policies.offers import ACCEPT, MANAGE, VIEW
from gongzhi.services.workflow import APPOINTMENT_HOLDING_STATES

MONDAY = 0
DEFAULT_RULES = BookingRules()  # the model's defaults, for a place without rules yet


# --- the calendar ----------------------------------------------------------------------------------------------

def overrides_or_db(overrides: Mapping[date, bool] | None) -> Mapping[date, bool]:
    return DbOverrides() if overrides is None else overrides


def plan_weekday(day: date, overrides: Mapping[date, bool] | None = None) -> int | None:
    """Whose weekday's plan (and roster) applies on `day`: None on a public holiday, Monday's on a make-up working
    day at a weekend, else the day's own weekday."""
    overrides = overrides_or_db(overrides)
    if day in overrides:
        if not overrides[day]:
            return None
        if day.weekday() >= 5:
            return MONDAY
    return day.weekday()


def plans_of(place) -> dict[int, WorkingPlan]:
    """The place's working plan, weekday → row (closed weekdays have no row)."""
    return {p.weekday: p for p in WorkingPlan.objects.filter(place=place)}


def intervals(plan: WorkingPlan | None) -> list[tuple[time, time]]:
    """The open intervals of one plan row: its hours minus its break."""
    if plan is None:
        return []
    if plan.break_starts_at is None or plan.break_ends_at is None:
        return [(plan.opens_at, plan.closes_at)]
    found = []
    if plan.break_starts_at > plan.opens_at:
        found.append((plan.opens_at, plan.break_starts_at))
    if plan.break_ends_at < plan.closes_at:
        found.append((plan.break_ends_at, plan.closes_at))
    return found


def opening(place, day: date, overrides: Mapping[date, bool] | None = None,
            plans: Mapping[int, WorkingPlan] | None = None) -> list[tuple[time, time]]:
    """The open intervals of `place` on `day` ([] when closed): the applicable weekday's plan minus its break.
    `overrides` (date → is working) defaults to the CalendarDay table; `plans` to the place's rows."""
    weekday = plan_weekday(day, overrides)
    if weekday is None:
        return []
    plans = plans_of(place) if plans is None else plans
    return intervals(plans.get(weekday))


def rules_of(place) -> BookingRules:
    """The place's booking rules (the model's defaults when it has none yet)."""
    found = BookingRules.objects.filter(place=place).first()
    return found if found is not None else BookingRules(**{
        f.attname: getattr(DEFAULT_RULES, f.attname) for f in BookingRules._meta.concrete_fields
        if f.attname not in ("id", "place_id")}, place=place)


def slots(place, day: date, overrides: Mapping[date, bool] | None = None, *, rules: BookingRules | None = None,
          plans: Mapping[int, WorkingPlan] | None = None) -> list[tuple[datetime, datetime]]:
    """The bookable slots of `place` on `day`: (starts_at, ends_at) aware datetimes of `slot_minutes` each, inside
    the open intervals (a slot never runs into a break or past closing)."""
    rules = rules_of(place) if rules is None else rules
    step = timedelta(minutes=rules.slot_minutes)
    tz = timezone.get_current_timezone()
    found = []
    for start, end in opening(place, day, overrides, plans):
        at, stop = datetime.combine(day, start), datetime.combine(day, end)
        while at + step <= stop:
            found.append((timezone.make_aware(at, tz), timezone.make_aware(at + step, tz)))
            at += step
    return found


def capacity(place, item) -> int:
    """Seats of one slot for `item` at `place`: the offer's own capacity, else the place's default (also for
    `item` None)."""
    own = None if item is None else Offer.objects.filter(place=place, item=item).values_list("capacity", flat=True).first()
    return own or rules_of(place).capacity


def holding(place, start: datetime, end: datetime) -> QuerySet:
    """The appointments holding a seat at `place` with a start in [start, end)."""
    return Appointment.objects.filter(place=place, starts_at__gte=start, starts_at__lt=end,
                                      state__in=sorted(APPOINTMENT_HOLDING_STATES))


def _day_bounds(day: date, days: int = 1) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(day, time()), tz),
            timezone.make_aware(datetime.combine(day + timedelta(days=days), time()), tz))


@dataclass
class Slot:
    starts_at: datetime
    ends_at: datetime
    capacity: int
    taken: int  # seats 1..capacity held
    bookable: bool  # seats left, and within the booking rules' notice and advance

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.taken)


def availability(place, day: date, item, *, now: datetime | None = None,
                 overrides: Mapping[date, bool] | None = None) -> list[Slot]:
    """Each slot of `place` on `day` with the seats left for `item`. Seats are the place's per slot (the
    appointments' seat numbers): a booking for the item takes one of the seats 1..capacity(place, item)."""
    rules, now = rules_of(place), now or timezone.now()
    seats = capacity(place, item)
    taken: dict[datetime, set[int]] = defaultdict(set)
    for starts_at, seat in holding(place, *_day_bounds(day)).values_list("starts_at", "seat"):
        taken[starts_at].add(seat)
    earliest = now + timedelta(hours=rules.min_notice_hours)
    latest = timezone.localdate(now) + timedelta(days=rules.max_advance_days)
    found = []
    for start, end in slots(place, day, overrides, rules=rules):
        used = len({s for s in taken[start] if s <= seats})
        found.append(Slot(start, end, seats, used, used < seats and start >= earliest and day <= latest))
    return found


# --- offers ----------------------------------------------------------------------------------------------------

def region_prefixes(path: str) -> list[str]:
    """"/1/4/9/" → ["/1/", "/1/4/", "/1/4/9/"]: the paths of a region and its ancestors."""
    ids = [p for p in path.split("/") if p]
    return ["/" + "/".join(ids[:n]) + "/" for n in range(1, len(ids) + 1)]


def visible_items(place) -> QuerySet:
    """The active catalogue items a place may offer: city-wide ones (no region) and the own items of its
    sub-district (or area) above it."""
    return ServiceItem.objects.filter(active=True).filter(
        Q(region__isnull=True) | Q(region__path__in=region_prefixes(place.region.path))
    ).select_related("category")


def offers_of(place, q: str = "") -> QuerySet:
    """What the place offers (active offers), catalogue order; `q` searches the item's name, code and keywords."""
    qs = Offer.objects.filter(place=place, active=True).select_related("item__category")
    if q:
        qs = qs.filter(Q(item__name__icontains=q) | Q(item__code__icontains=q) | Q(item__keywords__icontains=q))
    return qs.order_by("item__category__position", "item__category__code", "item__position", "item__code")


def offered_item_ids(place) -> set[int]:
    return set(Offer.objects.filter(place=place, active=True).values_list("item_id", flat=True))


def places_offering(item) -> QuerySet:
    """The places that offer `item` now."""
    return ServicePlace.objects.filter(offers__item=item, offers__active=True).order_by("kind", "code")


# --- the roster and "my places" --------------------------------------------------------------------------------

def roster_of(place) -> QuerySet:
    return Duty.objects.filter(place=place).select_related("user").order_by("weekday", "user__username")


def on_duty(place, day: date, overrides: Mapping[date, bool] | None = None) -> list:
    """The staff on duty at `place` on `day` (nobody on a holiday; Monday's roster on a make-up day)."""
    weekday = plan_weekday(day, overrides)
    if weekday is None:
        return []
    return [d.user for d in roster_of(place).filter(weekday=weekday, user__is_active=True)]


def my_places(user) -> QuerySet:
    """Where the user is on the roster; for the sub-district (services.manage) with no roster row, every place in
    scope."""
    if not getattr(user, "is_authenticated", False):
        return ServicePlace.objects.none()
    mine = ServicePlace.objects.filter(pk__in=Duty.objects.filter(user=user).values("place_id"))
    if mine.exists():
        return mine.order_by("kind", "code")
    if has_capability(user, MANAGE):
        return scoped(user, ServicePlace, VIEW).order_by("kind", "code")
    return ServicePlace.objects.none()


def duty_candidates(place) -> QuerySet:
    """The active users holding `services.accept` in a scope covering the place (who may be on its roster)."""
    roles = [role for role, caps in ROLE_CAPABILITIES.items() if ACCEPT in caps]
    return get_user_model().objects.filter(
        Q(is_superuser=True) | Q(role_assignments__role__in=roles,
                                 role_assignments__region__path__in=region_prefixes(place.region.path)),
        is_active=True,
    ).distinct().order_by("username")


# --- scoped reads for pages and the API -------------------------------------------------------------------------

def places_for(user, params: Mapping | None = None) -> QuerySet:
    """The places in the user's scope with the number of items they offer; `q` (name, code), `kind`."""
    require_capability(user, VIEW)
    params = params or {}
    qs = scoped(user, ServicePlace, VIEW).select_related("region").annotate(
        offered=Count("offers", filter=Q(offers__active=True)))
    if q := (params.get("q") or "").strip():
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if kind := params.get("kind"):
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "code")


def place(user, pk) -> ServicePlace:
    """A place in the user's scope (services.view), else NotFound."""
    require_capability(user, VIEW)
    return access(user, ServicePlace.objects.select_related("region"), VIEW, pk=pk)


def managed_place(user, pk) -> ServicePlace:
    """A place the user manages (services.manage in scope), else Forbidden (no right) or NotFound."""
    require_capability(user, MANAGE)
    return access(user, ServicePlace.objects.select_related("region"), MANAGE, pk=pk)


def public_place(pk) -> ServicePlace:
    """Any place, for the public booking pages."""
    from gongzhi.core.errors import NotFound

    found = ServicePlace.objects.select_related("region").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def hours_summary(plans: Mapping[int, WorkingPlan] | list[WorkingPlan]) -> str:
    """"Monday–Friday 09:00–11:30, 13:00–17:00; Saturday 09:00–12:00": runs of weekdays with the same hours."""
    rows = plans.values() if isinstance(plans, Mapping) else plans
    by_day = {p.weekday: ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in intervals(p)) for p in rows}
    parts, day = [], 0
    while day < 7:
        if day not in by_day:
            day += 1
            continue
        end = day
        while end + 1 < 7 and by_day.get(end + 1) == by_day[day]:
            end += 1
        days = str(WEEKDAYS[day]) if end == day else f"{WEEKDAYS[day]}–{WEEKDAYS[end]}"
        parts.append(f"{days} {by_day[day]}")
        day = end + 1
    return "; ".join(parts)


def hours_by_place(places) -> dict[int, str]:
    grouped: dict[int, list[WorkingPlan]] = defaultdict(list)
    for p in WorkingPlan.objects.filter(place__in=places):
        grouped[p.place_id].append(p)
    return {pk: hours_summary(rows) for pk, rows in grouped.items()}


# --- the staff calendar ----------------------------------------------------------------------------------------

@dataclass
class CalendarSlot:
    starts_at: datetime
    ends_at: datetime
    booked: int
    capacity: int

    @property
    def full(self) -> bool:
        return self.booked >= self.capacity


@dataclass
class CalendarDayView:
    day: date
    open: bool
    note: str  # a holiday's or a make-up day's name, or why closed
    make_up: bool = False
    holiday: bool = False
    slots: list[CalendarSlot] = field(default_factory=list)
    staff: list = field(default_factory=list)
    booked: int = 0  # every holding appointment of the day, in a slot or not


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week(place, start: date) -> list[CalendarDayView]:
    """The staff calendar of `place` for the week (Monday to Sunday) holding `start`: each day's slots with the
    appointments holding a seat against the default capacity, closed days and holidays marked, the staff on duty."""
    from gongzhi.demands.models import CalendarDay

    monday = monday_of(start)
    days = [monday + timedelta(days=i) for i in range(7)]
    calendar = {c.date: c for c in CalendarDay.objects.filter(date__gte=monday, date__lte=days[-1])}
    overrides = {d: c.is_working for d, c in calendar.items()}
    plans, rules = plans_of(place), rules_of(place)
    booked = Counter(holding(place, *_day_bounds(monday, 7)).values_list("starts_at", flat=True))
    per_day = Counter(timezone.localtime(t).date() for t in booked.elements())
    duties: dict[int, list] = defaultdict(list)
    for d in roster_of(place).filter(user__is_active=True):
        duties[d.weekday].append(d.user)
    found = []
    for day in days:
        weekday = plan_weekday(day, overrides)
        entry = calendar.get(day)
        view = CalendarDayView(day=day, open=False, note=entry.note if entry else "", booked=per_day[day])
        if weekday is None:
            view.holiday = True
            view.note = view.note or _("Public holiday")
        else:
            view.make_up = weekday != day.weekday()
            if view.make_up and not view.note:
                view.note = _("Make-up working day")
            view.slots = [CalendarSlot(a, b, booked[a], rules.capacity)
                          for a, b in slots(place, day, overrides, rules=rules, plans=plans)]
            view.open = bool(view.slots)
            view.staff = duties[weekday] if view.open else []
            if not view.open and not view.note:
                view.note = _("Closed (no hours)")
        found.append(view)
    return found


# --- the workbench card ----------------------------------------------------------------------------------------

def my_places_today_card(user) -> dict | None:
    """"My places today": the places where the user is on duty today (the sub-district without roster rows: every
    place in scope), with today's hours and the seats booked against the day's capacity."""
    if not has_capability(user, VIEW):
        return None
    today = timezone.localdate()
    overrides = DbOverrides()
    weekday = plan_weekday(today, overrides)
    if Duty.objects.filter(user=user).exists():
        places = ServicePlace.objects.filter(
            pk__in=Duty.objects.filter(user=user, weekday=weekday).values("place_id")).order_by("kind", "code")
    else:
        places = my_places(user)
    count = places.count()
    items = []
    for p in places.select_related("region")[:CARD_ITEMS]:
        rules, plans = rules_of(p), plans_of(p)
        day_slots = slots(p, today, overrides, rules=rules, plans=plans)
        hours = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in opening(p, today, overrides, plans)) or _("closed")
        booked = holding(p, *_day_bounds(today)).count()
        items.append({"text": f"{p.name} · {hours}", "value": f"{booked}/{len(day_slots) * rules.capacity}",
                      "url": reverse("services:offers_calendar", args=[p.pk])})
    return {"count": count, "url": reverse("services:offers_places"), "items": items,
            "note": "" if count else _("You are not on duty at any place today.")}
