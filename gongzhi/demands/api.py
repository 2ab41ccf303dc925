"""Demands JSON API (mounted at /api/v1/demands/): intake, the scoped queue, every workflow action, photos,
extensions, the overdue list, the claim board, the joint-meeting agenda and the inbox.

Authentication: a bearer token (or the browser session), except the public endpoints a resident uses without
an account: submit (optional token: staff recording a demand send theirs; what a token holder may record is
checked by `policies.intake_errors`), track, review and photos, keyed by the tracking code and the last four
digits of the submitter's phone (wrong digits lock the code: `services.access_by_tracking`). "Me too" needs an
account. Anonymous writes are rate-limited per IP by an atomic counter (`services.rate_allows`;
`GONGZHI_ANON_RATE`, default "10/m").

Submitting is idempotent: send an `Idempotency-Key` header (or `idempotency_key` field); a retried POST answers
200 with the demand the first one created (201). Handlers are thin: reads through `selectors`, writes through
`services`; domain errors become `ErrorOut` JSON in gongzhi.api.
"""


import hashlib
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from ninja.throttling import AnonRateThrottle

from gongzhi.accounts.models import User
from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import access, require_capability
from gongzhi.core.apitypes import (
    ANONYMOUS,
    AllowAnonymous,
    Bool,
    Id,
    In,
    Latitude,
    Longitude,
    Phone,
    QueryId,
    Ref,
    choice,
    errors,
    number,
    required_text,
    text,
)
from gongzhi.core.errors import NotFound, ValidationFailed
from gongzhi.core.masking import mask_name, may_see_personal_data
from gongzhi.core.media import signed_url
from gongzhi.demands import policies, public, selectors, services
from gongzhi.demands.models import (
    Category,
    Channel,
    Demand,
    EscalationLevel,
    Extension,
    Kind,
    PhotoKind,
    Priority,
)
from gongzhi.demands.open311 import category_by_code
from gongzhi.registry.models import Building, MemberUnit, Region, RegionKind, ServicePlace

router = Router(tags=["demands"])
C = Capability
PUBLIC_SOURCE = "api-public"
STAFF_CHANNELS = set(Channel.values) - {Channel.OPEN311}


# --- Authentication and rate limiting -----------------------------------------------------------------------

class AnonymousThrottle(AnonRateThrottle):
    """Per-IP rate limit of the anonymous public writes, in Django's cache. The client address is REMOTE_ADDR
    (set `NINJA_NUM_PROXIES` behind a reverse proxy); X-Forwarded-For is not trusted otherwise."""

    scope = "demands_anon"

    def __init__(self):
        self.rate = None

    def allow_request(self, request) -> bool:
        """One atomic counter per client and window (`services.rate_allows`): parallel requests cannot slip
        past the limit as they could through the cache's read-then-write history."""
        self.num_requests, self.duration = self.parse_rate(getattr(settings, "GONGZHI_ANON_RATE", "10/m"))
        key = self.get_cache_key(request)
        if key is None:
            return True
        return services.rate_allows(key, "", limit=self.num_requests, seconds=self.duration)

    def wait(self):
        return self.duration

    def get_cache_key(self, request):
        if getattr(request, "auth", ANONYMOUS) != ANONYMOUS:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def get_ident(self, request):
        from ninja.conf import settings as ninja_settings

        if ninja_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR")
        return super().get_ident(request)


def _auth():
    from gongzhi.api import BearerToken  # gongzhi.api imports this module while it is being built

    return [BearerToken(), AllowAnonymous()]  # the token is optional (and so declared in the OpenAPI document)


def _user(request) -> User | None:
    user = getattr(request, "auth", None)
    return user if isinstance(user, User) else None


def _errors(*extra: int) -> dict:
    return errors(400, 401, 403, 404, 409, 422, *extra)


def _personal_ok(context) -> bool:
    request = (context or {}).get("request")
    return bool(request) and may_see_personal_data(getattr(request, "auth", None) or request.user)


