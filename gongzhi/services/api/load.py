"""API of the load part, under /api/v1/services/: the station load of the caller's scope over a period (the summary
and one row per place and day) and a place's health-cabin tallies (read them; record a day's counts). Counts only:
no personal data. Refusals answer in the ErrorOut shape: 403 without the right, 404 for a place out of scope,
422 for bad input (a period over two years or backwards, a day in the future)."""

from datetime import date
from typing import Annotated

from ninja import Field, Query, Router, Schema

from gongzhi.accounts.scope import require_capability
from gongzhi.core.apitypes import Date, Id, In, QueryId, choice, errors, number
from gongzhi.services.models import HealthIndicator
from gongzhi.services.policies import load as policies
from gongzhi.services.selectors import load as selectors
from gongzhi.services.services import load as services

router = Router()

READ_ERRORS = errors(403, 404, 422)
WRITE_ERRORS = errors(403, 404, 409, 422)


class ServiceLoadFilter(Schema):
    place: QueryId | None = None
    date_from: Date | None = None
    date_to: Date | None = None


class ServiceLoadItemOut(Schema):
    name: str
    cases: int


class ServiceLoadPlaceOut(Schema):
    id: int
    code: str
    name: str
    cases: int


class ServiceLoadMonthOut(Schema):
    month: str
    cases: int
    done: int
    one_visit: int


class ServiceLoadSummaryOut(Schema):
    date_from: date
    date_to: date
    cases: int
    done: int
    waiting: int
    one_visit: int
    one_visit_share: float | None
    on_time: int
    on_time_share: float | None
    forwarded: int
    appointments: int
    no_shows: int
    top_items: list[ServiceLoadItemOut]
    busiest_places: list[ServiceLoadPlaceOut]
    months: list[ServiceLoadMonthOut]


class ServiceLoadRowOut(Schema):
    place_id: int
    place: str
    day: date
    opened: int
    done: int
    waiting: int
    one_visit: int
    one_visit_share: float | None
    forwarded: int
    appointments: int
    seats: int | None
    appointment_use: float | None
    no_shows: int
    top_items: list[ServiceLoadItemOut]


class ServiceLoadOut(Schema):
    summary: ServiceLoadSummaryOut
    rows: list[ServiceLoadRowOut]


class ServiceTallyOut(Schema):
    place_id: int
    day: date
    indicator: str
    count: int


class ServiceTallyFilter(Schema):
    date_from: Date | None = None
    date_to: Date | None = None


class ServiceTallyIn(In):
    day: Date
    counts: Annotated[dict[choice(HealthIndicator), number(0, services.MAX_COUNT)], Field(min_length=1)]


def _summary_out(s) -> dict:
    return {
        "date_from": s.day_from, "date_to": s.day_to, "cases": s.cases, "done": s.done, "waiting": s.waiting,
        "one_visit": s.one_visit, "one_visit_share": s.one_visit_share, "on_time": s.on_time,
        "on_time_share": s.on_time_share, "forwarded": s.forwarded, "appointments": s.appointments,
        "no_shows": s.no_shows, "top_items": [{"name": n, "cases": c} for n, c in s.top_items],
        "busiest_places": [{"id": p.pk, "code": p.code, "name": p.name, "cases": c} for p, c in s.busiest_places],
        "months": [{"month": m["month"].strftime("%Y-%m"), "cases": m["cases"], "done": m["done"],
                    "one_visit": m["one_visit"]} for m in s.months],
    }


def _row_out(r) -> dict:
    return {"place_id": r.place.pk, "place": r.place.name, "day": r.day, "opened": r.opened, "done": r.done,
            "waiting": r.waiting, "one_visit": r.one_visit, "one_visit_share": r.one_visit_share,
            "forwarded": r.forwarded, "appointments": r.appointments, "seats": r.seats,
            "appointment_use": r.appointment_use, "no_shows": r.no_shows,
            "top_items": [{"name": n, "cases": c} for n, c in r.top_items]}


def _period(date_from, date_to) -> tuple[date, date]:
    return selectors.period({"from": date_from.isoformat() if date_from else "",
                             "to": date_to.isoformat() if date_to else ""})


@router.get("/load", response={200: ServiceLoadOut, **READ_ERRORS}, url_name="services_load")
def station_load(request, filters: Query[ServiceLoadFilter]):
    """The station load of the caller's scope (or of one place) over a period, by default the last 30 days (at
    most two years): the summary and one row per place and day, newest first."""
    require_capability(request.user, policies.VIEW)
    place = selectors.place(request.user, filters.place) if filters.place else None
    day_from, day_to = _period(filters.date_from, filters.date_to)
    rows = selectors.add_top_items(request.user, selectors.place_day_load(request.user, place, day_from=day_from,
                                                                          day_to=day_to))
    summary = selectors.street_summary(request.user, day_from=day_from, day_to=day_to, place=place)
    return {"summary": _summary_out(summary), "rows": [_row_out(r) for r in rows]}


@router.get("/load/places/{pk}/tallies", response={200: list[ServiceTallyOut], **READ_ERRORS},
            url_name="services_load_tallies")
def tally_list(request, pk: Id, filters: Query[ServiceTallyFilter]):
    """A place's health-cabin tallies over a period (by default the last 30 days, at most two years)."""
    require_capability(request.user, policies.VIEW)
    day_from, day_to = _period(filters.date_from, filters.date_to)
    return list(selectors.tallies(request.user, pk, day_from=day_from, day_to=day_to))


@router.post("/load/places/{pk}/tallies", response={200: list[ServiceTallyOut], **WRITE_ERRORS},
             url_name="services_load_tallies_record")
def tally_record(request, pk: Id, payload: ServiceTallyIn):
    """Record a day's self-checks at a place (station workers): {indicator: count}; a count already recorded for
    the day is corrected. A day in the future is a 422."""
    require_capability(request.user, policies.ACCEPT)
    return services.record_tallies(pk, actor=request.user, day=payload.day, counts=dict(payload.counts))
