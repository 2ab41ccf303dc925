"""The shared schedule logic of the offers part (gongzhi.services.selectors.offers): open intervals minus the break,
holidays close, a make-up day at a weekend opens with Monday's plan, Saturday opens by the plan, slots, capacity and
seats left, the roster on a day, "my places"."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from gongzhi.demands.models import CalendarDay
from gongzhi.services.models import Appointment, BookingRules, Duty, WorkingPlan
from gongzhi.services.selectors import offers as sel
from tests import factories
from tests.services import factories as f

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 9, 28)  # a Monday; 2026-10-01 (Thursday) is National Day, 2026-10-10 a Saturday
SATURDAY = MONDAY + timedelta(days=5)
SUNDAY = MONDAY + timedelta(days=6)


def plan(place, weekday, opens, closes, brk=None):
    return WorkingPlan.objects.create(place=place, weekday=weekday, opens_at=opens, closes_at=closes,
                                      break_starts_at=brk[0] if brk else None, break_ends_at=brk[1] if brk else None)


@pytest.fixture
def station(street):
    place = f.place(street.area_a)
    plan(place, 0, time(9), time(17), (time(11, 30), time(13)))  # Monday
    plan(place, 1, time(8, 30), time(12))  # Tuesday: mornings, no break
    plan(place, 3, time(9), time(17), (time(11, 30), time(13)))  # Thursday
    plan(place, 5, time(9), time(11))  # Saturday morning
    BookingRules.objects.create(place=place, slot_minutes=30, capacity=3)
    return place


def book(place, item, start, seat=1, state="booked"):
    return Appointment.objects.create(code=f"A{factories.seq():07d}", place=place, item=item, starts_at=start,
                                      ends_at=start + timedelta(minutes=30), seat=seat, state=state, name="李先生",
                                      phone="13900139000")


def local(day, hh, mm=0):
    return timezone.make_aware(timezone.datetime.combine(day, time(hh, mm)), timezone.get_current_timezone())


def test_opening_is_the_plan_minus_its_break(station):
    assert sel.opening(station, MONDAY, {}) == [(time(9), time(11, 30)), (time(13), time(17))]
    assert sel.opening(station, MONDAY + timedelta(days=1), {}) == [(time(8, 30), time(12))]
    assert sel.opening(station, MONDAY + timedelta(days=2), {}) == []  # Wednesday: no row, closed


def test_a_public_holiday_closes_even_a_weekday_with_a_plan(station):
    thursday = MONDAY + timedelta(days=3)
    assert sel.opening(station, thursday, {thursday: False}) == []
    assert sel.slots(station, thursday, {thursday: False}) == []
    CalendarDay.objects.create(date=thursday, is_working=False, note="国庆节")
    assert sel.opening(station, thursday) == []  # the CalendarDay table by default
    assert sel.opening(station, thursday + timedelta(days=7)) != []  # the Thursday after is open


def test_a_saturday_opens_by_the_plan_though_the_calendar_calls_weekends_non_working(station):
    assert sel.opening(station, SATURDAY, {}) == [(time(9), time(11))]
    assert sel.opening(station, SUNDAY, {}) == []  # no Sunday row


def test_a_make_up_day_at_a_weekend_opens_with_mondays_plan(station):
    assert sel.opening(station, SUNDAY, {SUNDAY: True}) == [(time(9), time(11, 30)), (time(13), time(17))]
    assert sel.opening(station, SATURDAY, {SATURDAY: True}) == [(time(9), time(11, 30)), (time(13), time(17))]
    CalendarDay.objects.create(date=SUNDAY, is_working=True, note="国庆调休")
    assert len(sel.slots(station, SUNDAY)) == len(sel.slots(station, MONDAY, {}))
    # a make-up day on a weekday (redundant) keeps that weekday's plan
    tuesday = MONDAY + timedelta(days=1)
    assert sel.opening(station, tuesday, {tuesday: True}) == [(time(8, 30), time(12))]


def test_a_holiday_saturday_closes_though_the_plan_opens_it(station):
    assert sel.opening(station, SATURDAY, {SATURDAY: False}) == []


def test_slots_fill_the_intervals_and_never_run_into_the_break(station):
    got = sel.slots(station, MONDAY, {})
    assert [(a.time(), b.time()) for a, b in (map(timezone.localtime, s) for s in got)][:6] == [
        (time(9), time(9, 30)), (time(9, 30), time(10)), (time(10), time(10, 30)), (time(10, 30), time(11)),
        (time(11), time(11, 30)), (time(13), time(13, 30))]
    assert len(got) == 5 + 8
    assert all(timezone.is_aware(a) for a, _b in got)
    BookingRules.objects.filter(place=station).update(slot_minutes=45)
    got = sel.slots(station, MONDAY, {})
    # 9:00 9:45 10:30 (11:15 would end in the break); 13:00 13:45 14:30 15:15 16:00 (16:45 would pass 17:00)
    assert [timezone.localtime(a).time() for a, _ in got] == [
        time(9), time(9, 45), time(10, 30), time(13), time(13, 45), time(14, 30), time(15, 15), time(16)]


def test_capacity_is_the_offers_own_else_the_places_default(station):
    item, other = f.item(bookable=True), f.item("护照申领", bookable=True)
    f.offer(station, item, capacity=1)
    f.offer(station, other)
    assert sel.capacity(station, item) == 1
    assert sel.capacity(station, other) == 3


def test_availability_counts_the_seats_held_and_the_booking_rules(street, station):
    item = f.item(bookable=True)
    f.offer(station, item)
    now = local(MONDAY, 8)
    start = local(MONDAY, 9)
    for seat, state in ((1, "booked"), (2, "checked_in"), (3, "cancelled")):
        book(station, item, start, seat, state)
    slots = sel.availability(station, MONDAY, item, now=now, overrides={})
    first = slots[0]
    assert (first.capacity, first.taken, first.remaining, first.bookable) == (3, 2, 1, False)  # 2 h notice
    assert slots[2].remaining == 3 and slots[2].bookable  # 10:00, two hours after 8:00
    assert not sel.availability(station, MONDAY + timedelta(days=15), item, now=now, overrides={})[0].bookable


def test_on_duty_follows_the_weekday_and_mondays_roster_on_a_make_up_day(street, people, station):
    Duty.objects.create(place=station, user=people.insider, weekday=0)
    Duty.objects.create(place=station, user=people.admin, weekday=5)
    assert sel.on_duty(station, MONDAY, {}) == [people.insider]
    assert sel.on_duty(station, SATURDAY, {}) == [people.admin]
    assert sel.on_duty(station, SATURDAY, {SATURDAY: True}) == [people.insider]
    assert sel.on_duty(station, MONDAY, {MONDAY: False}) == []


def test_my_places_are_the_roster_or_for_the_sub_district_the_places_in_scope(street, people, station):
    other = f.place(street.area_b)
    assert list(sel.my_places(people.insider)) == []
    Duty.objects.create(place=station, user=people.insider, weekday=0)
    assert list(sel.my_places(people.insider)) == [station]
    assert set(sel.my_places(people.admin)) == {station, other}
    Duty.objects.create(place=other, user=people.admin, weekday=2)
    assert list(sel.my_places(people.admin)) == [other]


def test_items_visible_to_a_place_are_city_wide_or_its_own_regions(street, station):
    city, own = f.item("城市通办"), f.item("街道自有", region=street.subdistrict)
    elsewhere, inactive = f.item("石库门自有", region=street.area_b), f.item("停用", active=False)
    visible = set(sel.visible_items(station))
    assert {city, own} <= visible and not {elsewhere, inactive} & visible
    assert sel.region_prefixes("/1/4/9/") == ["/1/", "/1/4/", "/1/4/9/"]


def test_hours_summary_groups_days_with_the_same_hours(street):
    place = f.place(street.area_a)
    for d in range(5):
        plan(place, d, time(9), time(17), (time(11, 30), time(13)))
    plan(place, 5, time(9), time(12))
    text = sel.hours_summary(sel.plans_of(place))
    assert text.count(";") == 1 and "09:00–11:30, 13:00–17:00" in text and "09:00–12:00" in text
