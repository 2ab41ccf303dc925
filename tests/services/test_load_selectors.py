"""Station load's numbers per place and day and for the street, on the factories' street (tests/services/load_world.py):
cases done, waiting, done in one visit, forwarded, on time against the item's time limit over a holiday, the items
most requested, appointments against the seats of the working plan, no-shows; always within the user's scope and in
a fixed number of queries."""

import pytest

from gongzhi.core.errors import BadParameter
from gongzhi.services.selectors import load as selectors
from tests.services import load_world as w


@pytest.fixture
def world(street):
    return w.build(street)


def rows_by_key(user, **kw):
    rows = selectors.add_top_items(user, selectors.place_day_load(user, day_from=w.PERIOD[0], day_to=w.PERIOD[1], **kw))
    return {(r.place.pk, r.day): r for r in rows}


def test_a_place_and_day_counts_the_cases_opened_there(world, people):
    rows = rows_by_key(people.insider)
    d1 = rows[world.place_a.pk, w.D1]
    assert (d1.opened, d1.done, d1.waiting, d1.one_visit, d1.forwarded) == (5, 3, 1, 2, 1)
    assert d1.one_visit_share == 66.7  # c1 and c3 of the three done
    assert d1.top_items == [("居民医保参保登记", 3), ("敬老卡补办", 1), ("老年综合津贴申领", 1)]
    d2 = rows[world.place_a.pk, w.D2]
    assert (d2.opened, d2.done, d2.waiting, d2.one_visit) == (1, 1, 0, 0)
    assert d2.one_visit_share == 0.0


def test_appointments_are_measured_against_the_seats_of_the_working_plan(world, people):
    rows = rows_by_key(people.insider)
    d1 = rows[world.place_a.pk, w.D1]
    assert (d1.appointments, d1.no_shows, d1.seats) == (3, 1, w.SEATS)  # the cancelled one holds no seat
    assert d1.appointment_use == round(100 * 3 / w.SEATS, 1)
    holiday = rows[world.place_a.pk, w.HOLIDAY]
    assert (holiday.appointments, holiday.seats, holiday.appointment_use) == (1, 0, None)  # a holiday closes
    make_up = rows[world.place_a.pk, w.MAKE_UP]
    assert make_up.seats == w.SEATS  # a Saturday without a plan, but a make-up working day: Monday's plan


def test_rows_come_newest_first(world, people):
    days = [r.day for r in selectors.place_day_load(people.insider, day_from=w.PERIOD[0], day_to=w.PERIOD[1])]
    assert days == sorted(days, reverse=True) and len(days) == 4


def test_the_street_summary_measures_one_visit_and_on_time(world, people):
    s = selectors.street_summary(people.insider, day_from=w.PERIOD[0], day_to=w.PERIOD[1])
    assert (s.cases, s.done, s.waiting, s.one_visit, s.forwarded) == (6, 4, 1, 2, 1)
    assert s.one_visit_share == 50.0
    # c1 (same day), c2 (3 working days over the holiday, limit 5) and c6 (same day) on time; c3 late (3 > 2)
    assert (s.on_time, s.timed, s.on_time_share) == (3, 4, 75.0)
    assert (s.appointments, s.no_shows) == (5, 1)
    assert s.top_items[0] == ("居民医保参保登记", 3)
    assert s.busiest_places == [(world.place_a, 6)]
    assert [(m["month"].month, m["cases"], m["one_visit"]) for m in s.months] == [(9, 6, 2), (10, 0, 0)]


def test_without_the_holiday_the_forwarded_case_over_it_is_late(world, people):
    from gongzhi.demands.models import CalendarDay

    CalendarDay.objects.filter(is_working=False).delete()
    s = selectors.street_summary(people.insider, day_from=w.PERIOD[0], day_to=w.PERIOD[1])
    assert (s.on_time, s.timed) == (2, 4)  # c2 now takes 8 working days


def test_one_place_only(world, people):
    s = selectors.street_summary(people.admin, day_from=w.PERIOD[0], day_to=w.PERIOD[1], place=world.place_b)
    assert (s.cases, s.done, s.one_visit) == (1, 1, 1)


def test_scope_the_outsider_sees_area_b_only_and_the_admin_both(world, people):
    outsider = rows_by_key(people.outsider)
    assert {pk for pk, _day in outsider} == {world.place_b.pk}
    assert selectors.street_summary(people.outsider, day_from=w.PERIOD[0], day_to=w.PERIOD[1]).cases == 1
    assert {pk for pk, _day in rows_by_key(people.admin)} == {world.place_a.pk, world.place_b.pk}
    assert selectors.street_summary(people.admin, day_from=w.PERIOD[0], day_to=w.PERIOD[1]).cases == 7
    assert rows_by_key(people.colleague) == {}  # no services right: nothing


def test_the_period_is_checked():
    assert selectors.period({"from": "2026-09-01", "to": "2026-09-30"}) == (w.date(2026, 9, 1), w.date(2026, 9, 30))
    start, end = selectors.period({})
    assert (end - start).days == selectors.DEFAULT_DAYS - 1
    for bad in ({"from": "2026-13-01"}, {"from": "2026-09-30", "to": "2026-09-01"},
                {"from": "2022-01-01", "to": "2026-01-01"}):
        with pytest.raises(BadParameter):
            selectors.period(bad)


def test_the_numbers_take_a_fixed_number_of_queries(world, people, django_assert_max_num_queries, street):
    from tests.services import factories as f

    for k in range(30):  # many more cases and places change nothing
        place = f.place(street.area_a)
        f.case(street, "done", place=place, item=world.item1, created_at=w.at(w.D2, 9), closed_at=w.at(w.D2, 10),
               accepted_at=w.at(w.D2, 9), visits=1 + k % 2)
    with django_assert_max_num_queries(16):
        rows = selectors.place_day_load(people.insider, day_from=w.PERIOD[0], day_to=w.PERIOD[1])
        selectors.add_top_items(people.insider, rows)
        s = selectors.street_summary(people.insider, day_from=w.PERIOD[0], day_to=w.PERIOD[1])
    assert len(rows) == 34 and s.cases == 36
