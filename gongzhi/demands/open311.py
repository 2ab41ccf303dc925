"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) at /open311/v2/, in JSON and XML.

    GET  services.{fmt}                  the categories as services (service_code = category code, group = parent)
    GET  services/{code}.{fmt}           a service definition: attributes building, grid and kind
    POST requests.{fmt}                  create a service request (api_key of an Open311Client required)
    GET  requests.{fmt}                  service requests; filters service_request_id (comma list, overrides the
                                         others), service_code, start_date, end_date, status (open, closed);
                                         default window: the last 90 days; a window may not span more than 90
                                         days; at most 1,000 requests, newest first
    GET  requests/{id}.{fmt}             one service request (`service_request_id` is the tracking code)
    GET  tokens/{token}.{fmt}            the request created with that token

`jurisdiction_id` (optional everywhere) is a sub-district's region code. Errors use the spec's format, an array of
{code, description}, with the HTTP status (400 bad or missing input, 403 bad api_key, 404 unknown).

POST: `service_code`; a location: `lat` + `long`, `address_string`, or `address_id` (a building code); optional
`description`, `first_name`, `last_name`, `phone`, `email` (not stored), `media_url` (recorded in the description,
never fetched), `attribute[building]`, `attribute[grid]`, `attribute[kind]`. The request goes through
`services.submit_demand` with channel "open311" as the client's service account; it is idempotent per client on
an `Idempotency-Key` header or `idempotency_key` field, else on a hash of the payload. The answer's `token` is that
key. A new request answers 201, a retried one 200.

Request objects carry the spec's fields plus three extension elements (Open311 allows extra elements in the
request object): `grid` (the micro-grid's name), `claimant` (who claimed it publicly) and `escalation_level`
(0 grid, 1 residential area, 2 sub-district, 3 district joint meeting). `expected_datetime` is the end of the
resolution deadline's day. Status: open while work is owed; resolved, reviewed, closed, rejected and merged
demands are closed. No personal data is published: phone numbers in descriptions are masked and `address` is the
building's address, never a resident's own free-text address.
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from gongzhi.core.errors import DomainError, Forbidden, NotFound, ValidationFailed
from gongzhi.core.media import signed_url
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands import public, selectors, services
from gongzhi.demands.models import Category, Channel, Demand, Kind, Open311Client
from gongzhi.demands.workflow import OPEN_STATES
from gongzhi.registry.models import Building, Region, RegionKind

WINDOW = timedelta(days=90)
MAX_REQUESTS = 1000
PLURALS = {"attributes": "attribute", "values": "value"}
STATUS_ERRORS = {ValidationFailed: 400, Forbidden: 403, NotFound: 404}


# --- Output ---------------------------------------------------------------------------------------------

def _xml_value(parent: ET.Element, tag: str, value) -> None:
    el = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for k, v in value.items():
            _xml_value(el, k, v)
    elif isinstance(value, list):
        for item in value:
            _xml_value(el, PLURALS.get(tag, "item"), item)
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    elif value is not None:
        el.text = str(value)


def respond(fmt: str, root: str, item: str, data, status: int = 200) -> HttpResponse:
    """`data` (a list of dicts, or one dict for a single-object root) as JSON or as XML <root><item>…</item></root>."""
    if fmt == "json":
        return JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})
    el = ET.Element(root)
    if isinstance(data, dict):
        for k, v in data.items():
            _xml_value(el, k, v)
    else:
        for row in data:
            _xml_value(el, item, row)
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(el, encoding="utf-8", xml_declaration=False)
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return respond(fmt, "errors", "error", [{"code": status, "description": description}], status=status)


