"""Intake finds the building a demand is about, by id or by the point an Open311 client sends, from a
per-process cache that forgets a building the moment it is changed in this process."""

import math
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from gongzhi.demands import places
from gongzhi.demands.places import NEARBY_METRES, _Located, _metres, nearest_building
from gongzhi.registry.models import Building
from tests import factories

LAT, LON = Decimal("31.220000"), Decimal("121.450000")
METRE_LAT = 1 / places.METRES_PER_DEGREE  # degrees of latitude per metre


def _north(metres: float) -> Decimal:
    return (LAT + Decimal(metres * METRE_LAT)).quantize(Decimal("0.000001"))


def test_the_nearest_building_within_300_metres_is_chosen(street):
    near = factories.building(street.grid_a1, latitude=_north(100), longitude=LON)
    factories.building(street.grid_a2, latitude=_north(200), longitude=LON)
    assert nearest_building(LAT, LON) == near
    assert nearest_building(LAT, LON).region == street.grid_a1


def test_nothing_is_near_beyond_300_metres(street):
    factories.building(street.grid_a1, latitude=_north(320), longitude=LON)
    assert nearest_building(LAT, LON) is None


def test_only_buildings_of_the_client_s_sub_district_count(street):
    other_street = factories.street()
    factories.building(other_street.grid_a1, latitude=_north(10), longitude=LON)
    mine = factories.building(street.grid_a1, latitude=_north(150), longitude=LON)
    assert nearest_building(LAT, LON, street.subdistrict) == mine
    assert nearest_building(LAT, LON) != mine


def test_equally_near_buildings_resolve_to_the_older_one(street):
    first = factories.building(street.grid_a1, latitude=_north(50), longitude=LON)
    factories.building(street.grid_a2, latitude=_north(50), longitude=LON)
    assert nearest_building(LAT, LON) == first


class _B:
    def __init__(self, pk, lat, lon):
        self.pk, self.latitude, self.longitude = pk, lat, lon


@settings(max_examples=200, deadline=None)
@given(
    lat=st.floats(-70, 70), lon=st.floats(-179, 179),
    offsets=st.lists(st.tuples(st.floats(-600, 600), st.floats(-600, 600)), min_size=1, max_size=30),
)
def test_the_cell_index_finds_what_a_search_of_every_building_finds(lat, lon, offsets):
    per_lon = places.METRES_PER_DEGREE * math.cos(math.radians(lat))
    buildings = [_B(i, lat + dy / places.METRES_PER_DEGREE, lon + dx / per_lon) for i, (dx, dy) in enumerate(offsets)]
    found = _Located(buildings).nearest(lat, lon)
    ranked = sorted((_metres(lat, lon, b.latitude, b.longitude), b.pk) for b in buildings)
    best = ranked[0] if ranked[0][0] < NEARBY_METRES else None
    assert (found.pk if found else None) == (best[1] if best else None)


@pytest.mark.django_db(transaction=True)
def test_a_building_is_read_once_then_served_from_the_cache(street):
    b = factories.building(street.grid_a1, latitude=_north(10), longitude=LON)
    assert places.building(b.pk) == b
    assert nearest_building(LAT, LON, street.subdistrict) == b
    with CaptureQueriesContext(connection) as q:
        assert places.building(b.pk).region == street.grid_a1
        assert nearest_building(LAT, LON, street.subdistrict) == b
        assert places.building("not a number") is None
    assert q.captured_queries == []


@pytest.mark.django_db(transaction=True)
def test_a_building_moved_to_another_grid_routes_there_at_once(street):
    b = factories.building(street.grid_a1, latitude=_north(10), longitude=LON)
    assert places.building(b.pk).region == street.grid_a1
    assert nearest_building(LAT, LON).region == street.grid_a1
    b = Building.objects.get(pk=b.pk)
    b.region = street.grid_a2
    b.save()
    assert places.building(b.pk).region == street.grid_a2
    assert nearest_building(LAT, LON).region == street.grid_a2


@pytest.mark.django_db(transaction=True)
def test_a_deleted_building_is_no_longer_found(street):
    b = factories.building(street.grid_a1, latitude=_north(10), longitude=LON)
    assert places.building(b.pk) == b
    pk = b.pk
    b.delete()
    assert places.building(pk) is None
    assert nearest_building(LAT, LON) is None