# --- Schemas ------------------------------------------------------------------------------------------------

TrackingCode = text(20)  # a path segment: any code answers 404 unless it exists

class DemandOut(Schema):
    id: int
    tracking_code: str
    title: str
    description: str
    state: str
    kind: str
    priority: str
    channel: str
    category_id: int | None
    category_code: str | None = None
    category_name: str | None = None
    address: str
    building_id: int | None
    grid_id: int | None
    grid_name: str | None = None
    region_id: int
    region_name: str = ""
    latitude: Decimal | None
    longitude: Decimal | None
    submitter_name: str
    submitter_phone: str
    member_unit_id: int | None
    escalation_level: int
    assignee_id: int | None
    assignee_name: str | None = None
    team_id: int | None
    claimed_by_id: int | None
    claimed_by_name: str | None = None
    promise: str
    merged_into_id: int | None
    support_count: int
    resolution: str
    response_due_on: date | None
    due_on: date | None
    is_overdue: bool
    satisfaction: int | None
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None

    @staticmethod
    def resolve_category_code(obj):
        return obj.category.code if obj.category_id else None

    @staticmethod
    def resolve_category_name(obj):
        return str(obj.category) if obj.category_id else None

    @staticmethod
    def resolve_grid_name(obj):
        return obj.grid.name if obj.grid_id else None

    @staticmethod
    def resolve_region_name(obj):
        return obj.region.name

    @staticmethod
    def resolve_assignee_name(obj):
        return str(obj.assignee) if obj.assignee_id else None

    @staticmethod
    def resolve_claimed_by_name(obj):
        return str(obj.claimed_by) if obj.claimed_by_id else None

    @staticmethod
    def resolve_submitter_name(obj, context):
        return obj.submitter_name if _personal_ok(context) else obj.masked_name

    @staticmethod
    def resolve_submitter_phone(obj, context):
        return obj.submitter_phone if _personal_ok(context) else obj.masked_phone


class TimelineOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str
    note: str
    escalation_level: int
    created_at: datetime

    @staticmethod
    def resolve_actor(obj):
        return obj.actor_name


class PhotoOut(Schema):
    id: int
    kind: str
    url: str
    created_at: datetime

    @staticmethod
    def resolve_url(obj):
        # API clients hold a token, not a session: a signed, expiring link (the demand was checked already)
        return signed_url(obj.image)


class FollowerOut(Schema):
    name: str
    phone: str


class DemandDetailOut(DemandOut):
    """Filled by `_detailed`: the timeline, photos, followers (masked unless privileged) and the next actions."""

    timeline: list[TimelineOut]
    photos: list[PhotoOut]
    followers: list[FollowerOut]
    actions: list[str]

    @staticmethod
    def resolve_timeline(obj):
        return obj.detail.timeline

    @staticmethod
    def resolve_photos(obj):
        return obj.detail.photos

    @staticmethod
    def resolve_actions(obj):
        return obj.detail.actions

    @staticmethod
    def resolve_followers(obj):
        show = obj.detail.show_personal
        return [{"name": f.name if show else mask_name(f.name), "phone": f.phone if show else f.masked_phone}
                for f in obj.detail.followers]


class PublicTimelineOut(Schema):
    action: str
    to_state: str
    note: str
    created_at: datetime


class PublicDemandOut(Schema):
    """What a resident sees of their own demand with the tracking code: the public projection
    (gongzhi.demands.public): no names, phone and ID numbers masked, no internal notes."""

    tracking_code: str
    title: str
    description: str
    state: str
    category_name: str | None = None
    grid_name: str | None = None
    escalation_level: int
    support_count: int
    promise: str
    resolution: str
    due_on: date | None
    satisfaction: int | None
    created_at: datetime
    timeline: list[PublicTimelineOut] = []