def open311_view(view):
    """Domain errors become Open311 errors (400/403/404) in the requested format."""

    def wrapped(request, *args, fmt: str, **kwargs):
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except DomainError as exc:
            status = next((s for cls, s in STATUS_ERRORS.items() if isinstance(exc, cls)), exc.status)
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.field_errors.items())
            return error(fmt, status, f"{exc.message} {details}".strip())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _w3c(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


# --- Services -------------------------------------------------------------------------------------------

def _jurisdiction(params) -> Region | None:
    code = (params.get("jurisdiction_id") or "").strip()
    if not code:
        return None
    region = Region.objects.filter(code=code, kind=RegionKind.SUBDISTRICT).first()
    if region is None:
        raise NotFound(_("Unknown jurisdiction_id."))
    return region


def _service(category: Category, group: str) -> dict:
    return {"service_code": category.code, "service_name": category.name, "description": str(category),
            "metadata": True, "type": "realtime", "keywords": ",".join(filter(None, [group, category.name])),
            "group": group}


@require_GET
@open311_view
def service_list(request, fmt: str):
    rows = []
    for top in selectors.categories_for(_jurisdiction(request.GET)):
        children = list(top.children.all())
        rows += [_service(c, top.name) for c in children] if children else [_service(top, "")]
    return respond(fmt, "services", "service", rows)


def category_by_code(code: str, subdistrict: Region | None) -> Category | None:
    """The active category with this code: the sub-district's own taxonomy first, else the default one."""
    own = Q(subdistrict=subdistrict) if subdistrict is not None else Q(pk__in=[])
    rows = Category.objects.filter(own | Q(subdistrict__isnull=True), code=code, active=True)
    return min(rows.select_related("parent"), key=lambda c: c.subdistrict_id is None, default=None)


def _grids(subdistrict: Region | None):
    qs = Region.objects.filter(kind=RegionKind.GRID).order_by("path")
    return qs.filter(path__startswith=subdistrict.path) if subdistrict is not None else qs


@require_GET
@open311_view
def service_definition(request, code: str, fmt: str):
    subdistrict = _jurisdiction(request.GET)
    category = category_by_code(code, subdistrict)
    if category is None:
        raise NotFound(_("Unknown service_code."))
    attributes = [
        {"variable": True, "code": "building", "datatype": "string", "required": False,
         "datatype_description": _("A building code from the registry."), "order": 1,
         "description": _("Building (楼栋) where the problem is"), "values": []},
        {"variable": True, "code": "grid", "datatype": "singlevaluelist", "required": False,
         "datatype_description": "", "order": 2, "description": _("Micro-grid (网格)"),
         "values": [{"key": g.code, "name": g.name} for g in _grids(subdistrict)]},
        {"variable": True, "code": "kind", "datatype": "singlevaluelist", "required": False,
         "datatype_description": "", "order": 3, "description": _("Kind of demand"),
         "values": [{"key": k, "name": str(label)} for k, label in Kind.choices]},
    ]
    return respond(fmt, "service_definition", "", {"service_code": category.code, "attributes": attributes})


# --- Requests: reading ----------------------------------------------------------------------------------

def _status(demand: Demand) -> str:
    return "open" if demand.state in OPEN_STATES else "closed"


def _request_row(request, d: Demand) -> dict:
    """One request as Open311 publishes it: the public projection (gongzhi.demands.public)."""
    photos = list(d.photos.all())
    building = d.building
    p = public.project(d, with_timeline=False)
    expected = (timezone.make_aware(datetime.combine(d.due_on, time(23, 59, 59))) if d.due_on else None)
    return {
        "service_request_id": d.tracking_code,
        "status": _status(d),
        "status_notes": p.resolution or p.promise or p.state_label,
        "service_name": d.category.name if d.category_id else "",
        "service_code": d.category.code if d.category_id else "",
        "description": p.description,
        "agency_responsible": d.region.name,
        "service_notice": "",
        "requested_datetime": _w3c(d.created_at),
        "updated_datetime": _w3c(d.updated_at),
        "expected_datetime": _w3c(expected),
        "address": (building.address or building.name) if building else "",
        "address_id": building.code if building else "",
        "zipcode": "",
        "lat": float(p.latitude) if p.latitude is not None else None,  # the building's, not the sender's point
        "long": float(p.longitude) if p.longitude is not None else None,
        "media_url": request.build_absolute_uri(signed_url(photos[0].image)) if photos else "",
        # extensions
        "grid": d.grid.name if d.grid_id else "",
        "claimant": public.claimant_label(d),  # never a person's name
        "escalation_level": d.escalation_level,
    }


def _requests_qs():
    return Demand.objects.select_related("category", "region", "grid", "building", "claimed_by").prefetch_related(
        "photos")


def _when(value: str, field: str, end: bool = False) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    parsed = parse_datetime(value.replace(" ", "+"))  # a "+" in a query string arrives as a space
    if parsed is None and (day := parse_date(value)):
        parsed = datetime.combine(day, time.max if end else time.min)
    if parsed is None:
        raise ValidationFailed(_("%(field)s must be a W3C datetime, e.g. 2026-03-01T00:00:00Z.") % {"field": field})
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _list_requests(request, fmt: str):
    params = request.GET
    qs = _requests_qs()
    if (subdistrict := _jurisdiction(params)) is not None:
        qs = qs.filter(region__path__startswith=subdistrict.path)
    if ids := _split(params.get("service_request_id")):
        rows = qs.filter(tracking_code__in=[i.upper() for i in ids[:MAX_REQUESTS]])
    else:
        start, end = _when(params.get("start_date"), "start_date"), _when(params.get("end_date"), "end_date", True)
        if start is None and end is None:
            end = timezone.now()
        if start is None:
            start = end - WINDOW
        if end is None:
            end = start + WINDOW
        if end < start:
            raise ValidationFailed(_("end_date is before start_date."))
        if end - start > WINDOW + timedelta(days=1):
            raise ValidationFailed(_("The date range may not span more than 90 days."))
        qs = qs.filter(created_at__gte=start, created_at__lte=end)
        if codes := _split(params.get("service_code")):
            qs = qs.filter(Q(category__code__in=codes) | Q(category__parent__code__in=codes))
        statuses = set(_split(params.get("status")))
        if statuses - {"open", "closed"}:
            raise ValidationFailed(_("status is open or closed."))
        if statuses == {"open"}:
            qs = qs.filter(state__in=OPEN_STATES)
        elif statuses == {"closed"}:
            qs = qs.exclude(state__in=OPEN_STATES)
        rows = qs.order_by("-created_at", "-id")[:MAX_REQUESTS]
    return respond(fmt, "service_requests", "request", [_request_row(request, d) for d in rows])


@require_GET
@open311_view
def request_detail(request, request_id: str, fmt: str):
    demand = _requests_qs().filter(tracking_code=request_id.upper()).first()
    if demand is None:
        raise NotFound(_("Unknown service_request_id."))
    return respond(fmt, "service_requests", "request", [_request_row(request, demand)])


@require_GET
@open311_view
def token_detail(request, token: str, fmt: str):
    codes = list(Demand.objects.filter(channel=Channel.OPEN311, idempotency_key=token)
                 .values_list("tracking_code", flat=True)[:10])
    if not codes:
        raise NotFound(_("Unknown token."))
    return respond(fmt, "service_requests", "request",
                   [{"service_request_id": code, "token": token} for code in codes])


# --- Requests: creating ---------------------------------------------------------------------------------

def _coordinate(value: str, field: str, limit: int) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value)
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite() or abs(number) > limit:
        raise ValidationFailed(_("%(field)s is not a valid coordinate.") % {"field": field})
    return number.quantize(Decimal("0.000001"))


