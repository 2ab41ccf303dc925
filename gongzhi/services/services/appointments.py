"""Writes of the appointments part: a resident books a slot on H5 after proving the phone with an SMS code, cancels
or reschedules with the booking code and the phone's last four digits, a station worker checks the resident in;
the periodic tick marks no-shows and sends reminders; the demo imports two years of past appointments.

Booking rules (the place's `BookingRules`): not in the past, at least `min_notice_hours` ahead, at most
`max_advance_days` ahead, on a slot of the place's working plan (`selectors.appointments.slot_problem`), and at most
`max_per_phone` booked appointments per phone (counted again under a lock per phone, `core.services.hold_lock`, so
parallel bookings from one phone cannot pass it). Each refusal writes nothing and says why.

No double booking: a slot has `capacity` seats and each holding appointment takes the lowest free seat number. The
partial unique constraint on (place, starts_at, seat) over the holding states settles a race: a booking whose INSERT
collides tries the next free seat inside a savepoint, and when no seat is left it is refused ("fully booked"). This
holds on SQLite and PostgreSQL alike (tests/services/test_appointments_parallel.py).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime, timedelta
from functools import partial

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from gongzhi.core import crypto
from gongzhi.core.errors import Conflict, DomainError, Forbidden, NotFound, NothingChanged, ValidationFailed
from gongzhi.core.services import hold_lock
from gongzhi.core.workflow import (
    SUBMITTER,
    SYSTEM,
    check_actor,
    is_user,
    record_creation,
    transition,
    user_of,
)
from gongzhi.demands import notify
from gongzhi.demands.services import rate_allows
from gongzhi.registry.models import ServicePlace, phone_validator
from gongzhi.services.models import Appointment, AppointmentTransition, BookingRules, ServiceItem
from gongzhi.services.policies import appointments as policies
from gongzhi.services.selectors import appointments as selectors
from gongzhi.services.workflow import (
    APPOINTMENT_FLOW,
    APPOINTMENT_HOLDING_STATES,
    AppointmentAction,
    AppointmentState,
)

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out over the phone without doubt
CODE_LENGTH = 8
CODE_TRIES = 10  # tries of one booking code per hour (right or wrong) before it answers "locked"
CODE_WINDOW = 3600
NO_SHOW_AFTER = timedelta(minutes=30)  # a booked slot ended this long ago is a no-show


class BookingCodeLocked(DomainError):
    status = 429
    code = "booking_code_locked"
    default_message = ("This booking code was tried too often. Try again in an hour, or ask at the service "
                       "station.")


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not Appointment.objects.filter(code=code).exists():
            return code


def _local(when: datetime) -> str:
    return f"{timezone.localtime(when):%Y-%m-%d %H:%M}"


# --- Booking ----------------------------------------------------------------------------------------------------

def check_slot(place: ServicePlace, item: ServiceItem, starts_at: datetime, *, now: datetime | None = None,
               exclude: Appointment | None = None) -> None:
    """Refuse (ValidationFailed on ``starts_at``) a slot the rules do not allow now; seats are not looked at."""
    now = _now(now)
    if starts_at is None:
        raise ValidationFailed.on("starts_at", _("Choose a time slot."))
    rules = selectors.rules_of(place)
    problem = selectors.slot_problem(place, item, starts_at)
    if problem is None:
        problem = selectors.time_problem(rules, starts_at, now)
    if problem:
        raise ValidationFailed.on("starts_at", problem)


def check_booking(place: ServicePlace, *, item: ServiceItem, starts_at: datetime, name: str, phone: str,
                  now: datetime | None = None) -> bool:
    """Every rule of `book_appointment` but the SMS proof (the H5 page asks before sending a code); True when it
    would pass now."""
    now = _now(now)
    errors: dict[str, list[str]] = {}
    if not (name or "").strip():
        errors["name"] = [_("Enter your name.")]
    elif len(name.strip()) > 40:
        errors["name"] = [_("At most 40 characters.")]
    try:
        phone_validator((phone or "").strip())
        if not (phone or "").strip():
            raise DjangoValidationError("blank")
    except DjangoValidationError:
        errors["phone"] = [_("Enter a valid mobile or landline number.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), field_errors=errors)
    check_slot(place, item, starts_at, now=now)
    _check_phone_limit(place, phone, now)
    if not selectors.free_seats(place, item, starts_at):
        raise Conflict(_("This slot is fully booked."), code="slot_full")
    return True


def _check_phone_limit(place: ServicePlace, phone: str, now: datetime) -> None:
    limit = selectors.rules_of(place).max_per_phone
    active = Appointment.objects.filter(phone_hash__in=crypto.lookup_hashes(phone.strip()),
                                        state=AppointmentState.BOOKED, ends_at__gt=now).count()
    if active >= limit:
        raise ValidationFailed.on("phone", _("This phone number already holds %(n)s booked appointments: cancel "
                                             "one first.") % {"n": limit})


def book_appointment(place: ServicePlace, *, item: ServiceItem, starts_at: datetime, name: str, phone: str,
                     proven_phone: str, note: str = "", now: datetime | None = None) -> Appointment:
    """Book a seat in a slot for a resident whose phone an SMS code proved (`proven_phone`, from
    `gongzhi.demands.services.check_phone_code`). The resident gets the booking code by SMS once it is committed.
    Conflict ``slot_full`` when the slot has no seat left (also when parallel bookings took the last one)."""
    now = _now(now)
    name, phone, note = (name or "").strip(), (phone or "").replace(" ", "").strip(), (note or "").strip()[:200]
    if not proven_phone or not constant_time_compare(proven_phone.replace(" ", ""), phone):
        raise ValidationFailed.on("phone", _("Confirm this phone number with an SMS code first."))
    check_booking(place, item=item, starts_at=starts_at, name=name, phone=phone, now=now)
    cap = selectors.capacity(place, item)
    ends_at = starts_at + timedelta(minutes=selectors.rules_of(place).slot_minutes)
    with transaction.atomic():
        # parallel bookings from one phone queue here and count again: the limit holds under a race too
        hold_lock("appointments:phone:" + crypto.lookup_hashes(phone)[0])
        _check_phone_limit(place, phone, now)
        for seat in selectors.free_seats(place, item, starts_at, cap=cap):
            appt = Appointment(code=new_code(), place=place, item=item, starts_at=starts_at, ends_at=ends_at, seat=seat,
                               name=name, phone=phone, note=note, created_at=now)
            appt._history_user = None
            try:
                with transaction.atomic():
                    appt.save()
            except IntegrityError:
                continue  # taken in parallel (or, once in a trillion, the code): the next seat
            record_creation(appt, AppointmentAction.BOOK, workflow=APPOINTMENT_FLOW, actor=SUBMITTER, now=now)
            text = _("Booked: %(item)s at %(place)s, %(time)s. Your booking code is %(code)s (keep it to cancel or "
                     "reschedule).") % {"item": item.name, "place": place.name, "time": _local(starts_at),
                                       "code": appt.code}
            transaction.on_commit(partial(notify.send_sms, [phone], text), robust=True)
            return appt
    raise Conflict(_("This slot is fully booked."), code="slot_full")


# --- The resident's code ---------------------------------------------------------------------------------------

def access_by_code(code: str, last4: str, *, now: datetime | None = None) -> Appointment:
    """The appointment with this booking code whose phone ends in `last4`, or NotFound. Every try counts against
    the code (one atomic counter, `demands.services.rate_allows`, shared by the H5 page and the API): after
    CODE_TRIES in an hour the code answers BookingCodeLocked whatever the digits."""
    code, last4 = (code or "").strip().upper(), (last4 or "").strip()
    if not code or len(code) > 12:
        raise NotFound()
    if not rate_allows("appointment-code", code, limit=CODE_TRIES, seconds=CODE_WINDOW, now=now):
        raise BookingCodeLocked()
    appt = Appointment.objects.select_related("place", "item").filter(code=code).first()
    if appt is None or not (len(last4) == 4 and last4.isdigit() and constant_time_compare(appt.phone[-4:], last4)):
        raise NotFound()
    return appt


def _authorize(actor, action: str):
    def check(locked: Appointment) -> None:
        if actor is SYSTEM or actor is SUBMITTER:
            return
        if not policies.may_see(actor, locked):
            raise NotFound()
        if not policies.may_act(actor, locked, action):
            raise Forbidden()
        if action == AppointmentAction.CHECK_IN and not policies.on_the_day(locked):
            raise Conflict(_("Check-in is only on the day of the appointment."), code="not_today")
    return check


def cancel_appointment(appt: Appointment, *, actor, note: str = "", now: datetime | None = None) -> Appointment:
    """Cancel a booked appointment: the resident (SUBMITTER, after `access_by_code`) or a station worker. The seat
    is free again at once."""
    now = _now(now)
    locked = transition(appt, AppointmentAction.CANCEL, workflow=APPOINTMENT_FLOW, actor=actor, note=note, now=now,
                        authorize=_authorize(actor, AppointmentAction.CANCEL), related=("place__region", "item"))
    text = _("Your appointment %(code)s (%(item)s, %(time)s) is cancelled.") % {
        "code": locked.code, "item": locked.item.name, "time": _local(locked.starts_at)}
    transaction.on_commit(partial(notify.send_sms, [locked.phone], text), robust=True)
    return locked


def reschedule_appointment(appt: Appointment, *, actor, starts_at: datetime, now: datetime | None = None) -> Appointment:
    """Move a booked appointment to another slot of its place and item (every booking rule again, but the count per
    phone), on the lowest free seat there."""
    now = _now(now)
    check_actor(actor)
    current = Appointment.objects.select_related("place__region", "item").filter(pk=appt.pk).first()
    if current is None or (is_user(actor) and not policies.may_see(actor, current)):
        raise NotFound()
    if starts_at == current.starts_at:
        raise NothingChanged()
    check_slot(current.place, current.item, starts_at, now=now)
    rules = selectors.rules_of(current.place)
    ends_at = starts_at + timedelta(minutes=rules.slot_minutes)
    with transaction.atomic():
        for seat in selectors.free_seats(current.place, current.item, starts_at, exclude=current):
            try:
                with transaction.atomic():
                    moved = transition(current, AppointmentAction.RESCHEDULE, workflow=APPOINTMENT_FLOW, actor=actor,
                                       now=now, authorize=_authorize(actor, AppointmentAction.RESCHEDULE),
                                       related=("place__region", "item"), starts_at=starts_at, ends_at=ends_at,
                                       seat=seat, reminded_at=None,
                                       extra={"from": current.starts_at.isoformat(), "to": starts_at.isoformat()})
            except IntegrityError:
                continue
            text = _("Your appointment %(code)s is moved to %(time)s at %(place)s.") % {
                "code": moved.code, "time": _local(starts_at), "place": moved.place.name}
            transaction.on_commit(partial(notify.send_sms, [moved.phone], text), robust=True)
            return moved
    raise Conflict(_("This slot is fully booked."), code="slot_full")


def check_in(appt: Appointment, *, actor, now: datetime | None = None) -> Appointment:
    """A station worker checks the resident in at the counter, on the appointment's day."""
    now = _now(now)
    return transition(appt, AppointmentAction.CHECK_IN, workflow=APPOINTMENT_FLOW, actor=actor, now=now,
                      authorize=_authorize(actor, AppointmentAction.CHECK_IN), related=("place__region", "item"),
                      checked_in_at=now)


