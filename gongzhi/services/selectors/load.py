"""Station load (the load part): per place and day, the cases opened there (done, still waiting, done in one visit)
and the appointments held against the seats its working plan and booking rules offer; the street's summary ("只跑一次",
on time against the item's time limit, forwarded, top items, busiest places, cases by month); and the health
cabin's self-check tallies (counts only). Everything is scoped by the user's `services.view` and aggregated in SQL:
a handful of grouped queries whatever the number of cases.

The day's numbers follow the cases *opened* that day: "done" and "waiting" are how those cases stand now, so a
day's row reads "opened = done + waiting + refused or withdrawn"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.accounts.scope import access, has_capability, scoped
from gongzhi.core.errors import BadParameter, int_param
from gongzhi.demands.calendar import DbOverrides, is_working_day, working_days_between
from gongzhi.registry.models import ServicePlace
from gongzhi.services.models import (
    Appointment,
    BookingRules,
    Case,
    Duty,
    HealthCheckTally,
    HealthIndicator,
    WorkingPlan,
)
from gongzhi.services.workflow import (
    APPOINTMENT_HOLDING_STATES,
    CASE_OPEN_STATES,
    AppointmentState,
    CaseState,
)

VIEW = C.VIEW_SERVICES
ACCEPT = C.ACCEPT_CASES
DEFAULT_DAYS = 30  # the load page opens on the last 30 days
MAX_SPAN_DAYS = 2 * 366 + 1  # at most two years at once
YEARS = (2000, 2999)  # the dates a filter may name (far years overflow when converted between time zones)
TOP = 5
MONDAY = 0
HOLDING = sorted(APPOINTMENT_HOLDING_STATES)
OPEN = sorted(CASE_OPEN_STATES)


# --------------------------------------------------------------------------- the period


def default_period(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return today - timedelta(days=DEFAULT_DAYS - 1), today


def _parse_day(params, name: str) -> date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(name) from None


def period(params) -> tuple[date, date]:
    """The period a page or export asks for (``from``/``to``, YYYY-MM-DD), by default the last 30 days; BadParameter
    for a date that is not one, an end before the start or more than two years."""
    start, end = _parse_day(params, "from"), _parse_day(params, "to")
    default_start, default_end = default_period()
    end = end or (start + timedelta(days=DEFAULT_DAYS - 1) if start else default_end)
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    check_period(start, end)
    return start, end


def check_period(start: date, end: date) -> None:
    for name, day in (("from", start), ("to", end)):
        if not YEARS[0] <= day.year <= YEARS[1]:
            raise BadParameter(name)
    if end < start:
        raise BadParameter("to", _("The end of the period is before its start."))
    if (end - start).days >= MAX_SPAN_DAYS:
        raise BadParameter("from", _("Choose a period of at most two years."))


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The local day range [start, end] as aware times, so the filters can use the (place, time) indexes."""
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), tz),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz))


# --------------------------------------------------------------------------- places


def places_for(user, capability: str = VIEW):
    return scoped(user, ServicePlace, capability)


def place(user, pk, capability: str = VIEW) -> ServicePlace:
    """A place in the user's scope, or NotFound (missing and out of scope look the same)."""
    return access(user, ServicePlace.objects.select_related("region", "building"), capability, pk=pk)


def place_param(user, params) -> ServicePlace | None:
    """The ``place`` filter of a page: a place in scope, None when absent; NotFound otherwise."""
    pk = int_param(params, "place", minimum=1)
    return place(user, pk) if pk is not None else None


def _cases(user, start: date, end: date, place_=None):
    low, high = _bounds(start, end)
    qs = scoped(user, Case, VIEW).filter(created_at__gte=low, created_at__lt=high)
    return qs.filter(place=place_) if place_ is not None else qs


def _appointments(user, start: date, end: date, place_=None):
    low, high = _bounds(start, end)
    qs = scoped(user, Appointment, VIEW).filter(starts_at__gte=low, starts_at__lt=high)
    return qs.filter(place=place_) if place_ is not None else qs


# --------------------------------------------------------------------------- seats


