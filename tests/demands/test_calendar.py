"""Working-day arithmetic: weekends off, holidays off, make-up working days on weekends."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongzhi.demands.calendar import add_working_days, db_overrides, is_working_day, working_days_between
from gongzhi.demands.models import CalendarDay

# National Day 2026: Oct 1-7 off, Saturday Oct 10 a make-up working day (illustrative).
NATIONAL_DAY = {date(2026, 10, d): False for d in range(1, 8)} | {date(2026, 10, 10): True}


def test_friday_plus_one_is_monday():
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)


def test_weekend_start_counts_from_monday():
    assert add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)
    assert add_working_days(date(2026, 3, 7), 5) == date(2026, 3, 13)


def test_zero_days_is_the_same_day():
    assert add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 7)


def test_holidays_are_skipped_and_make_up_days_count():
    # Wednesday Sep 30 + 1 working day jumps the whole holiday to Thursday Oct 8.
    assert add_working_days(date(2026, 9, 30), 1, NATIONAL_DAY) == date(2026, 10, 8)
    # Oct 8 Thu, Oct 9 Fri, Oct 10 Sat (make-up day) count: 3 working days after Sep 30.
    assert add_working_days(date(2026, 9, 30), 3, NATIONAL_DAY) == date(2026, 10, 10)
    assert add_working_days(date(2026, 9, 30), 5, NATIONAL_DAY) == date(2026, 10, 13)
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 13), NATIONAL_DAY) == 5
    assert is_working_day(date(2026, 10, 10), NATIONAL_DAY) and not is_working_day(date(2026, 10, 10))


def test_between_is_negative_backwards_and_zero_on_same_day():
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 2)) == -5
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0
    assert add_working_days(date(2026, 3, 9), -5) == date(2026, 3, 2)


def test_a_calendar_without_working_days_is_an_error():
    never = {date(2026, 1, 1) + timedelta(days=i): False for i in range(4000)}
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), 1, never)


def test_calendar_table_drives_the_database_overrides(db):
    CalendarDay.objects.create(date=date(2026, 10, 1), is_working=False, note="国庆")
    CalendarDay.objects.create(date=date(2026, 10, 10), is_working=True, note="调休")
    overrides = db_overrides()
    assert date(2026, 10, 1) in overrides and overrides[date(2026, 10, 10)] is True
    assert date(2026, 10, 2) not in overrides
    assert add_working_days(date(2026, 9, 30), 1, overrides) == date(2026, 10, 2)


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
calendars = st.dictionaries(st.dates(min_value=date(2019, 12, 1), max_value=date(2031, 3, 1)), st.booleans(),
                            max_size=60)


@given(start=days, n=st.integers(min_value=0, max_value=40), overrides=calendars)
def test_between_inverts_add(start, n, overrides):
    end = add_working_days(start, n, overrides)
    assert working_days_between(start, end, overrides) == n
    assert end >= start
    if n:
        assert is_working_day(end, overrides)


@given(start=days, n=st.integers(min_value=0, max_value=30), overrides=calendars)
def test_adding_is_monotonic_and_composes(start, n, overrides):
    assert add_working_days(start, n + 1, overrides) > add_working_days(start, n, overrides)
    middle = add_working_days(start, n, overrides)
    assert add_working_days(middle, 3, overrides) == add_working_days(start, n + 3, overrides)


@given(a=days, b=days, overrides=calendars)
def test_between_is_antisymmetric(a, b, overrides):
    assert working_days_between(a, b, overrides) == -working_days_between(b, a, overrides)
