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
    GET  servicerequestupdates.{fmt}     mySociety's extension (the one FixMyStreet's Open311.pm speaks): the public
                                         timeline steps between start_date and end_date (same window rules) as
                                         request_update elements: update_id, service_request_id, status (the
                                         extended statuses: open, action_scheduled, in_progress, fixed, closed,
                                         no_further_action, duplicate), updated_datetime, description, media_url
    POST servicerequestupdates.{fmt}     a client adds a public comment to a request it created: api_key,
                                         service_request_id, description, update_id (the client's id, which makes
                                         retries idempotent), optional status, updated_datetime, media_url (several)

`jurisdiction_id` (optional everywhere, checked on every method) is a sub-district's region code. Errors use the
spec's format, an array of {code, description}, with the HTTP status (400 bad or missing input, 403 bad api_key,
404 unknown, 405 method) on every path, format and method under /open311/v2/. A date-only `end_date` includes its
whole day.

POST: `service_code`; a location: `lat` + `long`, `address_string`, or `address_id` (a building code); optional
`description`, `first_name`, `last_name`, `phone`, `email` (not stored), `media_url` (one or several, all recorded
in the description, never fetched), `attribute[building]`, `attribute[grid]`, `attribute[kind]`. A point outside
the jurisdiction's bounds (its buildings' box plus a margin) is refused. The request goes through
`services.submit_demand` with channel "open311" as the client's service account; it is idempotent per client on
an `Idempotency-Key` header or `idempotency_key` field, else the same payload from the same client within
`DEDUP_WINDOW` (10 minutes) answers with the same request. The answer's `token` is that key. A new request answers
201, a retried one 200.

Request objects carry the spec's fields plus three extension elements (Open311 allows extra elements in the
request object): `grid` (the micro-grid's name), `claimant` (who claimed it publicly) and `escalation_level`
(0 grid, 1 residential area, 2 sub-district, 3 referred to a joint meeting by a sub-district leader). `expected_datetime` is the end of the
resolution deadline's day. Status: open while work is owed; resolved, reviewed, closed, rejected and merged
demands are closed. No personal data is published: phone numbers in descriptions are masked and `address` is the
building's address, never a resident's own free-text address.
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Max, Min, Q
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from gongzhi.core.errors import BadParameter, DomainError, Forbidden, NotFound, ValidationFailed
from gongzhi.core.media import signed_url
from gongzhi.core.middleware import nul_parameter
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands import public, selectors, services
from gongzhi.demands.models import (
    Category,
    Channel,
    Demand,
    DemandPhoto,
    DemandTransition,
    Kind,
    Open311Client,
    PhotoKind,
)
from gongzhi.demands.workflow import OPEN_STATES, Action, State
from gongzhi.registry.models import Building, Region, RegionKind

WINDOW = timedelta(days=90)
MAX_REQUESTS = 1000
PLURALS = {"attributes": "attribute", "values": "value"}
STATUS_ERRORS = {ValidationFailed: 400, Forbidden: 403, NotFound: 404}
DEDUP_WINDOW = timedelta(minutes=10)
BOUNDS_MARGIN = Decimal("0.02")  # degrees around the jurisdiction's buildings (about 2 km)
DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The extended statuses of mySociety's extension, from the state a timeline step led to.
UPDATE_STATUS = {
    State.SUBMITTED: "open", State.ASSIGNED: "open", State.RETURNED: "open", State.ESCALATED: "open",
    State.REOPENED: "open", State.CLAIMED: "action_scheduled", State.IN_PROGRESS: "in_progress",
    State.RESOLVED: "fixed", State.REVIEWED: "closed", State.CLOSED: "closed", State.REJECTED: "no_further_action",
    State.MERGED: "duplicate",
}
UPDATE_STATUSES = frozenset({"open", "closed", "fixed", "in_progress", "planned", "action_scheduled", "investigating",
                             "duplicate", "not_councils_responsibility", "no_further_action", "internal_referral",
                             "cancelled", "reopen", "for_triage"})


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


def open311_view(*methods: str):
    """An Open311 method: another HTTP method answers 405, domain errors become Open311 errors (400/403/404/409),
    in the requested format; `jurisdiction_id` is checked first, whatever the method."""

    def decorate(view):
        @csrf_exempt
        def wrapped(request, *args, fmt: str, **kwargs):
            if request.method not in methods:
                response = error(fmt, 405, _("Method %(method)s is not allowed here.") % {"method": request.method})
                response["Allow"] = ", ".join(methods)
                return response
            try:
                if (name := nul_parameter(request)) is not None:
                    raise BadParameter(name or "?")
                _jurisdiction(request)
                return view(request, *args, fmt=fmt, **kwargs)
            except DomainError as exc:
                status = next((s for cls, s in STATUS_ERRORS.items() if isinstance(exc, cls)), exc.status)
                details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.field_errors.items())
                return error(fmt, status, f"{exc.message} {details}".strip())

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorate


