"""The data set of the authorization tests (tests/test_authz_matrix.py, tests/test_authz_markers.py): the
factories' street and personas, the zones' regions (gongzhi.core.authz), then each app's fixture builder from
its manifest, in app order; and the project's URL names."""

import secrets

from django.urls import URLPattern, URLResolver, get_resolver

from gongzhi.core.authz import AuthzWorld
from gongzhi.core.modules import authz_fixtures
from gongzhi.registry.models import RegionKind
from tests import factories


def make_world() -> AuthzWorld:
    street = factories.street()
    world = AuthzWorld(marker="MKR" + secrets.token_hex(4).upper(), people=factories.personas(street),
                       objects=dict(vars(street)))

    def region(kind, parent, zone, label, suffix):
        return factories.region(kind, parent, world.mark(zone, label), world.code(zone, suffix))

    sub_x = region(RegionKind.SUBDISTRICT, street.district, "x", "街道", "S")
    area_x = region(RegionKind.RESIDENTIAL_AREA, sub_x, "x", "居民区", "A")
    world.objects |= {
        "grid_a1@a": region(RegionKind.GRID, street.area_a, "a", "网格", "G"),
        "grid_a1@b": region(RegionKind.GRID, street.area_b, "b", "网格", "G"),
        "subdistrict@x": sub_x, "area@x": area_x, "grid_a1@x": region(RegionKind.GRID, area_x, "x", "网格", "G"),
    }
    for build in authz_fixtures():
        before = set(world.objects)
        made = build(world)
        clash = set(made) & before  # a name another app's fixtures already took would replace its object
        assert not clash, f"{build.__module__}: fixture names already taken: {sorted(clash)}"
        world.objects |= made
    return world


def url_names(resolver=None, namespace="") -> dict[str, list[str]]:
    """Every named URL of the project (with namespaces) → the names of its URL parameters."""
    found: dict[str, list[str]] = {}
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            for name, params in url_names(p, inner).items():
                found.setdefault(name, list(_params(p)) + params)
        elif isinstance(p, URLPattern) and p.name:
            found.setdefault(f"{namespace}{p.name}", list(_params(p)))
    return found


def _params(p) -> list[str]:
    pattern = p.pattern
    return list(getattr(pattern, "converters", {}) or pattern.regex.groupindex)
