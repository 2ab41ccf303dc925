"""Demo appointments: two years of past bookings of the bookable items the demo places offer (3–6 per working day
across the street; busier in March–April and September–October, quieter in August and around the Spring
Festival; about 80% served, 8% cancelled, 7% no-shows, the rest served after a reschedule), written through one
`import_appointments`, and the booked appointments of the next seven days (some today at the centre, for the
workbench card). Nothing is made for an item a place does not offer (the offers part makes the offers)."""

from __future__ import annotations

import time as clock
from datetime import date, datetime, timedelta

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.demands.calendar import DbOverrides, is_working_day
from gongzhi.demo.demands import anchor, aware
from gongzhi.registry.models import ServicePlaceKind
from gongzhi.services.models import Offer, ServiceItem, WorkingPlan
from gongzhi.services.selectors import appointments as selectors
from gongzhi.services.services.appointments import (
    CODE_ALPHABET,
    CODE_LENGTH,
    PastAppointment,
    import_appointments,
)
from gongzhi.services.workflow import AppointmentAction as A

YEARS_DAYS = 730
UPCOMING_DAYS = 7
MONTH_FACTOR = {1: 0.9, 2: 0.8, 3: 1.3, 4: 1.3, 5: 1.0, 6: 1.0, 7: 0.9, 8: 0.65, 9: 1.3, 10: 1.25, 11: 1.0,
                12: 0.95}
SPRING_FESTIVAL = {2024: date(2024, 2, 10), 2025: date(2025, 1, 29), 2026: date(2026, 2, 17),
                   2027: date(2027, 2, 6), 2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3)}
RESIDENTS = 600  # the people who book (some come back)


def _season(day: date) -> float:
    factor = MONTH_FACTOR[day.month]
    festival = SPRING_FESTIVAL.get(day.year) or SPRING_FESTIVAL.get(day.year + 1)
    if festival and -10 <= (day - festival).days <= 12:
        factor *= 0.35
    return factor


def _items(ctx) -> list[ServiceItem]:
    given = (ctx.extra.get("services") or {}).get("items")
    if given:
        return sorted((i for i in given if i.active and i.bookable), key=lambda i: i.code)
    return list(ServiceItem.objects.filter(active=True, bookable=True).order_by("code"))