class SubmitIn(In):
    """A new demand. Anonymous residents use the web channel and must give a phone number; staff (with a token)
    record walk-ins, calls, hotline transfers, patrols, home visits and enterprise demands (`member_unit_id`).
    The phone is needed unless a grid patrol records it; an enterprise demand names its member unit; who may record
    which channel, priority, unit and building is `policies.intake_errors`' (422 naming the field)."""

    title: required_text(120)
    description: required_text(5000)
    channel: choice(Channel, exclude=(Channel.OPEN311,)) = Channel.WEB
    kind: choice(Kind) = Kind.HELP
    priority: choice(Priority) = Priority.NORMAL
    category_id: Ref | None = None
    category_code: text(40) = ""
    address: text(200) = ""
    building_id: Ref | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    submitter_name: text(40) = ""
    submitter_phone: Phone = ""
    member_unit_id: Ref | None = None
    service_place_id: Ref | None = None
    subdistrict_id: Ref | None = None
    idempotency_key: text(80) = ""


class DemandFilters(Schema):
    q: text() = ""
    state: text() | None = None  # one state or a comma-separated list
    open: bool | None = None
    category: QueryId | None = None
    channel: choice(Channel) | None = None
    kind: choice(Kind) | None = None
    priority: choice(Priority) | None = None
    grid: QueryId | None = None
    level: Annotated[int, Field(ge=min(EscalationLevel.values), le=max(EscalationLevel.values))] | None = None
    mine: bool | None = None
    unrouted: bool | None = None
    overdue: bool | None = None


class RouteIn(In):
    """A building (its grid) or a grid: one is needed (422 naming `grid`)."""

    building_id: Ref | None = None
    grid_id: Ref | None = None


class AssignIn(In):
    """A person or a team: exactly one (422 naming `assignee`)."""

    assignee_id: Ref | None = None
    team_id: Ref | None = None
    note: text() = ""


class DemandClaimIn(In):
    promise: text(200) = ""  # needed when a party member claims (422 naming `promise`)
    team_id: Ref | None = None
    note: text() = ""


class NoteIn(In):
    note: text() = ""


class ReasonIn(In):
    reason: required_text()


class ResolveIn(In):
    resolution: required_text()


class MergeIn(In):
    into_id: Ref
    note: text() = ""


class ReviewIn(In):
    last4: text(4) = ""
    satisfaction: number(1, 5)
    comment: text(2000) = ""


class SupportIn(In):
    contact: text() = ""  # ignored (kept for old clients): the supporter is the account calling


class SupportOut(Schema):
    tracking_code: str
    support_count: int


class ExtensionIn(In):
    """At most `services.MAX_RESOLUTION_DAYS` working days from intake in all (422 naming `days` beyond)."""

    days: number(1, services.MAX_RESOLUTION_DAYS)
    reason: required_text()


class DecisionIn(In):
    approve: Bool
    note: text() = ""


class ExtensionOut(Schema):
    id: int
    demand_id: int
    tracking_code: str
    days: int
    reason: str
    status: str
    requested_by_id: int
    requested_at: datetime
    decided_by_id: int | None
    decided_at: datetime | None
    decision_note: str

    @staticmethod
    def resolve_tracking_code(obj):
        return obj.demand.tracking_code


class NotificationOut(Schema):
    id: int
    text: str
    demand_id: int | None
    tracking_code: str | None = None
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_tracking_code(obj):
        return obj.demand.tracking_code if obj.demand_id else None


class MarkReadIn(In):
    ids: list[Ref] | None = None  # none: all unread


class MarkedOut(Schema):
    marked: int


# --- Helpers ------------------------------------------------------------------------------------------------

def _demand(pk: int) -> Demand:
    demand = Demand.objects.select_related("region", "member_unit").filter(pk=pk).first()
    if demand is None:
        raise NotFound(_("Not found."))
    return demand