def _name(first: str, last: str) -> str:
    first, last = first.strip(), last.strip()
    if any(ord(ch) > 0x2E80 for ch in first + last):  # Chinese names: family name first, no space
        return f"{last}{first}"
    return " ".join(filter(None, [first, last]))


def _idempotency_key(request, client: Open311Client) -> str:
    given = (request.headers.get("Idempotency-Key") or request.POST.get("idempotency_key") or "").strip()
    if given:
        return given[:80]
    payload = sorted((k, v) for k, v in request.POST.lists() if k != "api_key")
    return "p-" + hashlib.sha256(json.dumps([client.pk, payload], ensure_ascii=False).encode()).hexdigest()[:62]


def _create_request(request, fmt: str):
    data = request.POST
    client = Open311Client.authenticate(data.get("api_key") or request.headers.get("X-Api-Key"))
    if client is None:
        raise Forbidden(_("Invalid api_key."))
    subdistrict = _jurisdiction(data) or client.subdistrict
    code = (data.get("service_code") or "").strip()
    if not code:
        raise ValidationFailed(_("service_code is required."))
    category = category_by_code(code, subdistrict)
    if category is None:
        raise ValidationFailed(_("service_code %(code)s is not a service.") % {"code": code})
    lat, lon = _coordinate(data.get("lat", ""), "lat", 90), _coordinate(data.get("long", ""), "long", 180)
    address = (data.get("address_string") or "").strip()
    address_id = (data.get("address_id") or data.get("attribute[building]") or "").strip()
    if (lat is None or lon is None) and not address and not address_id:
        raise ValidationFailed(_("A location is required: lat and long, address_string or address_id."))

    building = grid = None
    if address_id:
        buildings = Building.objects.select_related("region").filter(code=address_id)
        if subdistrict is not None:
            buildings = buildings.filter(region__path__startswith=subdistrict.path)
        building = buildings.first()
        if building is None:
            raise ValidationFailed(_("Unknown building %(code)s.") % {"code": address_id})
    if grid_code := (data.get("attribute[grid]") or "").strip():
        grid = _grids(subdistrict).filter(code=grid_code).first()
        if grid is None:
            raise ValidationFailed(_("Unknown grid %(code)s.") % {"code": grid_code})
    if building is None and not address and lat is not None and lon is not None and grid is None:
        buildings = Building.objects.select_related("region")
        if subdistrict is not None:
            buildings = buildings.filter(region__path__startswith=subdistrict.path)
        building = buildings.nearest(lat, lon)
    kind = (data.get("attribute[kind]") or Kind.HELP).strip()

    description = (data.get("description") or "").strip()[:4000] or category.name
    if media := (data.get("media_url") or "").strip():
        description += f"\n{media[:500]}"
    demand, created = services.submit_demand(
        title=description.splitlines()[0][:60], description=description, channel=Channel.OPEN311,
        category=category, kind=kind, address=address, building=building, latitude=lat, longitude=lon,
        submitter_name=_name(data.get("first_name", ""), data.get("last_name", "")),
        submitter_phone=data.get("phone", ""), subdistrict=(grid and services.subdistrict_of(grid)) or subdistrict,
        recorded_by=client.user, idempotency_key=_idempotency_key(request, client),
        source_client=f"open311:{client.pk}",
    )
    if created and grid is not None and demand.grid_id is None:  # the client named the grid: route it there
        demand = services.route_demand(demand, actor=SYSTEM, grid_id=grid.pk)
    body = [{"service_request_id": demand.tracking_code, "token": demand.idempotency_key, "service_notice": "",
             "account_id": None}]
    return respond(fmt, "service_requests", "request", body, status=201 if created else 200)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@open311_view
def requests_view(request, fmt: str):
    if request.method == "POST":
        return _create_request(request, fmt)
    return _list_requests(request, fmt)