class _Street:
    """The offered (place, item) pairs with their plans, rules and seats taken, drawn from ctx.rng only."""

    def __init__(self, ctx, items):
        self.rng = ctx.rng
        places = list(ctx.service_places)
        offered = set(Offer.objects.filter(place__in=places, item__in=items, active=True)
                      .values_list("place_id", "item_id"))
        self.pairs = [(p, i) for p in places for i in items if (p.pk, i.pk) in offered]
        self.rules = {p.pk: selectors.rules_of(p) or selectors.DEFAULT_RULES for p, _i in self.pairs}
        self.overrides = DbOverrides()
        self.taken: dict[tuple[int, datetime], int] = {}
        self.caps = {(p.pk, i.pk): selectors.capacity(p, i) for p, i in self.pairs}
        self._plans: dict[tuple[int, date], list] = {}
        self.plans = {(w.place_id, w.weekday): w for w in WorkingPlan.objects.filter(place__in=places)}
        self.codes: set[str] = set()
        names = ctx.names
        self.people = [(names.name(), names.mobile()) for _n in range(RESIDENTS)]

    def starts(self, place, day: date) -> list[datetime]:
        key = (place.pk, day)
        if key not in self._plans:
            plan = selectors.plan_for(place, day, self.overrides, self.plans)
            tz = timezone.get_current_timezone()
            self._plans[key] = ([datetime.combine(day, t, tzinfo=tz)
                                 for t in selectors.slot_starts(plan, self.rules[place.pk].slot_minutes)]
                                if plan else [])
        return self._plans[key]

    def seat(self, place, item, start: datetime) -> int | None:
        seat = self.taken.get((place.pk, start), 0) + 1
        if seat > self.caps[(place.pk, item.pk)]:
            return None
        self.taken[(place.pk, start)] = seat
        return seat

    def code(self) -> str:
        while True:
            code = "".join(self.rng.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def minutes(self, lo: int, hi: int) -> timedelta:
        return timedelta(minutes=self.rng.randint(lo, hi))

    def row(self, place, item, start: datetime, booked_at: datetime, steps, person=None) -> PastAppointment | None:
        seat = self.seat(place, item, start)
        if seat is None:
            return None
        name, phone = person or self.rng.choice(self.people)
        slot = timedelta(minutes=self.rules[place.pk].slot_minutes)
        return PastAppointment(place=place, item=item, starts_at=start, ends_at=start + slot, name=name, phone=phone,
                               booked_at=booked_at, steps=steps, seat=seat, code=self.code())

    def booked_before(self, place, start: datetime) -> datetime:
        rules = self.rules[place.pk]
        hours = self.rng.randint(max(rules.min_notice_hours, 3), rules.max_advance_days * 24)
        return start - timedelta(hours=hours, minutes=self.rng.randint(0, 59))

    def past(self, day: date) -> list[PastAppointment]:
        rows = []
        count = round(max(0.0, self.rng.gauss(4.5, 1.2)) * _season(day))
        for _n in range(count):
            place, item = self.rng.choice(self.pairs)
            starts = self.starts(place, day)
            if not starts:
                continue
            start = self.rng.choice(starts)
            booked = self.booked_before(place, start)
            end = start + timedelta(minutes=self.rules[place.pk].slot_minutes)
            roll = self.rng.random()
            if roll < 0.80:
                arrived = start - self.minutes(0, 15)
                steps = [(A.CHECK_IN, arrived), (A.SERVE, arrived + self.minutes(5, 25))]
            elif roll < 0.88:
                steps = [(A.CANCEL, booked + (start - booked) * self.rng.uniform(0.1, 0.95))]
            elif roll < 0.95:
                steps = [(A.NO_SHOW, end + self.minutes(31, 90))]
            else:
                # moved here from another slot: the log keeps the step (the other seat was freed)
                arrived = start - self.minutes(0, 10)
                steps = [(A.RESCHEDULE, booked + (start - booked) * self.rng.uniform(0.1, 0.5)), (A.CHECK_IN, arrived),
                         (A.SERVE, arrived + self.minutes(5, 25))]
            if (row := self.row(place, item, start, booked, steps)) is not None:
                rows.append(row)
        return rows

    def upcoming(self, today: date, now: datetime) -> list[PastAppointment]:
        rows, free = [], list(self.people)
        self.rng.shuffle(free)  # one booking each: the phone limits hold
        centre = [(p, i) for p, i in self.pairs if p.kind == ServicePlaceKind.CENTRE]
        for offset in range(UPCOMING_DAYS + 1):
            day = today + timedelta(days=offset)
            count = self.rng.randint(4, 6) if offset else 5
            for n in range(count):
                place, item = self.rng.choice(centre if offset == 0 and centre and n < 4 else self.pairs)
                starts = self.starts(place, day)
                if not starts or not free:
                    continue
                start = self.rng.choice(starts)
                booked = min(self.booked_before(place, start), now - self.minutes(30, 600))
                if (row := self.row(place, item, start, booked, [], free.pop())) is not None:
                    rows.append(row)
        return rows


def seed(ctx) -> None:
    started = clock.perf_counter()
    items = _items(ctx)
    street = _Street(ctx, items) if items else None
    if street is None or not street.pairs:
        return  # no bookable item offered yet (the catalogue and offers parts make them)
    last, now = anchor()
    rows = []
    for back in range(YEARS_DAYS, 0, -1):
        day = last - timedelta(days=back - 1)
        if is_working_day(day, street.overrides):
            rows.extend(street.past(day))
    rows.extend(street.upcoming(now.date(), aware(now)))
    import_appointments(rows, actor=SYSTEM)
    ctx.timings["services.appointments"] = clock.perf_counter() - started
