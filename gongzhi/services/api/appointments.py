"""Appointments API of the doorstep services (under /api/v1/services/).

Public (no account, like the H5 pages): the open slots of an item at a place; an SMS code to prove a phone
(``phone-code`` answers the signed token to send back with the code); booking with that token and code; a booking
seen or cancelled with its code and the phone's last four digits (every try counts against the code: 429
``booking_code_locked`` after a few). Staff: the scoped list (name and phone masked unless the caller may see
personal data) and the check-in at the counter.

Refusals answer in the ErrorOut shape: 404 (missing or out of scope), 409 (``slot_full``, the state or day does not
allow it), 422 (a booking rule, naming the field), 429.
"""

from datetime import datetime
from typing import Annotated

from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from gongzhi.accounts.scope import require_capability
from gongzhi.core.apitypes import PHONE, Date, DateTime, Id, In, QueryId, choice, errors, required_text, text
from gongzhi.core.masking import mask, may_see_personal_data
from gongzhi.core.workflow import SUBMITTER
from gongzhi.demands import services as demand_services
from gongzhi.services.policies import appointments as policies
from gongzhi.services.selectors import appointments as selectors
from gongzhi.services.services import appointments as services
from gongzhi.services.workflow import AppointmentState

router = Router()

BookingCode = text(12)
Mobile = Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=PHONE)]  # a phone, not blank


class AppointmentSlotOut(Schema):
    starts_at: datetime
    ends_at: datetime
    remaining: int


class AppointmentPhoneCodeIn(In):
    phone: Mobile


class AppointmentPhoneCodeOut(Schema):
    token: str


class AppointmentBookIn(In):
    """The place and item by their codes, a slot's start (from ``slots``), the resident, and the SMS proof: the
    ``token`` of ``phone-code`` with the six digits the SMS brought."""

    place: required_text(40)
    item: required_text(40)
    starts_at: DateTime
    name: required_text(40)
    phone: Mobile
    note: text(200) = ""
    token: required_text(2000)
    code: required_text(6)


class AppointmentLast4In(In):
    last4: text(4)


class AppointmentPublicOut(Schema):
    code: str
    place: str
    item: str
    starts_at: datetime
    ends_at: datetime
    state: str

    @staticmethod
    def resolve_place(obj) -> str:
        return obj.place.name

    @staticmethod
    def resolve_item(obj) -> str:
        return obj.item.name


class AppointmentOut(AppointmentPublicOut):
    id: int
    place_id: int
    item_id: int
    seat: int
    name: str
    phone: str
    note: str
    reminded_at: datetime | None
    checked_in_at: datetime | None
    created_at: datetime
    actions: list[str]

    @staticmethod
    def resolve_name(obj, context) -> str:
        return obj.name if may_see_personal_data(context["request"].user, obj) else mask("name", obj.name)

    @staticmethod
    def resolve_phone(obj, context) -> str:
        return obj.phone if may_see_personal_data(context["request"].user, obj) else mask("phone", obj.phone)

    @staticmethod
    def resolve_actions(obj, context) -> list[str]:
        return policies.actions(context["request"].user, obj)


@router.get("/appointments/slots", auth=None, response={200: list[AppointmentSlotOut], **errors(404)},
            url_name="services_appointment_slots", summary="Open slots of an item at a place on a day (public)")
def slots(request, place: text(40) = "", item: text(40) = "", day: Date | None = None):
    """Slots with seats left that the booking rules allow now; an empty list without place, item and day."""
    if not (place and item and day):
        return []
    found = selectors.public_item(item)
    return selectors.available_slots(selectors.public_place(place, found), found, day)


@router.post("/appointments/phone-code", auth=None, response={202: AppointmentPhoneCodeOut, **errors(422)},
             url_name="services_appointment_phone_code", summary="Send an SMS code to prove a phone (public)")
def phone_code(request, payload: AppointmentPhoneCodeIn):
    """At most one code a minute per number. Keep the token and send it back with the code when booking."""
    return Status(202, {"token": demand_services.send_phone_code(payload.phone)})


@router.post("/appointments/book", auth=None, response={201: AppointmentPublicOut, **errors(404, 409, 422)},
             url_name="services_appointment_book", summary="Book a slot (public, with the SMS proof)")
def book(request, payload: AppointmentBookIn):
    """409 ``slot_full`` when no seat is left; 422 for a booking rule (past, too soon or far, closed, not offered,
    too many bookings of this phone) or a wrong SMS code. The booking code comes back and by SMS."""
    item = selectors.public_item(payload.item)
    place = selectors.public_place(payload.place, item)
    proven = demand_services.check_phone_code(payload.token, payload.code)
    appt = services.book_appointment(place, item=item, starts_at=payload.starts_at, name=payload.name,
                                     phone=payload.phone, proven_phone=proven, note=payload.note)
    return Status(201, appt)


@router.get("/appointments/public/{code}", auth=None, response={200: AppointmentPublicOut, **errors(404, 429)},
            url_name="services_appointment_public", summary="A booking by its code and the phone's last four digits")
def public(request, code: BookingCode, last4: text(4) = ""):
    return services.access_by_code(code, last4)


@router.post("/appointments/public/{code}/cancel", auth=None,
             response={200: AppointmentPublicOut, **errors(404, 409, 429)},
             url_name="services_appointment_public_cancel", summary="Cancel a booking by its code (public)")
def public_cancel(request, code: BookingCode, payload: AppointmentLast4In):
    appt = services.access_by_code(code, payload.last4)
    return services.cancel_appointment(appt, actor=SUBMITTER)


@router.get("/appointments", response=list[AppointmentOut], url_name="services_appointment_list")
@paginate
def appointment_list(request, place: QueryId | None = None, day: Date | None = None,
                     state: choice(AppointmentState) | None = None, q: text(40) | None = None):
    require_capability(request.user, selectors.VIEW)
    params = {k: str(v) for k, v in (("place", place), ("day", day), ("state", state), ("q", q)) if v}
    qs = selectors.filter_appointments(selectors.appointments_for(request.user), params, request.user)
    return qs.select_related("place__region").order_by("-starts_at", "-pk")


@router.post("/appointments/{pk}/check-in", response={200: AppointmentOut, **errors(403, 404, 409)},
             url_name="services_appointment_check_in", summary="Check the resident in (station workers)")
def check_in(request, pk: Id):
    appt = selectors.appointment(request.user, pk)
    services.check_in(appt, actor=request.user)
    return selectors.appointment(request.user, pk)