@csrf_exempt
def unknown(request, path: str = ""):
    """Any other path or format under /open311/v2/: an Open311 error (JSON for a .json path, else XML)."""
    fmt = "json" if path.endswith(".json") else "xml"
    return error(fmt, 404, _("No such Open311 method or format: %(path)s (use .json or .xml).") % {"path": path[:100]})


def media_url(request, photo: DemandPhoto) -> str:
    """The one place a photo's public address is made: a signed, expiring link to the upload view."""
    return request.build_absolute_uri(signed_url(photo.image))


def _w3c(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


# --- Services -------------------------------------------------------------------------------------------

def _jurisdiction(request) -> Region | None:
    code = ((request.POST.get("jurisdiction_id") if request.method == "POST" else "")
            or request.GET.get("jurisdiction_id") or "").strip()
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


@open311_view("GET")
def service_list(request, fmt: str):
    rows = []
    for top in selectors.categories_for(_jurisdiction(request)):
        children = list(top.children.all())
        rows += [_service(c, top.name) for c in children] if children else [_service(top, "")]
    return respond(fmt, "services", "service", rows)


def category_by_code(code: str, subdistrict: Region | None) -> Category | None:
    """The active category with this code: the sub-district's own taxonomy first, else the default one."""
    own = Q(subdistrict=subdistrict) if subdistrict is not None else Q(pk__in=[])
    rows = Category.objects.filter(own | Q(subdistrict__isnull=True), code=code, active=True)
    return min(rows.select_related("parent"), key=lambda c: c.subdistrict_id is None, default=None)


def _within(qs, subdistrict: Region | None, lookup: str = "region__path"):
    """`qs` cut to the rows in the sub-district (`lookup`: their region path), all of them without one."""
    return qs.filter(**{f"{lookup}__startswith": subdistrict.path}) if subdistrict is not None else qs


def _grids(subdistrict: Region | None):
    return _within(Region.objects.filter(kind=RegionKind.GRID).order_by("path"), subdistrict, "path")


@open311_view("GET")
def service_definition(request, code: str, fmt: str):
    subdistrict = _jurisdiction(request)
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
        "media_url": media_url(request, photos[0]) if photos else "",
        # extensions
        "grid": d.grid.name if d.grid_id else "",
        "claimant": public.claimant_label(d),  # never a person's name
        "escalation_level": d.escalation_level,
    }


def _requests_qs():
    return Demand.objects.select_related("category", "region", "grid", "building", "claimed_by").prefetch_related(
        "photos")