class Seats:
    """Seats a place offers for bookings on a day: the slots of its working plan (open minutes less the break,
    divided by the slot length) times the booking rules' capacity per slot. A holiday closes; a make-up working
    day on a weekend follows Monday's plan; no plan or no booking rules: no seats (None)."""

    def __init__(self, place_ids):
        self.plans = {(p.place_id, p.weekday): p for p in WorkingPlan.objects.filter(place_id__in=place_ids)}
        self.rules = {r.place_id: r for r in BookingRules.objects.filter(place_id__in=place_ids)}
        self.overrides = DbOverrides()

    @staticmethod
    def _minutes(start: time, end: time) -> int:
        return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)

    def on(self, place_id: int, day: date) -> int | None:
        rules = self.rules.get(place_id)
        if rules is None:
            return None
        weekday = day.weekday()
        if day in self.overrides:
            if not self.overrides[day]:
                return 0  # a holiday
            if weekday >= 5:
                weekday = MONDAY  # a make-up working day
        plan = self.plans.get((place_id, weekday))
        if plan is None:
            return 0
        minutes = self._minutes(plan.opens_at, plan.closes_at)
        if plan.break_starts_at and plan.break_ends_at:
            minutes -= max(0, self._minutes(plan.break_starts_at, plan.break_ends_at))
        return max(0, minutes) // rules.slot_minutes * rules.capacity