# --- The periodic tick ------------------------------------------------------------------------------------------

def mark_no_shows(now: datetime | None = None) -> int:
    """Booked appointments whose slot ended more than NO_SHOW_AFTER ago become no-shows (actor SYSTEM)."""
    now = _now(now)
    due = list(Appointment.objects.filter(state=AppointmentState.BOOKED, ends_at__lt=now - NO_SHOW_AFTER)
               .order_by("starts_at", "pk").values_list("pk", flat=True))
    done = 0
    for pk in due:
        try:
            transition(pk, AppointmentAction.NO_SHOW, workflow=APPOINTMENT_FLOW, actor=SYSTEM, now=now)
        except (Conflict, NotFound):  # checked in or cancelled meanwhile
            continue
        done += 1
    return done


def send_reminders(now: datetime | None = None) -> int:
    """One SMS per booked appointment starting within its place's `remind_hours_before` (place, time and code);
    `reminded_at` is set by a conditional UPDATE, so a second run (or a parallel one) sends nothing again."""
    now = _now(now)
    longest = max([24, *BookingRules.objects.values_list("remind_hours_before", flat=True)])
    due = (Appointment.objects.filter(state=AppointmentState.BOOKED, reminded_at__isnull=True, starts_at__gt=now,
                                      starts_at__lte=now + timedelta(hours=longest))
           .select_related("place__booking_rules", "item", "place").order_by("starts_at", "pk"))
    sent = 0
    for appt in due:
        rules = getattr(appt.place, "booking_rules", None) or selectors.DEFAULT_RULES
        if appt.starts_at > now + timedelta(hours=rules.remind_hours_before):
            continue
        with transaction.atomic():
            if not Appointment.objects.filter(pk=appt.pk, state=AppointmentState.BOOKED,
                                              reminded_at__isnull=True).update(reminded_at=now):
                continue
            text = _("Reminder: %(item)s at %(place)s, %(time)s. Booking code %(code)s.") % {
                "item": appt.item.name, "place": appt.place.name, "time": _local(appt.starts_at), "code": appt.code}
            transaction.on_commit(partial(notify.send_sms, [appt.phone], text), robust=True)
        sent += 1
    return sent


