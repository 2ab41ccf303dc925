"""The offers part's demo: the 1+16 places offer items (the centre everything visible to the street, a building
station the 80+ city-wide items in 10 categories), weekday plans with a break (some Saturdays), 30-minute slots with
2–3 seats, the secretaries on their stations' roster and "street" at the centre; fast. Seeds the registry, a
catalogue like the catalogue part's, and this part, once for the module."""

import random
import time
from datetime import date

import pytest
from django.db import transaction
from django.test import override_settings

from gongzhi.demo import SEED, SeedContext
from gongzhi.registry.models import ServicePlaceKind
from gongzhi.services.models import BookingRules, Duty, Offer, WorkingPlan
from gongzhi.services.policies.offers import may_be_on_duty
from gongzhi.services.selectors import offers as sel
from tests.dbutil import settle_constraints
from tests.services import factories as f


def _catalogue(ctx) -> None:
    """Ten categories of city-wide items (9 each, 3 for office workers) and two own items per area."""
    items = []
    for c in range(10):
        category = f.category(f"cat{c}", f"类别{c}")
        for n in range(9):
            items.append(f.item(f"城市事项{c}-{n}", code=f"QS{c:02d}{n:02d}", category=category, materials=(),
                                for_office_workers=n < 3, for_building_stations=True))
    for a, area in enumerate(ctx.areas):
        for n in range(2):
            items.append(f.item(f"{area.name}事项{n}", code=f"AREA{a:02d}{n}", category=category, materials=(),
                                region=area))
    ctx.extra["services"] = {"items": sorted(items, key=lambda i: i.code)}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    from gongzhi.demo import registry
    from gongzhi.demo.services import offers

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                ctx = SeedContext(rng=random.Random(SEED))
                registry.seed(ctx)
                _catalogue(ctx)
                started = time.process_time()
                offers.seed(ctx)
                ctx.timings["services_offers"] = time.process_time() - started
            settle_constraints()  # tests/dbutil.py
            yield ctx
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(seeded, db):
    return seeded


def test_every_place_offers_items_the_centre_all_it_may(demo):
    places = demo.service_places
    assert len(places) == 17
    centre = places[0]
    assert centre.kind == ServicePlaceKind.CENTRE
    assert set(sel.offers_of(centre).values_list("item_id", flat=True)) == {i.pk for i in sel.visible_items(centre)}
    for place in places[1:]:
        count = sel.offers_of(place).count()
        assert 20 <= count <= 120, (place, count)
        assert not sel.offers_of(place).exclude(item__in=sel.visible_items(place)).exists()


def test_a_building_station_handles_the_city_wide_items_of_ten_categories(demo):
    building = next(p for p in demo.service_places if p.building_id)
    offers = Offer.objects.filter(place=building, active=True, item__region__isnull=True)
    assert offers.count() == 90
    assert offers.values("item__category").distinct().count() == 10


def test_plans_rules_and_roster(demo):
    centre = demo.service_places[0]
    for place in demo.service_places:
        plans = sel.plans_of(place)
        assert set(range(5)) <= set(plans) and 6 not in plans
        assert plans[0].break_starts_at.hour == 11 and plans[0].closes_at.hour == 17
        rules = BookingRules.objects.get(place=place)
        assert rules.slot_minutes == 30 and rules.capacity in (2, 3)
        assert Duty.objects.filter(place=place).exists(), place
        assert all(may_be_on_duty(d.user, place) for d in Duty.objects.filter(place=place))
    assert 5 in sel.plans_of(centre)
    assert WorkingPlan.objects.filter(weekday=5).count() > 1
    assert demo.users["street"] in sel.on_duty(centre, date(2026, 9, 28), {})
    assert Duty.objects.filter(user=demo.users["secretary1"]).exists()
