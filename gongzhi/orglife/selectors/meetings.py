"""Organization life: the meetings part's selectors (reads, scoped by the user).

The compliance rule lives here, once: each meeting kind has a required frequency (`frequencies_for`); a period
(month, quarter or year) of a required kind is *met* when the organization held at least one meeting of that kind
in it, *missed* when it ended without one, *due* while it runs without one. `compliance_year` gives the grid for
one organization and year (one query), `meetings_rate` the share of required periods met over a span (the awards'
"meetings held against required" indicator)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from gongzhi.orglife.models import (
    DEFAULT_FREQUENCY,
    PERIOD_MONTHS,
    Frequency,
    Meeting,
    MeetingKind,
    MeetingRequirement,
)
from gongzhi.registry.models import PartyOrgKind

# Organizations that hold organization life (a 党工委 leads the others and is not measured by these rules).
MEASURED_ORG_KINDS = (PartyOrgKind.COMMITTEE, PartyOrgKind.JOINT_COMMITTEE, PartyOrgKind.GENERAL_BRANCH,
                      PartyOrgKind.BRANCH)


class Status:
    MET = "met"
    DUE = "due"
    MISSED = "missed"
    UPCOMING = "upcoming"
    OPTIONAL = "optional"


@dataclass(frozen=True)
class Rule:
    kind: str
    frequency: str
    remind_days: int = 7


@dataclass(frozen=True)
class Cell:
    """One meeting kind in one month of one organization."""

    kind: str
    frequency: str
    held_in_month: int
    held_in_period: int
    period_start: dt.date
    period_end: dt.date
    status: str

    @property
    def required(self) -> bool:
        return self.frequency != Frequency.NONE


def frequencies_for(org) -> dict[str, Rule]:
    """Each meeting kind's rule for `org`: the nearest region's MeetingRequirement, else the default."""
    rules = {kind: Rule(kind, freq) for kind, freq in DEFAULT_FREQUENCY.items()}
    ids = [int(x) for x in org.region.path.strip("/").split("/") if x]
    rows = MeetingRequirement.objects.filter(region_id__in=ids).select_related("region").order_by("region__depth")
    for row in rows:  # deeper regions come later and win
        rules[row.kind] = Rule(row.kind, row.frequency, row.remind_days)
    return rules


def period_of(frequency: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the period of `frequency` containing `day` (the month for NONE)."""
    months = PERIOD_MONTHS.get(frequency, 1)
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    last_month = first_month + months - 1
    end = (dt.date(day.year, last_month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return start, end


def held_counts(org, year: int) -> Counter:
    """(kind, month) -> number of meetings the organization held in `year` (one query)."""
    rows = (Meeting.objects.filter(org=org, held_on__year=year)
            .annotate(m=ExtractMonth("held_on")).values("kind", "m").annotate(n=Count("id")))
    return Counter({(r["kind"], r["m"]): r["n"] for r in rows})


def compliance_year(org, year: int, *, today: dt.date | None = None) -> dict[int, list[Cell]]:
    """month (1..12) -> the cells of every meeting kind, in MeetingKind order."""
    today = today or timezone.localdate()
    rules = frequencies_for(org)
    counts = held_counts(org, year)
    grid: dict[int, list[Cell]] = {}
    for month in range(1, 13):
        first = dt.date(year, month, 1)
        cells = []
        for kind in MeetingKind.values:
            rule = rules[kind]
            start, end = period_of(rule.frequency, first)
            in_month = counts[(kind, month)]
            in_period = sum(counts[(kind, m)] for m in range(start.month, end.month + 1))
            if rule.frequency == Frequency.NONE:
                status = Status.OPTIONAL
            elif in_period:
                status = Status.MET
            elif end < today:
                status = Status.MISSED
            elif first <= today:
                status = Status.DUE
            else:
                status = Status.UPCOMING
            cells.append(Cell(kind, rule.frequency, in_month, in_period, start, end, status))
        grid[month] = cells
    return grid


def meetings_rate(org, start: dt.date, end: dt.date, *, today: dt.date | None = None) -> tuple[int, int]:
    """(periods met, periods required) over the required periods of every kind that lie wholly inside
    [start, end] and have ended by `today`; a period before the organization was founded is not required."""
    today = today or timezone.localdate()
    rules = frequencies_for(org)
    rows = (Meeting.objects.filter(org=org, held_on__gte=start, held_on__lte=end)
            .annotate(y=ExtractYear("held_on"), m=ExtractMonth("held_on")).values("kind", "y", "m")
            .annotate(n=Count("id")))
    held = {(r["kind"], r["y"], r["m"]) for r in rows}
    met = required = 0
    for kind, rule in rules.items():
        if rule.frequency == Frequency.NONE:
            continue
        day = start
        while day <= end:
            p_start, p_end = period_of(rule.frequency, day)
            day = p_end + dt.timedelta(days=1)
            if p_start < start or p_end > end or p_end >= today:
                continue
            if org.founded_on and org.founded_on > p_start:
                continue
            required += 1
            months = range(p_start.month, p_end.month + 1)
            if any((kind, p_start.year, m) in held for m in months):
                met += 1
    return met, required