def tick(now: datetime | None = None) -> tuple[int, int]:
    """The periodic job (``gongzhi manage appointments_tick``): reminders, then no-shows."""
    now = _now(now)
    return send_reminders(now), mark_no_shows(now)


# --- Past appointments (the demo, a legacy register) ----------------------------------------------------------

@dataclass
class PastAppointment:
    """An appointment of the past: booked at `booked_at`, then `steps` [(action, time)] along the workflow."""

    place: ServicePlace
    item: ServiceItem
    starts_at: datetime
    ends_at: datetime
    name: str
    phone: str
    booked_at: datetime
    steps: list[tuple[str, datetime]] = dataclass_field(default_factory=list)
    seat: int = 1
    note: str = ""
    code: str = ""  # drawn here when empty (the demo draws its own from its seeded random numbers)


def import_appointments(rows: list[PastAppointment], *, actor) -> int:
    """Take in past appointments in one transaction, all or nothing: each timeline is checked against the
    workflow's table and written with its past times; nobody is notified. SYSTEM only. Returns how many."""
    if actor is not SYSTEM:
        raise Forbidden()
    made: list[Appointment] = []
    logs: list[tuple[int, str, str, str, datetime]] = []
    for i, row in enumerate(rows):
        state, when = AppointmentState.BOOKED, row.booked_at
        log = [(i, AppointmentAction.BOOK, "", state, when)]
        checked_in_at = None
        for action, at in row.steps:
            target = APPOINTMENT_FLOW.target(state, action)
            if target is None or at < when:
                raise ValidationFailed.on("steps", _("Row %(n)s: “%(action)s” cannot follow “%(state)s”.") % {
                    "n": i + 1, "action": APPOINTMENT_FLOW.action_label(action),
                    "state": APPOINTMENT_FLOW.state_label(state)})
            if action == AppointmentAction.CHECK_IN:
                checked_in_at = at
            log.append((i, action, state, target, at))
            state, when = target, at
        appt = Appointment(code=row.code or new_code(), place=row.place, item=row.item, starts_at=row.starts_at,
                           ends_at=row.ends_at, seat=row.seat, state=state, name=row.name, phone=row.phone,
                           note=row.note, created_at=row.booked_at, checked_in_at=checked_in_at,
                           reminded_at=row.starts_at - timedelta(hours=24)
                           if row.steps and row.booked_at < row.starts_at - timedelta(hours=24) else None)
        appt._history_date = when
        made.append(appt)
        logs.extend(log)
    codes = [a.code for a in made]
    if len(set(codes)) != len(codes) or Appointment.objects.filter(code__in=codes).exists():
        raise ValidationFailed.on("code", _("A booking code is given twice."))
    holding = [(a.place_id, a.starts_at, a.seat) for a in made if a.state in APPOINTMENT_HOLDING_STATES]
    if len(set(holding)) != len(holding):
        raise ValidationFailed.on("seat", _("Two appointments hold the same seat of a slot."))
    with transaction.atomic():
        bulk_create_with_history(made, Appointment, batch_size=500, default_change_reason="history import",
                                 default_user=user_of(actor))
        AppointmentTransition.objects.bulk_create([
            AppointmentTransition(appointment=made[i], action=action, from_state=frm, to_state=to,
                                  actor_label=(SUBMITTER if action in (AppointmentAction.BOOK, AppointmentAction.CANCEL)
                                               else SYSTEM).key, created_at=at)
            for i, action, frm, to, at in logs], batch_size=2000)
    return len(made)
