"""Where a demand is: buildings read on intake, by primary key or by the point a client sends.

Buildings change rarely and every intake reads one, so they are served from a per-process cache
(`gongzhi.core.localcache`) that a save or delete of a building or a region in this process empties at once;
other server processes see the change within PLACE_SECONDS. Inside a transaction the database is read directly,
so a write path always sees its own changes. Cached buildings (their region selected) are shared between
requests: callers read them and never change them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import Decimal

from gongzhi.core.localcache import LocalCache
from gongzhi.registry.models import Building, Region

PLACE_SECONDS = 30
NEARBY_METRES = 300
METRES_PER_DEGREE = 111_000
CELL_DEGREES = NEARBY_METRES / METRES_PER_DEGREE  # a point's nearby buildings lie in its cell's 3x3 block (lat)

place_cache = LocalCache(PLACE_SECONDS, outside_transactions_only=True).watch((Building, Region), "demands.places")


def building(pk) -> Building | None:
    """The building with this primary key (its region selected), or None."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return place_cache.get(("building", pk), lambda: next(iter(
        Building.objects.select_related("region").filter(pk=pk)[:1]), None))


class _Located:
    """Buildings with coordinates in cells at least NEARBY_METRES wide, so a point's nearby buildings lie in the
    3x3 block of cells around it."""

    def __init__(self, buildings: list[Building]):
        points = [(float(b.latitude), float(b.longitude), b) for b in buildings]
        # one longitude width for all cells, sized at the latitude nearest the pole that can still be near one
        # of the buildings (longitude degrees are shortest there)
        widest = min(max((abs(lat) for lat, _lon, _b in points), default=0.0) + 2 * CELL_DEGREES, 89.0)
        self.lon_degrees = CELL_DEGREES / math.cos(math.radians(widest))
        self.cells: dict[tuple[int, int], list[tuple[float, float, Building]]] = defaultdict(list)
        for lat, lon, b in points:
            self.cells[self._cell(lat, lon)].append((lat, lon, b))

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / CELL_DEGREES), math.floor(lon / self.lon_degrees)

    def nearest(self, lat: float, lon: float) -> Building | None:
        row, col = self._cell(lat, lon)
        best, best_key = None, (float(NEARBY_METRES), math.inf)
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                for blat, blon, bld in self.cells.get((row + dr, col + dc), ()):
                    key = (_metres(lat, lon, blat, blon), bld.pk)  # ties: the older building
                    if key < best_key:
                        best, best_key = bld, key
        return best


def _metres(lat: float, lon: float, blat: float, blon: float) -> float:
    x = (blon - lon) * METRES_PER_DEGREE * math.cos(math.radians(lat))
    return math.hypot(x, (blat - lat) * METRES_PER_DEGREE)


def nearest_building(lat: Decimal | float, lon: Decimal | float, within: Region | None = None) -> Building | None:
    """The registered building nearest to the point (in `within`'s subtree when given), within NEARBY_METRES."""

    def load() -> _Located:
        qs = Building.objects.select_related("region").filter(latitude__isnull=False, longitude__isnull=False)
        if within is not None:
            qs = qs.filter(region__path__startswith=within.path)
        return _Located(list(qs))

    located = place_cache.get(("located", within.path if within is not None else ""), load)
    return located.nearest(float(lat), float(lon))
