"""Demo data of the load part: the health cabins' self-check tallies (seed 000: a building station's health cabin
offers 13 self-check indicators) at the places that have one, the office towers' stations and the centre, on every
working day of the last two years, taken in through `import_tallies` (one bulk import, all or nothing).

Counts are realistic rather than uniform: blood pressure is by far the most used indicator, bone density and lung
capacity the least; the centre is busier than a tower's station; Mondays and the winter months see more checks
(blood pressure and blood sugar especially), August fewer; use grows over the two years as the cabins become known.
Only ctx.rng draws; places in ctx.service_places order; dates relative to the demo's "today"."""

from __future__ import annotations

from datetime import timedelta

from gongzhi.core.workflow import SYSTEM
from gongzhi.demo.demands import anchor
from gongzhi.registry.models import BuildingKind, ServicePlaceKind
from gongzhi.services.models import HealthIndicator as I
from gongzhi.services.selectors.load import working_days
from gongzhi.services.services.load import import_tallies

DAYS = 730
# the average checks a working day at an ordinary tower station, per indicator
MEANS = {
    I.BLOOD_PRESSURE: 26.0, I.BLOOD_SUGAR: 9.0, I.HEIGHT_WEIGHT: 8.0, I.HEART_RATE: 7.0, I.BLOOD_OXYGEN: 6.0,
    I.BODY_FAT: 5.0, I.TEMPERATURE: 4.0, I.URIC_ACID: 3.0, I.CHOLESTEROL: 3.0, I.VISION: 2.5, I.ECG: 2.0,
    I.BONE_DENSITY: 1.2, I.LUNG_CAPACITY: 1.0,
}
WINTER = {12: 1.2, 1: 1.25, 2: 1.1, 3: 1.05, 7: 0.9, 8: 0.8, 10: 0.95}  # seasonal factor by month
WINTER_SENSITIVE = {I.BLOOD_PRESSURE, I.BLOOD_SUGAR, I.HEART_RATE, I.ECG}


def cabin_places(ctx) -> list:
    """The places with a health cabin: the centre and the office towers' stations."""
    return [p for p in ctx.service_places if p.kind == ServicePlaceKind.CENTRE
            or (p.building is not None and p.building.kind == BuildingKind.OFFICE)]


def tally_rows(ctx, places, days) -> list[tuple]:
    rng = ctx.rng
    first, span = days[0], max(1, (days[-1] - days[0]).days)
    sizes = [(p, 1.6 if p.kind == ServicePlaceKind.CENTRE else rng.uniform(0.6, 1.2)) for p in places]
    rows = []
    for day in days:
        growth = 0.75 + 0.4 * (day - first).days / span
        monday = 1.2 if day.weekday() == 0 else 1.0
        season = WINTER.get(day.month, 1.0)
        for place, size in sizes:
            base = size * growth * monday
            for indicator, mean in MEANS.items():
                expected = base * mean * (season if indicator in WINTER_SENSITIVE else 1.0)
                count = int(expected * rng.uniform(0.5, 1.5) + rng.random())
                if count:
                    rows.append((place.code, day, indicator.value, count))
    return rows


def seed(ctx) -> None:
    last, _now = anchor()
    places = cabin_places(ctx)
    if not places:
        return
    days = working_days(last - timedelta(days=DAYS - 1), last)
    result = import_tallies(tally_rows(ctx, places, days), actor=SYSTEM)
    ctx.extra["health_tallies"] = result["created"]
