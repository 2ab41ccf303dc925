"""No double booking: 50 residents book the last seat of a slot at the same moment, each in its own thread and
database connection; exactly one gets it, the 49 others are told the slot is full, and nothing else is written.
Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext as _

from gongzhi.core.errors import Conflict
from gongzhi.demands.notify import MemoryNotifier
from gongzhi.services.models import Appointment, AppointmentTransition
from gongzhi.services.services import appointments as services
from gongzhi.services.workflow import AppointmentState
from tests import factories
from tests.concurrency import run_at_once
from tests.services.appointments_world import make_booking, slot

N = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_bookings_of_the_last_seat_give_exactly_one(settings):
    settings.GONGZHI_SMS_BACKEND = "gongzhi.demands.notify.MemoryNotifier"
    MemoryNotifier.outbox.clear()
    b = make_booking(factories.street(), capacity=3, max_per_phone=1)
    when = slot(days=2, hour=10)
    for phone in ("13800000001", "13800000002"):  # two of the three seats are taken
        services.book_appointment(b.place, item=b.item, starts_at=when, name="先到", phone=phone, proven_phone=phone)
    phones = [f"139{i:08d}" for i in range(N)]
    results = run_at_once([
        (lambda p=p: services.book_appointment(b.place, item=b.item, starts_at=when, name="居民", phone=p,
                                               proven_phone=p)) for p in phones])
    won = [r for r in results if isinstance(r, Appointment)]
    lost = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 1 and len(lost) == N - 1, [r for r in results if not isinstance(r, Appointment | Conflict)]
    assert {e.message for e in lost} == {_("This slot is fully booked.")} and {e.code for e in lost} == {"slot_full"}
    held = Appointment.objects.filter(place=b.place, starts_at=when)
    assert sorted(held.values_list("seat", flat=True)) == [1, 2, 3]
    assert held.get(seat=3) == won[0] and won[0].state == AppointmentState.BOOKED
    assert Appointment.objects.count() == 3 and AppointmentTransition.objects.count() == 3
    assert [m[0] for m in MemoryNotifier.outbox].count(won[0].phone) == 1  # only the winner hears
    assert len(MemoryNotifier.outbox) == 3
    MemoryNotifier.outbox.clear()


@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_from_one_phone_keep_its_limit(settings):
    """Ten bookings from one phone at once, with room in the slot for all and a limit of two per phone: two are
    booked, eight are told the phone holds two already (the count is taken again under the phone's lock)."""
    from gongzhi.core.errors import ValidationFailed

    settings.GONGZHI_SMS_BACKEND = "gongzhi.demands.notify.MemoryNotifier"
    b = make_booking(factories.street(), capacity=20, max_per_phone=2)
    when, phone = slot(days=2, hour=10), "13912345678"
    results = run_at_once([
        (lambda: services.book_appointment(b.place, item=b.item, starts_at=when, name="居民", phone=phone,
                                           proven_phone=phone)) for _i in range(10)])
    won = [r for r in results if isinstance(r, Appointment)]
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(won) == 2 and len(refused) == 8, results
    assert {tuple(e.field_errors) for e in refused} == {("phone",)}
    assert Appointment.objects.filter(state=AppointmentState.BOOKED).count() == 2
    assert AppointmentTransition.objects.count() == 2
