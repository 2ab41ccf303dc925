"""The demo's health cabins: the centre and the office towers' stations tally 13 self-check indicators on every
working day of the last two years, blood pressure most; the same seed gives the same counts; fast."""


import pytest
from django.db.models import Sum

from gongzhi.demo.services import load as demo
from gongzhi.registry.models import ServicePlace, ServicePlaceKind
from gongzhi.services.models import HealthCheckTally
from tests.dbutil import kept, registry_then


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    yield from kept(django_db_blocker, lambda: registry_then(demo.seed, "services.load"))


@pytest.mark.django_db
def test_the_cabins_are_at_the_centre_and_the_towers_stations(seeded):
    with_tallies = ServicePlace.objects.filter(health_tallies__isnull=False).distinct()
    assert with_tallies.filter(kind=ServicePlaceKind.CENTRE).count() == 1
    stations = with_tallies.filter(kind=ServicePlaceKind.STATION)
    assert stations.count() == 5 and not stations.filter(building=None).exists()
    assert seeded.extra["health_tallies"] == HealthCheckTally.objects.count() > 30000


@pytest.mark.django_db
def test_two_years_of_working_days_with_blood_pressure_most(seeded):
    days = HealthCheckTally.objects.dates("day", "day")
    assert (days.last() - days.first()).days > 700
    assert all(d.weekday() < 5 for d in days if d.month not in (1, 2, 4, 5, 9, 10))  # make-up days aside
    totals = dict(HealthCheckTally.objects.values_list("indicator").annotate(n=Sum("count")))
    assert len(totals) == 13 and max(totals, key=totals.get) == "blood_pressure"
    assert totals["blood_pressure"] > 2 * totals["blood_sugar"] > 2 * totals["lung_capacity"]


@pytest.mark.django_db
def test_the_same_seed_draws_the_same_counts(seeded):
    import random

    from gongzhi.demo import SEED, SeedContext

    places = demo.cabin_places(seeded)
    days = sorted(HealthCheckTally.objects.dates("day", "day"))[:20]
    first = demo.tally_rows(SeedContext(rng=random.Random(SEED)), places, days)
    again = demo.tally_rows(SeedContext(rng=random.Random(SEED)), places, days)
    assert first == again and len({r[3] for r in first}) > 10
