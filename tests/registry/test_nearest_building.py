"""The building nearest to a point (an Open311 client's lat/long): an indexed box query around the point, the
nearest candidate picked in Python, nothing beyond 300 metres."""

import math
from decimal import Decimal

from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongzhi.registry.models import METRES_PER_DEGREE, NEARBY_METRES, Building, metres_between
from tests import factories

LAT, LON = Decimal("31.220000"), Decimal("121.450000")
SIX_PLACES = Decimal("0.000001")


def _north(metres: float) -> Decimal:
    return (LAT + Decimal(metres / METRES_PER_DEGREE)).quantize(SIX_PLACES)


def test_the_nearest_building_within_300_metres_is_chosen(street):
    near = factories.building(street.grid_a1, latitude=_north(100), longitude=LON)
    factories.building(street.grid_a2, latitude=_north(200), longitude=LON)
    assert Building.objects.nearest(LAT, LON) == near
    assert Building.objects.select_related("region").nearest(LAT, LON).region == street.grid_a1


def test_a_building_found_only_once_the_box_is_widened_is_still_found(street):
    far = factories.building(street.grid_a1, latitude=_north(280), longitude=LON)  # outside the first two boxes
    assert Building.objects.nearest(LAT, LON) == far


def test_nothing_is_near_beyond_300_metres(street):
    factories.building(street.grid_a1, latitude=_north(320), longitude=LON)
    factories.building(street.grid_a1)  # no coordinates
    assert Building.objects.nearest(LAT, LON) is None


def test_only_the_buildings_of_the_queryset_count(street):
    other_street = factories.street()
    factories.building(other_street.grid_a1, latitude=_north(10), longitude=LON)
    mine = factories.building(street.grid_a1, latitude=_north(150), longitude=LON)
    assert Building.objects.filter(region__path__startswith=street.subdistrict.path).nearest(LAT, LON) == mine
    assert Building.objects.nearest(LAT, LON) != mine


def test_equally_near_buildings_resolve_to_the_older_one(street):
    first = factories.building(street.grid_a1, latitude=_north(50), longitude=LON)
    factories.building(street.grid_a2, latitude=_north(50), longitude=LON)
    assert Building.objects.nearest(LAT, LON) == first


def test_a_building_moved_to_another_grid_is_found_there_at_once(street):
    b = factories.building(street.grid_a1, latitude=_north(10), longitude=LON)
    assert Building.objects.select_related("region").nearest(LAT, LON).region == street.grid_a1
    b.region = street.grid_a2
    b.save()
    assert Building.objects.select_related("region").nearest(LAT, LON).region == street.grid_a2


def test_the_box_query_reads_the_location_index(street):
    factories.building(street.grid_a1, latitude=_north(10), longitude=LON)
    box = Building.objects.filter(latitude__range=(LAT - SIX_PLACES, LAT + SIX_PLACES),
                                  longitude__range=(LON - SIX_PLACES, LON + SIX_PLACES))
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Building._meta.db_table)
    assert constraints["registry_building_location"]["columns"] == ["latitude", "longitude"]
    if connection.vendor == "sqlite":
        # PostgreSQL's planner picks any index (or a scan) for a table of a few rows, whatever the query; SQLite's
        # plan shows the box reads the location index
        assert "registry_building_location" in box.explain()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lat=st.floats(-70, 70), lon=st.floats(-179, 179),
    offsets=st.lists(st.tuples(st.floats(-600, 600), st.floats(-600, 600)), min_size=1, max_size=30),
)
def test_the_box_query_finds_what_a_search_of_every_building_finds(street, lat, lon, offsets):
    per_lon = METRES_PER_DEGREE * math.cos(math.radians(lat))
    with transaction.atomic():
        Building.objects.bulk_create(
            Building(region=street.grid_a1, code=f"H{i}", name=f"{i}号楼",
                     latitude=Decimal(lat + dy / METRES_PER_DEGREE).quantize(SIX_PLACES),
                     longitude=Decimal(lon + dx / per_lon).quantize(SIX_PLACES))
            for i, (dx, dy) in enumerate(offsets))
        buildings = Building.objects.filter(code__startswith="H")
        found = buildings.nearest(lat, lon)
        ranked = sorted((metres_between(lat, lon, float(b.latitude), float(b.longitude)), b.pk) for b in buildings)
        best = ranked[0][1] if ranked[0][0] <= NEARBY_METRES else None
        assert (found.pk if found else None) == best
        transaction.set_rollback(True)
