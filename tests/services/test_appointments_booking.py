"""Booking an appointment: every rule refuses with its own message and writes nothing; a booking takes the lowest
free seat, logs its first step and sends the booking code by SMS."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.translation import gettext as _

from gongzhi.core.errors import Conflict, ValidationFailed
from gongzhi.demands.models import CalendarDay
from gongzhi.services.models import Appointment, AppointmentTransition
from gongzhi.services.selectors import appointments as selectors
from gongzhi.services.services import appointments as services
from gongzhi.services.workflow import AppointmentState
from tests.services import appointments_world as w
from tests.services import factories as f
from tests.services.appointments_world import at, make_booking, slot

booking, outbox = w.booking, w.outbox  # fixtures

PHONE = "13912345678"


def book(b, starts_at, phone=PHONE, **kw):
    kw.setdefault("item", b.item)
    return services.book_appointment(b.place, starts_at=starts_at, name="王阿姨", phone=phone, proven_phone=phone,
                                     **kw)


def refused(call, message, *, error=ValidationFailed):
    before = (Appointment.objects.count(), AppointmentTransition.objects.count())
    with pytest.raises(error) as e:
        call()
    assert e.value.message == message
    assert (Appointment.objects.count(), AppointmentTransition.objects.count()) == before
    return e.value


def test_a_booking_takes_the_first_seat_logs_and_sends_the_code(booking, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appt = book(booking, slot(), note="带老人证")
    assert appt.state == AppointmentState.BOOKED and appt.seat == 1
    assert appt.ends_at - appt.starts_at == timedelta(minutes=30)
    assert len(appt.code) == 8 and not set(appt.code) & set("01OIL")
    assert appt.phone == PHONE and Appointment.objects.get(phone_hash__in=services.crypto.lookup_hashes(PHONE)) == appt
    step = appt.transitions.get()
    assert (step.action, step.from_state, step.to_state, step.actor_label) == ("book", "", "booked", "submitter")
    assert outbox == [(PHONE, outbox[0][1])] and appt.code in outbox[0][1] and booking.place.name in outbox[0][1]
    second = book(booking, slot(), phone="13900000002")
    assert second.seat == 2


def test_a_full_slot_is_refused(booking):
    book(booking, slot(), phone="13900000001")
    book(booking, slot(), phone="13900000002")
    e = refused(lambda: book(booking, slot(), phone="13900000003"), _("This slot is fully booked."), error=Conflict)
    assert e.code == "slot_full"
    assert slot() not in [s.starts_at for s in
                          selectors.available_slots(booking.place, booking.item, slot().date())]


def test_a_cancelled_seat_is_free_again(booking):
    book(booking, slot(), phone="13900000001")
    gone = book(booking, slot(), phone="13900000002")
    services.cancel_appointment(gone, actor=services.SUBMITTER)
    again = book(booking, slot(), phone="13900000003")
    assert again.seat == 2


def test_the_offer_capacity_wins_over_the_default(street):
    b = make_booking(street)
    b.item.offers.update(capacity=1)
    book(b, slot(), phone="13900000001")
    refused(lambda: book(b, slot(), phone="13900000002"), _("This slot is fully booked."), error=Conflict)


def test_past_too_soon_and_too_far_are_refused(booking):
    now = slot(days=1, hour=9)
    refused(lambda: book(booking, slot(days=1, hour=9), now=now + timedelta(minutes=1)),
            _("This time has already passed."))
    refused(lambda: book(booking, slot(days=1, hour=10), now=now), _("Book at least %(hours)s hours ahead.") % {
        "hours": 2})
    refused(lambda: book(booking, slot(days=16, hour=10), now=now), _("Book at most %(days)s days ahead.") % {
        "days": 14})
    assert book(booking, slot(days=15, hour=10), now=now).pk  # the 14th day ahead is still fine


def test_a_closed_day_a_holiday_and_a_make_up_day(street):
    b = make_booking(street)
    b.place.working_plans.filter(weekday__gte=5).delete()  # closed at weekends
    day = slot(days=3).date()
    saturday = day + timedelta(days=(5 - day.weekday()) % 7)
    refused(lambda: book(b, at(saturday, 10)), _("The place is closed on this day."))
    CalendarDay.objects.create(date=saturday, is_working=True, note="调休")  # a make-up day: Monday's plan
    assert book(b, at(saturday, 10)).pk
    monday = saturday + timedelta(days=2)
    CalendarDay.objects.create(date=monday, is_working=False, note="国庆")
    refused(lambda: book(b, at(monday, 10)), _("The place is closed on this day (a holiday)."))
    assert selectors.available_slots(b.place, b.item, monday) == []


def test_off_the_grid_in_the_break_or_after_hours_is_refused(booking):
    message = _("Choose one of the slots offered: this time is outside the opening hours or off the slot grid.")
    for hour, minute in ((10, 10), (12, 0), (11, 30), (16, 45), (8, 30)):
        refused(lambda h=hour, m=minute: book(booking, slot(hour=h, minute=m)), message)
    assert book(booking, slot(hour=11, minute=0)).pk  # 11:00–11:30 ends when the break starts
    assert book(booking, slot(hour=16, minute=30)).pk


def test_an_item_not_offered_or_not_bookable_is_refused(booking):
    other = f.item("护照办理", bookable=True)
    refused(lambda: book(booking, slot(), item=other), _("This place does not offer this item."))
    counter_only = f.item("居住证签注", bookable=False)
    f.offer(booking.place, counter_only)
    refused(lambda: book(booking, slot(), item=counter_only), _("This item cannot be booked online."))
    booking.item.offers.update(active=False)
    refused(lambda: book(booking, slot()), _("This place does not offer this item."))


def test_a_fourth_booking_from_one_phone_is_refused(booking):
    for hour in (9, 10, 14):
        book(booking, slot(hour=hour))
    refused(lambda: book(booking, slot(hour=15)),
            _("This phone number already holds %(n)s booked appointments: cancel one first.") % {"n": 3})
    assert book(booking, slot(hour=15), phone="13900000009").pk  # another phone still may


def test_the_phone_must_be_the_one_the_sms_code_proved(booking):
    refused(lambda: services.book_appointment(booking.place, item=booking.item, starts_at=slot(), name="王阿姨",
                                              phone=PHONE, proven_phone="13900000000"),
            _("Confirm this phone number with an SMS code first."))
    e = refused(lambda: services.book_appointment(booking.place, item=booking.item, starts_at=slot(), name=" ",
                                                  phone=PHONE, proven_phone=PHONE), _("Please correct the errors below."))
    assert "name" in e.field_errors
