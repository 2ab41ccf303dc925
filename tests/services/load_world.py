"""The load part's test data on the factories' street: a station of area A open on weekdays (9–17, a break
11:30–13:00, slots of 30 minutes, 2 seats each: 26 seats a day) and a station of area B, cases opened on Tuesday
29 and Wednesday 30 September 2026 and closed before or after the National Day holiday (1–7 October, with the
make-up working day Saturday 10 October), and appointments.

Station A, 29 September (cases c1–c5):
  c1 item 1 (limit 5) done the same day, one visit            → one visit, on time
  c2 item 1 done 9 October, two visits                       → 3 working days over the holiday: on time (8 without)
  c3 item 2 (limit 2) forwarded, done 9 October, one visit   → late (3 > 2), forwarded
  c4 item 1 accepted, still open                             → waiting
  c5 item 3 withdrawn                                        → neither done nor waiting
Station A, 30 September: c6 item 2 done the same day, two visits.
Station B, 29 September: c7 item 1 done the same day, one visit (area B's secretary and the sub-district only).
Appointments at A on 29 September: booked, checked in, served (3 holding seats), a no-show and a cancelled one;
one booked on 1 October (a holiday: no seats) and one on Saturday 10 October (a make-up day: Monday's plan)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from gongzhi.demands.models import CalendarDay
from gongzhi.services.models import Appointment
from tests import factories as base
from tests.services import factories as f

D1, D2 = date(2026, 9, 29), date(2026, 9, 30)
HOLIDAY, MAKE_UP, CLOSED = date(2026, 10, 1), date(2026, 10, 10), date(2026, 10, 9)
PERIOD = (date(2026, 9, 28), date(2026, 10, 11))
SEATS = (17 * 60 - 9 * 60 - 90) // 30 * 2  # 26


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@dataclass
class LoadWorld:
    place_a: object
    place_b: object
    item1: object
    item2: object
    item3: object
    cases: dict


def appointment(place, item, state: str, when: datetime, seat: int = 1) -> Appointment:
    return Appointment.objects.create(code=f"A{base.seq():07d}", place=place, item=item, state=state, starts_at=when,
                                      ends_at=when + timedelta(minutes=30), seat=seat, name="李先生",
                                      phone="13900139000")


def build(street) -> LoadWorld:
    for i in range(7):
        CalendarDay.objects.create(date=HOLIDAY + timedelta(days=i), is_working=False, note="国庆")
    CalendarDay.objects.create(date=MAKE_UP, is_working=True, note="调休")
    place_a = f.open_place(f.place(street.area_a, "梧桐家门口服务站"), weekdays=range(5))
    place_b = f.open_place(f.place(street.area_b, "石库门家门口服务站"), weekdays=range(5))
    item1 = f.item("居民医保参保登记", time_limit_days=5)
    item2 = f.item("老年综合津贴申领", time_limit_days=2)
    item3 = f.item("敬老卡补办", time_limit_days=10)

    def case(name, place, item, state, opened, closed=None, visits=1, **kw):
        return name, f.case(street, state, place=place, item=item, created_at=opened, accepted_at=opened,
                            closed_at=closed, visits=visits, **kw)

    cases = dict([
        case("c1", place_a, item1, "done", at(D1, 9), at(D1, 9, 30)),
        case("c2", place_a, item1, "done", at(D1, 10), at(CLOSED, 15), visits=2),
        case("c3", place_a, item2, "done", at(D1, 11), at(CLOSED, 16), forwarded_at=at(D1, 11, 20)),
        case("c4", place_a, item1, "accepted", at(D1, 14)),
        case("c5", place_a, item3, "withdrawn", at(D1, 15), at(D1, 15, 10)),
        case("c6", place_a, item2, "done", at(D2, 9), at(D2, 16), visits=2),
        case("c7", place_b, item1, "done", at(D1, 9), at(D1, 10)),
    ])
    for seat, state in enumerate(("booked", "checked_in", "served"), start=1):
        appointment(place_a, item1, state, at(D1, 9), seat)
    appointment(place_a, item1, "no_show", at(D1, 10))
    appointment(place_a, item1, "cancelled", at(D1, 10, 30))
    appointment(place_a, item1, "booked", at(HOLIDAY, 9))
    appointment(place_a, item1, "booked", at(MAKE_UP, 9))
    return LoadWorld(place_a, place_b, item1, item2, item3, cases)