def _lookup(model, pk, field: str, errors: dict, **filters):
    """The row with this pk (None when none was asked for); a wrong one is a field error."""
    if pk in (None, ""):
        return None
    related = {Building: "region", ServicePlace: "region", Category: "parent", MemberUnit: "region"}.get(model)
    qs = model.objects.select_related(related) if related else model.objects
    obj = next(iter(qs.filter(pk=pk, **filters)[:1]), None)  # [:1], not first(): no ORDER BY to compile
    if obj is None:
        errors[field] = [_("Choose a valid option.")]
    return obj


def _detailed(detail: selectors.DemandDetail) -> Demand:
    detail.demand.detail = detail
    return detail.demand


def _after(user, demand: Demand) -> Demand:
    """The demand after an action, as its actor sees it (even when the action took it out of their view)."""
    demand = Demand.objects.select_related("category", "grid", "region", "assignee", "claimed_by").get(pk=demand.pk)
    return _detailed(selectors.detail_of(user, demand))


# --- Public: submit, track, review, me too ------------------------------------------------------------------

@router.post("/", auth=_auth(), throttle=[AnonymousThrottle()], response={201: DemandOut, 200: DemandOut,
             **_errors(429)}, url_name="demand_submit", operation_id="submit_demand", summary="Submit a demand")
def submit(request, payload: SubmitIn):
    """Idempotent: a retry with the same `Idempotency-Key` (header or field) answers 200 with the same demand."""
    user = _user(request)
    errors: dict[str, list[str]] = {}
    subdistrict = _lookup(Region, payload.subdistrict_id, "subdistrict", errors, kind=RegionKind.SUBDISTRICT)
    category = _lookup(Category, payload.category_id, "category", errors)
    if category is None and payload.category_code:
        category = category_by_code(payload.category_code, subdistrict)
        if category is None:
            errors["category"] = [_("Choose a valid option.")]
    building = _lookup(Building, payload.building_id, "building", errors)
    service_place = _lookup(ServicePlace, payload.service_place_id, "service_place", errors)
    channel = payload.channel
    if channel not in STAFF_CHANNELS:
        errors["channel"] = [_("Choose a valid channel.")]
    member_unit = _lookup(MemberUnit, payload.member_unit_id, "member_unit", errors)
    # who may record what (role and scope); anonymous visitors like residents: web/H5, normal priority
    for name, messages in policies.intake_errors(user, channel=channel, priority=payload.priority,
                                                 member_unit=member_unit, building=building).items():
        errors.setdefault(name, messages)
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), field_errors=errors)

    key = (request.headers.get("Idempotency-Key") or payload.idempotency_key or "").strip()
    if user is None:  # anonymous keys are only good together with the same phone number
        source = PUBLIC_SOURCE
        key = key and hashlib.sha256(f"{key}|{payload.submitter_phone.strip()}".encode()).hexdigest()[:64]
    else:
        source = f"api:{user.pk}"
    demand, created = services.submit_demand(
        title=payload.title, description=payload.description, channel=channel, category=category,
        kind=payload.kind, priority=payload.priority, address=payload.address, building=building,
        latitude=payload.latitude, longitude=payload.longitude, submitter_name=payload.submitter_name,
        submitter_phone=payload.submitter_phone, member_unit=member_unit, service_place=service_place,
        subdistrict=subdistrict, recorded_by=user, idempotency_key=key, source_client=source,
    )
    return Status(201 if created else 200, demand)


@router.get("/track/{code}", auth=None, response={200: PublicDemandOut, **_errors(429)}, url_name="demand_track",
            operation_id="track_demand", summary="Track a demand (tracking code + last four phone digits)")
def track(request, code: TrackingCode, last4: text(4) = ""):
    """Wrong digits count against the code, whoever sends them (shared with the H5 page, the review and the photo
    upload); after a few the code is locked (429 `tracking_locked`, with `locked_until`) until the time passes or
    the resident recovers it through `POST …/resend` (an SMS to the phone on file) or at the service station."""
    return public.project(services.access_by_tracking(code, last4))


class ResendOut(Schema):
    detail: str


@router.post("/track/{code}/resend", auth=None, response={202: ResendOut, **_errors()},
             url_name="demand_track_resend", operation_id="resend_tracking_code",
             summary="Send the tracking code again by SMS to the phone on file (throttled per code)")
