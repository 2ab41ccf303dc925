"""Reads of the service catalogue.

The catalogue a sub-district serves is the city-wide items (no region: 全市通办, shared by all) plus its own items
and those of its residential areas; an area sees the city-wide items, its sub-district's and its own. The public
(no account: H5 pages, the public API) sees only active items; staff with ``services.view`` see the city-wide
items and the own items of the regions in or above their scope, inactive ones too. Out of scope is NotFound,
exactly like missing.

Other parts call `items_for` (the items a place or a page offers) and `get_item`.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Prefetch, Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.errors import BadParameter, NotFound, int_param
from gongzhi.registry.models import Region
from gongzhi.services.models import ServiceCategory, ServiceItem, ServiceLevel, ServiceMaterial
from gongzhi.services.policies.catalogue import VIEW

# audience filter values → the item's flag
AUDIENCES = {"residents": "for_residents", "office_workers": "for_office_workers",
             "buildings": "for_building_stations"}
BOOKING_PATH = "/services/h5/appointments/book/"  # the appointments part's page, when it does not reverse


def _ancestors(path: str) -> list[str]:
    """The paths of the regions above (and at) `path`: "/1/4/9/" → ["/1/", "/1/4/", "/1/4/9/"]."""
    ids = [p for p in path.split("/") if p]
    return ["/" + "/".join(ids[:n]) + "/" for n in range(1, len(ids) + 1)]


def visible_q(region: Region) -> Q:
    """The items a region serves: city-wide ones, its own and those of the regions below and above it."""
    return Q(region__isnull=True) | Q(region__path__startswith=region.path) | Q(region__path__in=_ancestors(region.path))


def _staff_q(user) -> Q:
    scope = scope_for(user, VIEW)
    if scope.everything:
        return Q()
    parts = [Q(region__isnull=True)]
    parts += [Q(region__path__startswith=p) for p in scope.region_paths]
    above = sorted({a for p in scope.region_paths for a in _ancestors(p)})
    if above:
        parts.append(Q(region__path__in=above))
    return reduce(or_, parts)


def is_staff(user) -> bool:
    return user is not None and has_capability(user, VIEW)


def region_of(value) -> Region | None:
    """A Region, its pk or its code → the region (None when blank); NotFound when there is none."""
    if value in (None, ""):
        return None
    if isinstance(value, Region):
        return value
    text = str(value).strip()
    region = Region.objects.filter(**({"pk": int(text)} if text.isdigit() else {"code": text})).first()
    if region is None:
        raise NotFound(_("Not found."))
    return region


def _base(user):
    qs = ServiceItem.objects.select_related("category", "region")
    if is_staff(user):
        return qs.filter(_staff_q(user))
    return qs.filter(active=True)


def items_for(user=None, region=None, q: str = "", category=None, audience=None, level=None, bookable=None,
              remote=None, active=None):
    """The catalogue `user` may see (None or a user without ``services.view``: the public, active items only),
    narrowed to what `region` (a Region, pk or code; public without one: the city-wide items only) serves, and
    filtered: `q` in the name, keywords or code; `category` (a category or its pk); `audience` (residents,
    office_workers, buildings); `level`; `bookable`, `remote` and (staff) `active` as booleans."""
    staff = is_staff(user)
    qs = _base(user)
    region = region_of(region)
    if region is not None:
        qs = qs.filter(visible_q(region))
    elif not staff:
        qs = qs.filter(region__isnull=True)
    if q := (q or "").strip():
        qs = qs.filter(Q(name__icontains=q) | Q(keywords__icontains=q) | Q(code__icontains=q))
    if category not in (None, ""):
        qs = qs.filter(category_id=getattr(category, "pk", category))
    if audience:
        if audience not in AUDIENCES:
            raise BadParameter("audience")
        qs = qs.filter(**{AUDIENCES[audience]: True})
    if level:
        if level not in ServiceLevel.values:
            raise BadParameter("level")
        qs = qs.filter(level=level)
    for name, value in (("bookable", bookable), ("remote", remote), ("active", active if staff else None)):
        if value is not None:
            qs = qs.filter(**{name: bool(value)})
    return qs


def _flag(params, name: str) -> bool | None:
    raw = (params.get(name) or "").strip().lower()
    if raw in ("", "all"):
        return None
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise BadParameter(name)


def filters(params) -> dict:
    """items_for's filters from query parameters (?q ?category ?audience ?level ?bookable ?remote ?active
    ?region): bad values are a BadParameter."""
    return {"q": (params.get("q") or "")[:100], "category": int_param(params, "category"),
            "audience": (params.get("audience") or "").strip() or None,
            "level": (params.get("level") or "").strip() or None, "bookable": _flag(params, "bookable"),
            "remote": _flag(params, "remote"), "active": _flag(params, "active"),
            "region": int_param(params, "region")}


def _with_materials(qs):
    return qs.prefetch_related(Prefetch("materials", queryset=ServiceMaterial.objects.order_by("position", "pk")))


def get_item(user, pk) -> ServiceItem:
    """One item `user` may see (None: the public, an active item), or NotFound."""
    try:
        return _with_materials(_base(user)).get(pk=int(pk))
    except (ServiceItem.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(_("Not found.")) from None


item_detail = get_item


def item_by_code(user, code: str) -> ServiceItem:
    """One item by its code (e.g. ``?item=<code>`` on the booking page), or NotFound."""
    item = _with_materials(_base(user)).filter(code=str(code or "").strip()).first()
    if item is None:
        raise NotFound(_("Not found."))
    return item


def categories():
    return ServiceCategory.objects.all()


def get_category(pk) -> ServiceCategory:
    try:
        return ServiceCategory.objects.get(pk=int(pk))
    except (ServiceCategory.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(_("Not found.")) from None


def category_counts(user) -> dict[int, int]:
    """category pk → the number of items `user` sees in it."""
    counts: dict[int, int] = {}
    for pk in _base(user).values_list("category_id", flat=True):
        counts[pk] = counts.get(pk, 0) + 1
    return counts


def materials_text(item) -> str:
    """The checklist in one line, as the Excel list writes it: 材料A；材料B（可选）."""
    return "；".join(m.name + ("" if m.required else "（可选）") for m in item.materials.all())


def regions_for(user):
    """The sub-districts and residential areas the user's catalogue may be narrowed to."""
    scope = scope_for(user, VIEW)
    return scope.filter(Region.objects.filter(kind__in=("subdistrict", "residential_area"))).order_by("path")


def booking_url(item) -> str:
    """The appointments part's H5 booking page for the item (its path as a string if that page does not reverse)."""
    try:
        base = reverse("services:appointments_h5_book")
    except NoReverseMatch:
        base = BOOKING_PATH
    return f"{base}?item={item.code}"
