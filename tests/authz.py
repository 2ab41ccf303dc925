"""The data set of the authorization tests (tests/test_authz_matrix.py, tests/test_authz_markers.py): the
factories' street and personas, the zones' regions (gongzhi.core.authz), then each app's fixture builder from
its manifest, in app order."""

import secrets

from gongzhi.core.authz import AuthzWorld
from gongzhi.core.modules import authz_fixtures
from gongzhi.registry.models import RegionKind
from tests import factories


def make_world() -> AuthzWorld:
    street = factories.street()
    world = AuthzWorld(marker="MKR" + secrets.token_hex(4).upper(), people=factories.personas(street),
                       objects=dict(vars(street)))
    zone_regions = {
        "grid_a1@a": factories.region(RegionKind.GRID, street.area_a, world.mark("a", "网格"), world.code("a", "G")),
        "grid_a1@b": factories.region(RegionKind.GRID, street.area_b, world.mark("b", "网格"), world.code("b", "G")),
    }
    sub_x = factories.region(RegionKind.SUBDISTRICT, street.district, world.mark("x", "街道"), world.code("x", "S"))
    area_x = factories.region(RegionKind.RESIDENTIAL_AREA, sub_x, world.mark("x", "居民区"), world.code("x", "A"))
    zone_regions |= {"subdistrict@x": sub_x, "area@x": area_x,
                     "grid_a1@x": factories.region(RegionKind.GRID, area_x, world.mark("x", "网格"),
                                                   world.code("x", "G"))}
    world.objects |= zone_regions
    for build in authz_fixtures():
        world.objects |= build(world)
    return world