def _when(value: str, field: str, end: bool = False) -> datetime | None:
    """A W3C datetime, or a date: a date-only `end` includes its whole day. Invalid dates (2026-13-45) are a 400."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        if DATE_ONLY.match(value):
            day = parse_date(value)
            parsed = datetime.combine(day, time.max if end else time.min) if day else None
        else:
            parsed = parse_datetime(value.replace(" ", "+"))  # a "+" in a query string arrives as a space
        if parsed is not None and not timezone.is_aware(parsed):
            parsed = timezone.make_aware(parsed)
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None:
        message = _("%(field)s must be a W3C datetime, e.g. 2026-03-01T00:00:00Z.") % {"field": field}
        raise ValidationFailed(message, field_errors={field: [message]})
    return parsed


def _window(params) -> tuple[datetime, datetime]:
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
    return start, end


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _list_requests(request, fmt: str):
    params = request.GET
    qs = _in_jurisdiction(request, _requests_qs())
    if ids := _split(params.get("service_request_id")):
        rows = qs.filter(tracking_code__in=[i.upper()[:20] for i in ids[:MAX_REQUESTS]])
    else:
        start, end = _window(params)
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


def _in_jurisdiction(request, qs, prefix: str = ""):
    return _within(qs, _jurisdiction(request), f"{prefix}region__path")


@open311_view("GET")
def request_detail(request, request_id: str, fmt: str):
    demand = _in_jurisdiction(request, _requests_qs()).filter(tracking_code=request_id.upper()[:20]).first()
    if demand is None:
        raise NotFound(_("Unknown service_request_id."))
    return respond(fmt, "service_requests", "request", [_request_row(request, demand)])


@open311_view("GET")
def token_detail(request, token: str, fmt: str):
    codes = list(_in_jurisdiction(request, Demand.objects.filter(channel=Channel.OPEN311, idempotency_key=token[:80]))
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


def _idempotency(request, client: Open311Client, now: datetime) -> tuple[str, Demand | None]:
    """(the key to submit with, the recent duplicate to answer with). The client's own key is kept for good; without
    one, the same payload from the same client within DEDUP_WINDOW is the same request (later, a new one)."""
    given = (request.headers.get("Idempotency-Key") or request.POST.get("idempotency_key") or "").strip()
    if given:
        return given[:80], None
    payload = sorted((k, v) for k, v in request.POST.lists() if k != "api_key")
    prefix = "p-" + hashlib.sha256(json.dumps([client.pk, payload], ensure_ascii=False).encode()).hexdigest()[:56] + "-"
    recent = (Demand.objects.filter(source=f"open311:{client.pk}", idempotency_key__startswith=prefix,
                                    created_at__gte=now - DEDUP_WINDOW).order_by("-created_at").first())
    if recent is not None:
        return recent.idempotency_key, recent
    # A key per 10-minute slot: two identical requests racing in one slot still meet on the unique constraint.
    return f"{prefix}{int(now.timestamp()) // int(DEDUP_WINDOW.total_seconds())}", None


def _client(request) -> Open311Client:
    client = Open311Client.authenticate(request.POST.get("api_key") or request.headers.get("X-Api-Key"))
    if client is None:
        raise Forbidden(_("Invalid api_key."))
    return client


def _client_jurisdiction(request, client: Open311Client) -> Region | None:
    subdistrict = _jurisdiction(request)
    if subdistrict is not None and client.subdistrict_id and subdistrict.pk != client.subdistrict_id:
        raise Forbidden(_("This api_key is not valid for that jurisdiction_id."))
    return subdistrict or client.subdistrict


def _bounds(subdistrict: Region | None) -> tuple[Decimal, Decimal, Decimal, Decimal] | None:
    """(south, north, west, east) of the jurisdiction: the box around its boundary and its buildings, plus
    BOUNDS_MARGIN; None when neither is known."""
    qs = _within(Building.objects.filter(latitude__isnull=False, longitude__isnull=False), subdistrict)
    agg = qs.aggregate(s=Min("latitude"), n=Max("latitude"), w=Min("longitude"), e=Max("longitude"))
    boxes = [b for b in (public.boundary_box(subdistrict), None if agg["s"] is None else
                         (agg["s"], agg["n"], agg["w"], agg["e"])) if b is not None]
    if not boxes:
        return None
    m = BOUNDS_MARGIN
    return (min(b[0] for b in boxes) - m, max(b[1] for b in boxes) + m,
            min(b[2] for b in boxes) - m, max(b[3] for b in boxes) + m)


def _media_urls(data) -> list[str]:
    return [m.strip()[:500] for m in data.getlist("media_url") if m.strip()][:services.MAX_PHOTOS]


def _create_request(request, fmt: str):
    data = request.POST
    client = _client(request)
    subdistrict = _client_jurisdiction(request, client)
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
    if lat is not None and lon is not None and (box := _bounds(subdistrict)) is not None:
        south, north, west, east = box
        if not (south <= lat <= north and west <= lon <= east):
            message = _("lat/long lies outside the jurisdiction.")
            raise ValidationFailed(message, field_errors={"lat": [message], "long": [message]})

    building = grid = None
    if address_id:
        building = _within(Building.objects.select_related("region").filter(code=address_id), subdistrict).first()
        if building is None:
            raise ValidationFailed(_("Unknown building %(code)s.") % {"code": address_id})
    if grid_code := (data.get("attribute[grid]") or "").strip():
        grid = _grids(subdistrict).filter(code=grid_code).first()
        if grid is None:
            raise ValidationFailed(_("Unknown grid %(code)s.") % {"code": grid_code})
    if building is None and not address and lat is not None and lon is not None and grid is None:
        building = _within(Building.objects.select_related("region"), subdistrict).nearest(lat, lon)
    kind = (data.get("attribute[kind]") or Kind.HELP).strip()

    description = (data.get("description") or "").strip()[:4000] or category.name
    if media := _media_urls(data):
        description += "\n" + "\n".join(media)
    now = timezone.now()
    key, recent = _idempotency(request, client, now)
    if recent is not None:
        return _created(fmt, recent, created=False)
    demand, created = services.submit_demand(
        title=description.splitlines()[0][:60], description=description, channel=Channel.OPEN311,
        category=category, kind=kind, address=address, building=building, latitude=lat, longitude=lon,
        submitter_name=_name(data.get("first_name", ""), data.get("last_name", "")),
        submitter_phone=data.get("phone", ""), subdistrict=(grid and services.subdistrict_of(grid)) or subdistrict,
        recorded_by=client.user, idempotency_key=key, source_client=f"open311:{client.pk}", now=now,
    )
    if created and grid is not None and demand.grid_id is None:  # the client named the grid: route it there
        demand = services.route_demand(demand, actor=SYSTEM, grid_id=grid.pk)
    return _created(fmt, demand, created)


def _created(fmt: str, demand: Demand, created: bool) -> HttpResponse:
    body = [{"service_request_id": demand.tracking_code, "token": demand.idempotency_key, "service_notice": "",
             "account_id": None}]
    return respond(fmt, "service_requests", "request", body, status=201 if created else 200)


@open311_view("GET", "POST")
def requests_view(request, fmt: str):
    return (_create_request if request.method == "POST" else _list_requests)(request, fmt)


# --- Service request updates (mySociety's extension) ---------------------------------------------------------

def _update_row(request, t: DemandTransition) -> dict:
    """One timeline step as a request_update: the public projection of the step (gongzhi.demands.public)."""
    step = public.public_step(t)
    photo = None
    if t.action == Action.RESOLVE:  # the resolution's photos ("after") go with it
        photo = next((p for p in t.demand.photos.all() if p.kind == PhotoKind.AFTER), None)
    return {
        "update_id": str(t.pk),
        "service_request_id": t.demand.tracking_code,
        "status": UPDATE_STATUS.get(t.to_state, "open"),
        "updated_datetime": _w3c(t.created_at),
        "description": step.note or step.action_label,
        "media_url": media_url(request, photo) if photo else "",
    }


def _list_updates(request, fmt: str):
    start, end = _window(request.GET)
    qs = (DemandTransition.objects.select_related("demand").prefetch_related("demand__photos")
          .filter(created_at__gte=start, created_at__lte=end).exclude(action=Action.SUBMIT))
    rows = _in_jurisdiction(request, qs, "demand__").order_by("created_at", "id")[:MAX_REQUESTS]
    return respond(fmt, "service_request_updates", "request_update", [_update_row(request, t) for t in rows])


def _post_update(request, fmt: str):
    data = request.POST
    client = _client(request)
    _client_jurisdiction(request, client)
    code = (data.get("service_request_id") or "").strip().upper()[:20]
    if not code:
        raise ValidationFailed(_("service_request_id is required."),
                               field_errors={"service_request_id": [_("This field is required.")]})
    status = (data.get("status") or "").strip().lower()
    if status and status not in UPDATE_STATUSES:
        raise ValidationFailed(_("status is not an Open311 status."), field_errors={"status": [status[:40]]})
    _when(data.get("updated_datetime"), "updated_datetime")
    description = (data.get("description") or "").strip()[:4000]
    if media := _media_urls(data):
        description = "\n".join(filter(None, [description, *media]))
    demand = Demand.objects.filter(tracking_code=code, source=f"open311:{client.pk}").first()
    if demand is None:  # unknown, and another client's request, look the same
        raise NotFound(_("Unknown service_request_id."))
    entry, created = services.comment_demand(demand, actor=client.user, note=description, client_id=client.pk,
                                             update_id=data.get("update_id") or data.get("update_id_ext") or "")
    return respond(fmt, "service_request_updates", "request_update", [{"update_id": str(entry.pk)}],
                   status=201 if created else 200)


@open311_view("GET", "POST")
def updates_view(request, fmt: str):
    return (_post_update if request.method == "POST" else _list_updates)(request, fmt)
