"""After booking: the resident cancels or reschedules with the code and the last four digits (wrong tries lock
the code), a station worker checks in on the day, the tick sends one reminder and marks no-shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.errors import Conflict, Forbidden, NotFound, NothingChanged, ValidationFailed
from gongzhi.core.workflow import SUBMITTER, SYSTEM
from gongzhi.services.models import Appointment
from gongzhi.services.services import appointments as services
from gongzhi.services.workflow import AppointmentState
from tests.services import appointments_world as w
from tests.services.appointments_world import slot

booking, outbox = w.booking, w.outbox  # fixtures
PHONE = "13912345678"


def book(b, starts_at, phone=PHONE, **kw):
    return services.book_appointment(b.place, item=b.item, starts_at=starts_at, name="王阿姨", phone=phone,
                                     proven_phone=phone, **kw)


def past(b, starts_at, phone=PHONE):
    """A booked appointment at `starts_at` (even today or past: written as the demo writes its history)."""
    row = services.PastAppointment(place=b.place, item=b.item, starts_at=starts_at,
                                   ends_at=starts_at + timedelta(minutes=30), name="李先生", phone=phone,
                                   booked_at=starts_at - timedelta(days=3))
    services.import_appointments([row], actor=SYSTEM)
    return Appointment.objects.get(place=b.place, starts_at=starts_at)


def test_the_code_and_last_four_digits_open_a_booking_and_wrong_tries_lock_it(booking):
    appt = book(booking, slot())
    assert services.access_by_code(appt.code.lower(), "5678") == appt
    with pytest.raises(NotFound):
        services.access_by_code(appt.code, "0000")
    with pytest.raises(NotFound):
        services.access_by_code("ZZZZZZZZ", "5678")
    for _i in range(services.CODE_TRIES - 2):
        with pytest.raises(NotFound):
            services.access_by_code(appt.code, "1111")
    with pytest.raises(services.BookingCodeLocked):
        services.access_by_code(appt.code, "5678")  # locked even with the right digits


def test_the_resident_cancels_and_the_seat_and_sms_follow(booking, outbox, django_capture_on_commit_callbacks):
    appt = book(booking, slot())
    with django_capture_on_commit_callbacks(execute=True):
        done = services.cancel_appointment(services.access_by_code(appt.code, "5678"), actor=SUBMITTER)
    assert done.state == AppointmentState.CANCELLED
    assert [s.action for s in done.transitions.all()] == ["book", "cancel"]
    assert outbox[-1][0] == PHONE and appt.code in outbox[-1][1]
    with pytest.raises(Conflict):
        services.cancel_appointment(done, actor=SUBMITTER)


def test_reschedule_rechecks_the_rules_but_not_the_count_per_phone(street, booking):
    first = book(booking, slot(hour=9))
    book(booking, slot(hour=10))
    book(booking, slot(hour=14))  # the phone holds its three bookings
    moved = services.reschedule_appointment(first, actor=SUBMITTER, starts_at=slot(days=4, hour=15))
    assert (moved.starts_at, moved.ends_at, moved.seat) == (slot(days=4, hour=15), slot(days=4, hour=15, minute=30), 1)
    step = moved.transitions.last()
    assert step.action == "reschedule" and step.to_state == "booked" and step.extra["to"]
    with pytest.raises(ValidationFailed) as e:
        services.reschedule_appointment(moved, actor=SUBMITTER, starts_at=slot(days=4, hour=12))  # the break
    assert "starts_at" in e.value.field_errors
    with pytest.raises(NothingChanged):
        services.reschedule_appointment(moved, actor=SUBMITTER, starts_at=slot(days=4, hour=15))
    book(booking, slot(days=5, hour=9), phone="13900000001")
    book(booking, slot(days=5, hour=9), phone="13900000002")
    with pytest.raises(Conflict) as e:
        services.reschedule_appointment(moved, actor=SUBMITTER, starts_at=slot(days=5, hour=9))
    assert e.value.message == _("This slot is fully booked.")
    assert Appointment.objects.get(pk=moved.pk).starts_at == slot(days=4, hour=15)


def test_a_station_worker_checks_in_on_the_day_only(street, people, booking):
    later = book(booking, slot())
    today = past(booking, slot(days=0, hour=9))
    with pytest.raises(NotFound):
        services.check_in(today, actor=people.outsider)  # area B's secretary: not in scope
    with pytest.raises(NotFound):
        services.check_in(today, actor=people.colleague)  # the grid leader has no services right
    with pytest.raises(Conflict) as e:
        services.check_in(later, actor=people.insider)
    assert e.value.code == "not_today"
    done = services.check_in(today, actor=people.insider)
    assert done.state == AppointmentState.CHECKED_IN and done.checked_in_at
    assert done.transitions.last().actor == people.insider


def test_a_district_viewer_sees_but_may_not_check_in(street, booking):
    from tests import factories

    viewer = factories.user("viewer", "district_viewer", street.district)
    today = past(booking, slot(days=0, hour=9))
    with pytest.raises(Forbidden):
        services.check_in(today, actor=viewer)


def test_the_tick_reminds_once_and_marks_no_shows(booking, outbox, django_capture_on_commit_callbacks):
    now = timezone.now()
    soon = book(booking, slot(days=1, hour=10), now=now - timedelta(days=1))
    far = book(booking, slot(days=3, hour=10), phone="13900000001")
    gone = past(booking, slot(days=-1, hour=9), phone="13900000002")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(slot(days=0, hour=11)) == 1
        assert services.send_reminders(slot(days=0, hour=11, minute=5)) == 0  # idempotent
    assert [m for m in outbox if soon.code in m[1]] == [(PHONE, outbox[-1][1])]
    assert booking.place.name in outbox[-1][1] and "10:00" in outbox[-1][1]
    assert Appointment.objects.get(pk=soon.pk).reminded_at is not None
    assert Appointment.objects.get(pk=far.pk).reminded_at is None
    assert services.mark_no_shows(slot(days=-1, hour=9, minute=59)) == 0  # ended 29 minutes ago
    assert services.mark_no_shows(slot(days=-1, hour=10, minute=1)) == 1
    gone.refresh_from_db()
    assert gone.state == AppointmentState.NO_SHOW and gone.transitions.last().actor_label == "system"
    assert Appointment.objects.get(pk=soon.pk).state == AppointmentState.BOOKED


def test_the_command_runs_both(booking, outbox):
    gone = past(booking, timezone.now() - timedelta(hours=2))
    call_command("appointments_tick")
    gone.refresh_from_db()
    assert gone.state == AppointmentState.NO_SHOW


def test_import_is_all_or_nothing_and_system_only(booking):
    start = slot(days=-10, hour=9)
    good = services.PastAppointment(place=booking.place, item=booking.item, starts_at=start,
                                    ends_at=start + timedelta(minutes=30), name="甲", phone=PHONE,
                                    booked_at=start - timedelta(days=2),
                                    steps=[("check_in", start), ("serve", start + timedelta(minutes=10))])
    bad = services.PastAppointment(place=booking.place, item=booking.item, starts_at=start,
                                   ends_at=start + timedelta(minutes=30), name="乙", phone=PHONE,
                                   booked_at=start - timedelta(days=2), steps=[("serve", start)])
    with pytest.raises(ValidationFailed):
        services.import_appointments([good, bad], actor=SYSTEM)
    assert not Appointment.objects.exists()
    with pytest.raises(Forbidden):
        services.import_appointments([good], actor=SUBMITTER)
    assert services.import_appointments([good], actor=SYSTEM) == 1
    made = Appointment.objects.get()
    assert made.state == AppointmentState.SERVED and made.checked_in_at == start
    assert [(s.action, s.created_at) for s in made.transitions.all()] == [
        ("book", start - timedelta(days=2)), ("check_in", start), ("serve", start + timedelta(minutes=10))]
    assert made.history.count() == 1
