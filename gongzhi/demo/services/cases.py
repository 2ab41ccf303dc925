"""Demo data of the cases part: two years of one-window cases at the street's 1+16 places, taken in through ONE
call of `import_cases` (validated against the case workflow, all or nothing).

Volume follows the seasons of a doorstep counter: more in March–April (medical-insurance renewals, school
enrolment) and September–October, fewer in August and around the Spring Festival, none on holidays or on days a
place is closed (the centre opens Monday to Saturday, the stations on weekdays, unless the offers part gave them
working plans). About 12–25 cases a working day across the street. Outcomes: about 68 % done on the spot, 20 %
forwarded to the back office (most completed within the item's time limit, a few late, a few recent ones overdue
and still open), 7 % made ready and picked up (two visits), 5 % opened incomplete and supplied later (two
visits): "只跑一次" comes out near 88 %. Some cases carry remote sessions (a medical-insurance bill printed by
video, long-term-care questions by phone). Deterministic: only ctx.rng and ctx.names, times relative to
`gongzhi.demo.demands.anchor()`.
"""

from __future__ import annotations

import time as clock
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.demands.calendar import DbOverrides, add_working_days
from gongzhi.demo.demands import anchor
from gongzhi.registry.models import ServicePlaceKind
from gongzhi.services.models import Case, ServiceItem, WorkingPlan
from gongzhi.services.services.cases import CaseStep, PastCase, import_cases
from gongzhi.services.workflow import CASE_FLOW, CaseAction, CaseState

DAYS = 730
PER_DAY = 12.5  # the street's mean on an ordinary working day
MONTH_WEIGHT = {1: 1.0, 2: 0.8, 3: 1.35, 4: 1.35, 5: 1.0, 6: 1.0, 7: 0.9, 8: 0.65, 9: 1.3, 10: 1.2, 11: 1.0, 12: 1.0}
SPRING_FESTIVAL = (date(2024, 2, 10), date(2025, 1, 29), date(2026, 2, 17), date(2027, 2, 6), date(2028, 1, 26))
BACK_OFFICES = ("区社保中心", "区医保中心", "区行政服务中心", "区民政局", "区残联", "区人力资源服务中心")
VIDEO = ("医保", "账单")
PHONE = ("长护", "长期护理", "护理")


def _holiday(day: date) -> bool:
    """The long public holidays: the Spring Festival week, Labour Day and National Day."""
    if any(0 <= (day - sf).days + 1 < 8 for sf in SPRING_FESTIVAL):
        return True
    return (day.month, day.day) in {(5, d) for d in range(1, 6)} | {(10, d) for d in range(1, 8)} | {(1, 1)}


def _near_festival(day: date) -> bool:
    return any(-12 <= (day - sf).days <= 14 for sf in SPRING_FESTIVAL)


def _open_days(place) -> set[int]:
    plans = set(WorkingPlan.objects.filter(place=place).values_list("weekday", flat=True))
    if plans:
        return plans
    return {0, 1, 2, 3, 4, 5} if place.kind == ServicePlaceKind.CENTRE else {0, 1, 2, 3, 4}


def _workers(ctx, places) -> dict:
    """Each place's counter worker among the demo accounts: the area's secretary, else the street's staff."""
    street = ctx.users.get("street") or SYSTEM
    secretaries = [(u, a) for u, a in ((ctx.users.get(f"secretary{i}"), area)
                                       for i, area in enumerate(ctx.areas, start=1)) if u is not None]
    found = {}
    for place in places:
        path = place.region.path
        found[place.pk] = next((u for u, a in secretaries if path.startswith(a.path)), street)
    return found


def _items(ctx) -> list:
    items = list((ctx.extra.get("services") or {}).get("items") or ())
    if not items:
        items = list(ServiceItem.objects.filter(active=True).order_by("code"))
    return [i for i in items if i.active]


def _at(day: date, minutes: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(8, 30)) + timedelta(minutes=minutes))