def _share(part: int, whole: int) -> float | None:
    """A percentage with one decimal, None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


# --------------------------------------------------------------------------- per place and day


@dataclass
class DayLoad:
    place: ServicePlace
    day: date
    opened: int = 0
    done: int = 0
    waiting: int = 0
    one_visit: int = 0
    forwarded: int = 0
    appointments: int = 0  # holding a seat: booked, checked in or served
    no_shows: int = 0
    seats: int | None = None
    top_items: list = field(default_factory=list)  # [(item name, cases)]

    @property
    def one_visit_share(self) -> float | None:
        return _share(self.one_visit, self.done)

    @property
    def appointment_use(self) -> float | None:
        return _share(self.appointments, self.seats) if self.seats else None


CASE_COUNTS = {
    "opened": Count("pk"),
    "done": Count("pk", filter=Q(state=CaseState.DONE)),
    "waiting": Count("pk", filter=Q(state__in=OPEN, closed_at__isnull=True)),
    "one_visit": Count("pk", filter=Q(state=CaseState.DONE, visits=1)),
    "forwarded": Count("pk", filter=Q(forwarded_at__isnull=False)),
}
APPOINTMENT_COUNTS = {
    "appointments": Count("pk", filter=Q(state__in=HOLDING)),
    "no_shows": Count("pk", filter=Q(state=AppointmentState.NO_SHOW)),
}


def place_day_load(user, place=None, *, day_from: date, day_to: date) -> list[DayLoad]:
    """One row per place and day with cases or appointments in the period (newest day first), in the user's scope:
    three grouped queries and the seats' plans and rules, whatever the number of cases. Top items are added for
    the rows shown (`add_top_items`)."""
    check_period(day_from, day_to)
    rows: dict[tuple[int, date], dict] = defaultdict(dict)
    cases = (_cases(user, day_from, day_to, place).annotate(day=TruncDate("created_at"))
             .values("place_id", "day").annotate(**CASE_COUNTS).order_by())
    for r in cases:
        rows[(r.pop("place_id"), r.pop("day"))].update(r)
    appointments = (_appointments(user, day_from, day_to, place).annotate(day=TruncDate("starts_at"))
                    .values("place_id", "day").annotate(**APPOINTMENT_COUNTS).order_by())
    for r in appointments:
        rows[(r.pop("place_id"), r.pop("day"))].update(r)
    place_ids = {pid for pid, _day in rows}
    places = {p.pk: p for p in ServicePlace.objects.filter(pk__in=place_ids)}
    seats = Seats(place_ids)
    made = [DayLoad(place=places[pid], day=day, seats=seats.on(pid, day), **counts)
            for (pid, day), counts in rows.items()]
    made.sort(key=lambda r: (-r.day.toordinal(), r.place.kind, r.place.code))
    return made


def add_top_items(user, rows: list[DayLoad]) -> list[DayLoad]:
    """Each row's items most requested (top 5 by cases opened that day), in one grouped query over the rows'
    places and days."""
    rows = list(rows)
    if not rows:
        return rows
    start, end = min(r.day for r in rows), max(r.day for r in rows)
    wanted = {(r.place.pk, r.day): r for r in rows}
    counts = (_cases(user, start, end).filter(place_id__in={r.place.pk for r in rows})
              .annotate(day=TruncDate("created_at")).values("place_id", "day", "item__name")
              .annotate(n=Count("pk")).order_by("-n", "item__name"))
    for c in counts:
        row = wanted.get((c["place_id"], c["day"]))
        if row is not None and len(row.top_items) < TOP:
            row.top_items.append((c["item__name"], c["n"]))
    return rows


# --------------------------------------------------------------------------- the street's summary


@dataclass
class Summary:
    day_from: date
    day_to: date
    cases: int = 0
    done: int = 0
    waiting: int = 0
    one_visit: int = 0
    forwarded: int = 0
    on_time: int = 0
    timed: int = 0  # done cases with an acceptance and a closing time (the on-time share's base)
    appointments: int = 0
    no_shows: int = 0
    top_items: list = field(default_factory=list)  # [(name, cases)]
    busiest_places: list = field(default_factory=list)  # [(place, cases)]
    months: list = field(default_factory=list)  # [{"month": date, "cases", "done", "one_visit"}]

    @property
    def one_visit_share(self) -> float | None:
        return _share(self.one_visit, self.done)

    @property
    def on_time_share(self) -> float | None:
        return _share(self.on_time, self.timed)

    @property
    def no_show_share(self) -> float | None:
        return _share(self.no_shows, self.appointments + self.no_shows)


def on_time_counts(cases) -> tuple[int, int]:
    """(done cases within their item's time limit, done cases counted): the working days from the accepted date
    (the opening date when accepted at once) to the closing date against the item's `time_limit_days`, on the
    holiday calendar. One grouped query; the working days are counted once per distinct pair of dates."""
    groups = (cases.filter(state=CaseState.DONE, closed_at__isnull=False)
              .annotate(start=TruncDate(Coalesce("accepted_at", "created_at")), end=TruncDate("closed_at"))
              .values("start", "end", "item__time_limit_days").annotate(n=Count("pk")).order_by())
    overrides, spans = DbOverrides(), {}
    on_time = timed = 0
    for g in groups:
        key = (g["start"], g["end"])
        if key not in spans:
            spans[key] = working_days_between(g["start"], g["end"], overrides)
        timed += g["n"]
        if spans[key] <= g["item__time_limit_days"]:
            on_time += g["n"]
    return on_time, timed


def _months(start: date, end: date) -> list[date]:
    months, m = [], start.replace(day=1)
    while m <= end:
        months.append(m)
        m = (m + timedelta(days=32)).replace(day=1)
    return months


def street_summary(user, *, day_from: date, day_to: date, place=None) -> Summary:
    """The numbers of the whole scope (or of one place) over the period."""
    check_period(day_from, day_to)
    cases = _cases(user, day_from, day_to, place)
    totals = cases.aggregate(**{k: v for k, v in CASE_COUNTS.items()})
    summary = Summary(day_from, day_to, cases=totals["opened"], done=totals["done"], waiting=totals["waiting"],
                      one_visit=totals["one_visit"], forwarded=totals["forwarded"])
    summary.on_time, summary.timed = on_time_counts(cases)
    appts = _appointments(user, day_from, day_to, place).aggregate(**APPOINTMENT_COUNTS)
    summary.appointments, summary.no_shows = appts["appointments"], appts["no_shows"]
    summary.top_items = [(r["item__name"], r["n"]) for r in cases.values("item_id", "item__name")
                         .annotate(n=Count("pk")).order_by("-n", "item__name")[:TOP]]
    busiest = list(cases.values("place_id").annotate(n=Count("pk")).order_by("-n", "place_id")[:TOP])
    places = ServicePlace.objects.in_bulk([r["place_id"] for r in busiest])
    summary.busiest_places = [(places[r["place_id"]], r["n"]) for r in busiest]
    by_month = {r["month"]: r for r in cases.annotate(month=TruncMonth("created_at"))
                .values("month").annotate(cases=Count("pk"), done=CASE_COUNTS["done"],
                                          one_visit=CASE_COUNTS["one_visit"]).order_by("month")}
    by_month = {(m.date() if isinstance(m, datetime) else m): r for m, r in by_month.items()}
    summary.months = [{"month": m, "cases": by_month.get(m, {}).get("cases", 0),
                       "done": by_month.get(m, {}).get("done", 0),
                       "one_visit": by_month.get(m, {}).get("one_visit", 0)} for m in _months(day_from, day_to)]
    return summary


def month_chart(summary: Summary) -> dict:
    """The cases-by-month chart (server-drawn SVG, gongzhi.triage.charts): cases opened, and done in one visit."""
    from gongzhi.triage.charts import line_chart

    labels = [m["month"].strftime("%Y-%m") for m in summary.months]
    chart = line_chart(labels, [
        {"name": _("Cases opened"), "counts": [m["cases"] for m in summary.months]},
        {"name": _("Done in one visit"), "counts": [m["one_visit"] for m in summary.months]},
    ])
    if len(labels) > 12:  # every other month's label, or they overlap
        for i, x in enumerate(chart["xs"]):
            if i % 2:
                x["label"] = ""
    return chart


# --------------------------------------------------------------------------- the workbench card


def my_places(user):
    """The places where the user is on duty (the roster); without duty rows, the places in their scope."""
    places = places_for(user)
    mine = places.filter(pk__in=Duty.objects.filter(user=user).values("place_id"))
    return mine if mine.exists() else places


def today_card(user) -> dict | None:
    """Station load today: the cases opened today at my places, how many still wait, and the appointments used."""
    if not has_capability(user, VIEW):
        return None
    from django.urls import reverse

    today = timezone.localdate()
    places = my_places(user)
    low, high = _bounds(today, today)
    cases = scoped(user, Case, VIEW).filter(place__in=places, created_at__gte=low, created_at__lt=high)
    totals = cases.aggregate(opened=CASE_COUNTS["opened"], waiting=CASE_COUNTS["waiting"])
    held = scoped(user, Appointment, VIEW).filter(place__in=places, starts_at__gte=low, starts_at__lt=high,
                                                  state__in=HOLDING).count()
    place_ids = list(places.values_list("pk", flat=True))
    seats_of = Seats(place_ids)
    seats = sum(s for pid in place_ids if (s := seats_of.on(pid, today)))
    note = _("Waiting: %(waiting)s · appointments: %(held)s of %(seats)s seats") % {
        "waiting": totals["waiting"], "held": held, "seats": seats}
    url = reverse("services:load_index") + f"?from={today.isoformat()}&to={today.isoformat()}"
    return {"count": totals["opened"], "url": url, "note": note,
            "tone": "urgent" if totals["waiting"] else "normal" if totals["opened"] else "quiet"}


# --------------------------------------------------------------------------- the health cabin


INDICATORS = [value for value, _label in HealthIndicator.choices]


def month_of(params, name: str = "month") -> date:
    """The month a page asks for (``YYYY-MM``), this month by default."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return timezone.localdate().replace(day=1)
    try:
        year, month = (int(p) for p in raw.split("-"))
        if not YEARS[0] <= year <= YEARS[1]:
            raise ValueError
        return date(year, month, 1)
    except ValueError:
        raise BadParameter(name) from None


def month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def tallies(user, place_, *, day_from: date, day_to: date):
    """The place's tally rows in the period (day, indicator order), NotFound outside the user's scope."""
    place_ = place(user, getattr(place_, "pk", place_))
    return HealthCheckTally.objects.filter(place=place_, day__gte=day_from, day__lte=day_to).order_by("day",
                                                                                                     "indicator")


def tally_days(user, place_, month: date) -> list[dict]:
    """The month's days with tallies: [{"day", "counts": [count per indicator, in INDICATORS order], "total"}]."""
    days: dict[date, dict[str, int]] = defaultdict(dict)
    for t in tallies(user, place_, day_from=month, day_to=month_end(month)):
        days[t.day][t.indicator] = t.count
    return [{"day": d, "counts": [days[d].get(i) for i in INDICATORS], "total": sum(days[d].values())}
            for d in sorted(days)]


def tallies_by_month(user, place_, *, day_from: date, day_to: date) -> dict:
    """Totals per indicator and month: {"months": [date], "rows": [{"indicator", "label", "counts", "total"}]}
    (one grouped query)."""
    place_ = place(user, getattr(place_, "pk", place_))
    months = _months(day_from, day_to)
    grid: dict[tuple[str, date], int] = {}
    for r in (HealthCheckTally.objects.filter(place=place_, day__gte=day_from, day__lte=day_to)
              .annotate(month=TruncMonth("day")).values("indicator", "month").annotate(n=Sum("count")).order_by()):
        month = r["month"].date() if isinstance(r["month"], datetime) else r["month"]
        grid[(r["indicator"], month)] = r["n"]
    rows = []
    for value, label in HealthIndicator.choices:
        counts = [grid.get((value, m), 0) for m in months]
        rows.append({"indicator": value, "label": label, "counts": counts, "total": sum(counts)})
    return {"months": months, "rows": rows, "totals": [sum(r["counts"][i] for r in rows) for i in range(len(months))]}


def cabin_places(user, month: date):
    """The places in scope with their month's self-checks (places with tallies first)."""
    return (places_for(user).annotate(checks=Coalesce(Sum("health_tallies__count", filter=Q(
        health_tallies__day__gte=month, health_tallies__day__lte=month_end(month))), 0))
        .order_by("-checks", "kind", "code"))


def working_days(start: date, end: date) -> list[date]:
    """The working days in [start, end] on the holiday calendar (the demo's health-cabin days)."""
    overrides = DbOverrides()
    days, d = [], start
    while d <= end:
        if is_working_day(d, overrides):
            days.append(d)
        d += timedelta(days=1)
    return days