def track_resend(request, code: TrackingCode):
    """Always 202: the answer never says whether the code exists or an SMS went out."""
    services.resend_tracking_code(code)
    return Status(202, {"detail": _("If this tracking code exists, we have sent it by SMS to the phone number "
                                    "given with it, with a link to open it again.")})


@router.post("/track/{code}/review", auth=None, throttle=[AnonymousThrottle()],
             response={200: PublicDemandOut, **_errors(429)}, url_name="demand_review",
             operation_id="review_demand", summary="The submitter's review (satisfaction 1-5)")
def review(request, code: TrackingCode, payload: ReviewIn):
    demand = services.review_demand(code, payload.last4, satisfaction=payload.satisfaction, comment=payload.comment)
    return public.project(demand)


@router.post("/track/{code}/support", auth=_auth(), throttle=[AnonymousThrottle()],
             response={200: SupportOut, **_errors(429)}, url_name="demand_support",
             operation_id="support_demand", summary="Me too (我也遇到): counted once per account")
def support(request, code: TrackingCode, payload: SupportIn):
    """Needs a verified contact: an account's token (or session). Anonymous callers answer 422 (`contact`); the
    H5 page proves a phone with an SMS code instead. The submitter cannot support their own demand."""
    demand = selectors.by_tracking_code(code)
    count = services.add_support(demand, user=_user(request))
    return {"tracking_code": demand.tracking_code, "support_count": count}


@router.post("/track/{code}/photos", auth=None, throttle=[AnonymousThrottle()],
             response={201: PhotoOut, **_errors(429)}, url_name="demand_public_photo",
             operation_id="add_public_photo", summary="The submitter adds a photo (multipart)")
def public_photo(request, code: TrackingCode, last4: Form[text(4)], image: File[UploadedFile]):
    demand = services.access_by_tracking(code, last4)
    return Status(201, services.add_photo(demand, image, kind=PhotoKind.BEFORE))


# --- Lists --------------------------------------------------------------------------------------------------

@router.get("/", response={200: list[DemandOut], **_errors()}, url_name="demand_list", operation_id="list_demands",
            summary="The scoped demand queue, filtered and paginated")
@paginate
def demand_list(request, filters: Query[DemandFilters]):
    require_capability(request.auth, C.VIEW_DEMANDS)
    f = filters.dict(exclude_none=True)
    if "state" in f:
        f["state"] = [s.strip() for s in f["state"].split(",") if s.strip()]
    return selectors.demands_for(request.auth, f)


@router.get("/overdue", response={200: list[DemandOut], **_errors()}, url_name="demand_overdue",
            operation_id="list_overdue_demands", summary="Open demands past a deadline")
@paginate
def overdue(request):
    require_capability(request.auth, C.VIEW_DEMANDS)
    return selectors.overdue_demands(request.auth)


@router.get("/claim-board", response={200: list[DemandOut], **_errors()}, url_name="demand_claim_board",
            operation_id="claim_board", summary="Items a party member may claim publicly (亮承诺)")
@paginate
def claim_board(request):
    return selectors.claim_board(request.auth)


@router.get("/joint-meeting", response={200: list[DemandOut], **_errors()}, url_name="demand_agenda",
            operation_id="joint_meeting_agenda", summary="Open demands a sub-district leader referred to a joint meeting")
@paginate
def agenda(request):
    require_capability(request.auth, C.VIEW_DEMANDS)
    return selectors.joint_meeting_agenda(request.auth)


@router.get("/inbox", response={200: list[NotificationOut], **_errors()}, url_name="demand_inbox",
            operation_id="inbox", summary="The user's notifications")
@paginate
def inbox(request, unread: bool = False):
    return selectors.inbox(request.auth, unread_only=unread)


@router.post("/inbox/read", response={200: MarkedOut, **_errors()}, url_name="demand_inbox_read",
             operation_id="mark_read", summary="Mark notifications read (all unread ones without ids)")
