"""Working-day arithmetic on a configurable calendar.

Weekends are non-working by default; `CalendarDay` rows override single dates (a public holiday is
`is_working=False`, a make-up working day on a weekend is `is_working=True`). The two pure functions take a
mapping of such overrides, so they are testable without a database; `db_overrides()` reads the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

MAX_SCAN_DAYS = 3660  # a calendar without working days for ten years is a configuration error


def is_working_day(day: date, overrides: Mapping[date, bool] | None = None) -> bool:
    if overrides is not None and day in overrides:
        return overrides[day]
    return day.weekday() < 5


def add_working_days(start: date, days: int, overrides: Mapping[date, bool] | None = None) -> date:
    """The `days`-th working day after `start` (`start` itself never counts; 0 returns `start`).

    Negative `days` count backwards. A deadline of 1 working day from a Friday is the next Monday.
    """
    step = 1 if days >= 0 else -1
    remaining, day, scanned = abs(days), start, 0
    while remaining:
        day += timedelta(days=step)
        scanned += 1
        if scanned > MAX_SCAN_DAYS:
            raise ValueError("no working days in the calendar")
        if is_working_day(day, overrides):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, overrides: Mapping[date, bool] | None = None) -> int:
    """Working days in (start, end]; negative when `end` is before `start`.

    The inverse of `add_working_days`: working_days_between(d, add_working_days(d, n)) == n.
    """
    if end < start:
        return -working_days_between(end, start, overrides)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            count += 1
    return count


class DbOverrides(Mapping):
    """The `CalendarDay` table as a lazy mapping, loaded one year at a time."""

    def __init__(self):
        self._years: dict[int, dict[date, bool]] = {}

    def _year(self, year: int) -> dict[date, bool]:
        if year not in self._years:
            from gongzhi.demands.models import CalendarDay

            self._years[year] = dict(
                CalendarDay.objects.filter(date__year=year).values_list("date", "is_working")
            )
        return self._years[year]

    def __getitem__(self, day: date) -> bool:
        return self._year(day.year)[day]

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and day in self._year(day.year)

    def __iter__(self):
        return (day for year in self._years.values() for day in year)

    def __len__(self) -> int:
        return sum(len(y) for y in self._years.values())


def db_overrides() -> DbOverrides:
    return DbOverrides()