def seed(ctx) -> None:
    started = clock.perf_counter()
    items = _items(ctx)
    places = list(ctx.service_places)
    if not items or not places:
        return
    rng, names = ctx.rng, ctx.names
    today, _now = anchor()
    now = timezone.now()
    overrides = DbOverrides()
    back_office = ctx.users.get("street") or SYSTEM
    workers = _workers(ctx, places)
    open_days = {p.pk: _open_days(p) for p in places}
    weights = [3.0 if p.kind == ServicePlaceKind.CENTRE else 0.7 if p.building_id else 1.0 for p in places]
    order = items[:]
    rng.shuffle(order)  # popularity: a long tail over a shuffled catalogue
    popularity = list(accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(order))))
    limited = [i for i in order if i.time_limit_days > 0] or order
    limited_pop = list(accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(limited))))
    checklists = {}
    for item in order:
        checklists[item.pk] = [m.pk for m in item.materials.all() if m.required]

    rows: list[PastCase] = []
    first = today - timedelta(days=DAYS)
    for offset in range(DAYS + 1):
        day = first + timedelta(days=offset)
        if _holiday(day) or (day in overrides and not overrides[day]):
            continue
        working = overrides[day] if day in overrides else day.weekday() < 5
        weekday = 0 if working and day.weekday() >= 5 else day.weekday()  # a make-up day follows Monday's plan
        open_here = [(p, w) for p, w in zip(places, weights, strict=True) if weekday in open_days[p.pk]]
        if not open_here:
            continue
        mean = PER_DAY * MONTH_WEIGHT[day.month] * (0.6 if _near_festival(day) else 1.0)
        if not working:
            mean *= 0.25  # a Saturday at the centre
        count = max(0, round(rng.gauss(mean, mean * 0.2)))
        chosen = rng.choices([p for p, _w in open_here], weights=[w for _p, w in open_here], k=count)
        for place in chosen:
            rows.append(_case(rng, names, day, place, workers[place.pk], back_office, order, popularity, limited,
                              limited_pop, checklists, overrides, now))
    rows = [r for r in rows if r is not None]
    import_cases(rows, actor=SYSTEM, change_reason="demo seed")
    ctx.extra.setdefault("services", {})["cases"] = len(rows)
    ctx.timings["services.cases"] = clock.perf_counter() - started


def _case(rng, names, day, place, worker, back_office, order, popularity, limited, limited_pop, checklists,
          overrides, now) -> PastCase | None:
    opened = _at(day, rng.randrange(0, 480))
    roll = rng.random()
    kind = ("spot" if roll < 0.68 else "forward" if roll < 0.88 else "pickup" if roll < 0.95 else "supply")
    item = rng.choices(limited, cum_weights=limited_pop)[0] if kind in ("forward", "pickup") else rng.choices(
        order, cum_weights=popularity)[0]
    steps = [CaseStep(CaseAction.OPEN, opened, worker)]
    incomplete = False

    def later(working_days: int, minutes: int) -> datetime:
        target = add_working_days(day, working_days, overrides)
        return _at(target, minutes)

    if kind == "spot":
        steps.append(CaseStep(CaseAction.COMPLETE, opened + timedelta(minutes=rng.randrange(5, 40)), worker))
    elif kind == "supply":
        incomplete = bool(checklists[item.pk])
        if incomplete:
            back = later(rng.randrange(1, 6), rng.randrange(0, 480))
            steps.append(CaseStep(CaseAction.SUPPLY, max(back, opened + timedelta(minutes=30)), worker))
        steps.append(CaseStep(CaseAction.COMPLETE, steps[-1].at + timedelta(minutes=rng.randrange(5, 30)), worker))
    elif kind == "pickup":
        ready = later(rng.randrange(1, max(1, item.time_limit_days) + 1), rng.randrange(0, 420))
        ready = max(ready, opened + timedelta(minutes=30))
        steps.append(CaseStep(CaseAction.MAKE_READY, ready, worker))
        picked = _at(add_working_days(ready.date(), rng.randrange(1, 4), overrides), rng.randrange(0, 480))
        steps.append(CaseStep(CaseAction.PICK_UP, max(picked, ready + timedelta(minutes=30)), worker))
    else:
        steps.append(CaseStep(CaseAction.FORWARD, opened + timedelta(minutes=rng.randrange(10, 60)), worker))
        steps.append(CaseStep(CaseAction.RECEIVE, later(1, rng.randrange(0, 240)), back_office))
        late = rng.random() < 0.06
        limit = max(1, item.time_limit_days)
        days = limit + rng.randrange(1, 6) if late else rng.randrange(1, limit + 1)
        steps.append(CaseStep(CaseAction.COMPLETE, max(later(days, rng.randrange(240, 480)),
                                                       steps[-1].at + timedelta(minutes=30)), back_office))
    # a case of the last days is where it has got to by now (a late forwarded one stays overdue)
    steps = [s for s in steps if s.at <= now]
    if kind == "forward" and len(steps) == 4 and (now - steps[0].at).days < 45 and rng.random() < 0.05:
        steps = steps[:3]  # a few recent ones still with the back office
    state = CaseState.INCOMPLETE if incomplete else CaseState.ACCEPTED
    for s in steps[1:]:
        state = CASE_FLOW.target(state, s.action)
    case = Case(place=place, item=item, state=state, applicant_name=names.name(), applicant_phone=names.mobile(),
                opened_by=worker if worker is not SYSTEM else None)
    if CaseAction.FORWARD in [s.action for s in steps]:
        case.back_office = rng.choice(BACK_OFFICES)
    if state == CaseState.DONE:
        case.result = "当场办结" if kind == "spot" else "已办结"
    remote = []
    if item.remote or any(w in item.name for w in VIDEO + PHONE):
        if rng.random() < 0.3:
            video = any(w in item.name for w in VIDEO) or not any(w in item.name for w in PHONE)
            remote.append(("video" if video else "phone", opened + timedelta(minutes=2), rng.randrange(5, 25),
                           "视频指导打印医保账单" if video else "电话解答长护险申请流程"))
    return PastCase(case=case, steps=steps, incomplete=incomplete, remote=remote)