def inbox_read(request, payload: MarkReadIn):
    return {"marked": services.mark_read(request.auth, payload.ids)}


@router.get("/extensions", response={200: list[ExtensionOut], **_errors()}, url_name="demand_extensions",
            operation_id="pending_extensions", summary="Deadline extensions waiting for the user's decision")
@paginate
def extensions(request):
    require_capability(request.auth, C.APPROVE_DEMANDS)
    return selectors.pending_extensions(request.auth)


@router.post("/extensions/{int:extension_id}/decision", response={200: ExtensionOut, **_errors()},
             url_name="demand_extension_decide", operation_id="decide_extension",
             summary="Approve or refuse a deadline extension")
def decide_extension(request, extension_id: Id, payload: DecisionIn):
    ext = access(request.auth, Extension.objects.select_related("demand"), C.APPROVE_DEMANDS, pk=extension_id)
    return services.decide_extension(ext, actor=request.auth, approve=payload.approve, note=payload.note)


# --- One demand ---------------------------------------------------------------------------------------------

@router.get("/{int:demand_id}", response={200: DemandDetailOut, **_errors()}, url_name="demand_detail",
            operation_id="get_demand", summary="One demand with its timeline")
def detail(request, demand_id: Id):
    return _detailed(selectors.demand_detail(request.auth, demand_id))


# POST /{id}/<action>: the payload's fields are the service's keywords; the answer is the demand afterwards.
DEMAND_ACTIONS = (
    ("route", RouteIn, "route_demand", "Place a demand on a grid (by building or grid)"),
    ("assign", AssignIn, "assign_demand", "Assign to a person or a professional team (派单)"),
    ("claim", DemandClaimIn, "claim_demand", "Claim (认领): a handler takes it on, or a party member promises publicly"),
    ("start", NoteIn, "start_demand", "Start work"),
    ("resolve", ResolveIn, "resolve_demand", "Resolve (办结), saying how"),
    ("return", ReasonIn, "return_demand", "Return a wrongly routed demand (退回), with a reason"),
    ("reject", ReasonIn, "reject_demand", "Reject (不予受理), with a reason"),
    ("escalate", NoteIn, "escalate_demand", "Escalate one tier up (上报)"),
    ("merge", MergeIn, "merge_demand", "Merge a duplicate into another demand (合并)"),
    ("close", NoteIn, "close_demand", "Close (归档)"),
)


def _register_action(name: str, payload_type, service: str, summary: str) -> None:
    @router.post(f"/{{int:demand_id}}/{name}", response={200: DemandDetailOut, **_errors()},
                 url_name=f"demand_{name}", operation_id=f"{name}_demand", summary=summary)
    def view(request, demand_id: Id, payload: payload_type):  # type: ignore[valid-type]
        result = getattr(services, service)(_demand(demand_id), actor=request.auth, **payload.model_dump())
        return _after(request.auth, result)

    view.__name__ = f"{name}_demand"


for _action in DEMAND_ACTIONS:
    _register_action(*_action)


@router.post("/{int:demand_id}/photos", response={201: PhotoOut, **_errors()}, url_name="demand_photo",
             operation_id="add_demand_photo", summary="Attach a photo (multipart; kind before/after)")
def photo(request, demand_id: Id, image: File[UploadedFile], kind: Form[choice(PhotoKind)] = PhotoKind.BEFORE):
    return Status(201, services.add_photo(_demand(demand_id), image, kind=kind, uploaded_by=request.auth))


@router.post("/{int:demand_id}/extensions", response={201: ExtensionOut, **_errors()},
             url_name="demand_extension_request", operation_id="request_extension",
             summary="Ask for more time on a complex demand")
def request_extension(request, demand_id: Id, payload: ExtensionIn):
    ext = services.request_extension(_demand(demand_id), actor=request.auth, days=payload.days, reason=payload.reason)
    return Status(201, ext)
