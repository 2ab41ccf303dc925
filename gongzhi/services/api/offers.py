"""Doorstep-services API of the offers part, under /api/v1/services/: the service places in scope with what they
offer (staff), a place's slots for a day with the seats left for an item (PUBLIC: residents book without an account;
422 naming `item` when the place does not offer it), and the staff's PUT of a place's working plan and booking
rules (403 without services.manage, 404 out of scope, 422 with field errors)."""

import re
from datetime import date, datetime, time
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import BeforeValidator, WithJsonSchema

from gongzhi.accounts.scope import require_capability
from gongzhi.core.apitypes import AllowAnonymous, Date, Id, In, QueryId, choice, errors, number, text
from gongzhi.core.errors import ValidationFailed
from gongzhi.registry.models import ServicePlaceKind
from gongzhi.services.models import Offer, ServiceItem
from gongzhi.services.policies import offers as policies
from gongzhi.services.selectors import offers as selectors
from gongzhi.services.services import offers as services

router = Router()


def _clock_time(value: Any) -> Any:
    """Only a local time of day as HH:MM or HH:MM:SS (no number of seconds, no UTC offset)."""
    if isinstance(value, time):
        return value
    if not isinstance(value, str) or not re.fullmatch(CLOCK, value):
        raise ValueError("Enter a time of day as HH:MM.")
    return value


CLOCK = r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?"
ClockTime = Annotated[time, BeforeValidator(_clock_time),
                      WithJsonSchema({"type": "string", "pattern": f"^{CLOCK}$", "examples": ["09:00"]})]


def _public_auth():
    from gongzhi.api import BearerToken  # gongzhi.api imports this module while it is being built

    return [BearerToken(), AllowAnonymous()]


class ServiceOfferOut(Schema):
    id: int
    item_id: int
    item_code: str
    item_name: str
    category: str
    bookable: bool
    capacity: int | None
    note: str

    @staticmethod
    def resolve_item_code(obj) -> str:
        return obj.item.code

    @staticmethod
    def resolve_item_name(obj) -> str:
        return obj.item.name

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.item.category.name

    @staticmethod
    def resolve_bookable(obj) -> bool:
        return obj.item.bookable


class ServicePlaceOffersOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    hours: str
    offers: list[ServiceOfferOut]

    @staticmethod
    def resolve_hours(obj) -> str:
        return selectors.hours_summary(selectors.plans_of(obj))

    @staticmethod
    def resolve_offers(obj) -> list:
        return list(selectors.offers_of(obj))


class ServiceSlotOut(Schema):
    starts_at: datetime
    ends_at: datetime
    capacity: int
    remaining: int
    bookable: bool


class ServiceDaySlotsOut(Schema):
    place_id: int
    item_id: int | None
    day: date
    open: bool
    slots: list[ServiceSlotOut]


class ServicePlanDayIn(In):
    weekday: number(0, 6)
    opens_at: ClockTime
    closes_at: ClockTime
    break_starts_at: ClockTime | None = None
    break_ends_at: ClockTime | None = None


class ServicePlanIn(In):
    """The open weekdays (0 Monday … 6 Sunday), each once; the others are closed."""

    days: list[ServicePlanDayIn] = Field(..., max_length=7)


class ServicePlanDayOut(Schema):
    weekday: int
    opens_at: time
    closes_at: time
    break_starts_at: time | None
    break_ends_at: time | None


class ServiceBookingRulesIn(In):
    slot_minutes: number(*services.RULE_LIMITS["slot_minutes"])
    capacity: number(*services.RULE_LIMITS["capacity"])
    min_notice_hours: number(*services.RULE_LIMITS["min_notice_hours"])
    max_advance_days: number(*services.RULE_LIMITS["max_advance_days"])
    max_per_phone: number(*services.RULE_LIMITS["max_per_phone"])
    remind_hours_before: number(*services.RULE_LIMITS["remind_hours_before"])


class ServiceBookingRulesOut(Schema):
    slot_minutes: int
    capacity: int
    min_notice_hours: int
    max_advance_days: int
    max_per_phone: int
    remind_hours_before: int


@router.get("/offers/places", response=list[ServicePlaceOffersOut], url_name="services_offers_places")
def place_list(request, q: text(80) = "", kind: choice(ServicePlaceKind, blank=True) = ""):
    """The service places in the caller's scope with the items each offers."""
    require_capability(request.user, policies.VIEW)
    return list(selectors.places_for(request.user, {"q": q, "kind": kind})[:200])


@router.get("/offers/places/{pk}/slots", response={200: ServiceDaySlotsOut, **errors(404, 422)},
            url_name="services_offers_slots", auth=_public_auth())
def place_slots(request, pk: Id, item: QueryId | None = None, day: Date | None = None):
    """The slots of a place on a day (today by default) with the seats left for the item (without `item`: the
    place's default seats) and whether they can be booked now (the booking rules' notice and advance). Public.
    422 (naming `item`) when the place does not offer the item."""
    place = selectors.public_place(pk)
    found = None
    if item is not None:
        found = ServiceItem.objects.filter(pk=item, active=True).first()
        if found is None or not Offer.objects.filter(place=place, item=found, active=True).exists():
            raise ValidationFailed.on("item", _("This place does not offer this item."))
    day = day or timezone.localdate()
    slots = selectors.availability(place, day, found)
    return {"place_id": place.pk, "item_id": found.pk if found else None, "day": day, "open": bool(slots),
            "slots": [{"starts_at": s.starts_at, "ends_at": s.ends_at, "capacity": s.capacity,
                       "remaining": s.remaining, "bookable": s.bookable} for s in slots]}


@router.put("/offers/places/{pk}/working-plan", response={200: list[ServicePlanDayOut], **errors(403, 404, 422)},
            url_name="services_offers_plan")
def put_plan(request, pk: Id, payload: ServicePlanIn):
    """Replace the place's working plan (services.manage); 422 naming "<field>_<weekday>" for hours that do not fit
    (closing before opening, a break outside the hours) or `weekday` for a day given twice."""
    place = selectors.managed_place(request.user, pk)
    days: dict[int, dict] = {}
    for row in payload.days:
        if row.weekday in days:
            raise ValidationFailed.on("weekday", _("Each weekday may be given once."))
        days[row.weekday] = row.dict(exclude={"weekday"})
    return services.set_working_plan(place, actor=request.user, days=days)


@router.put("/offers/places/{pk}/booking-rules", response={200: ServiceBookingRulesOut, **errors(403, 404, 422)},
            url_name="services_offers_rules")
def put_rules(request, pk: Id, payload: ServiceBookingRulesIn):
    """Set the place's booking rules (services.manage); 422 when the minimum notice is not shorter than the maximum
    advance."""
    place = selectors.managed_place(request.user, pk)
    return services.set_booking_rules(place, actor=request.user, **payload.dict())
