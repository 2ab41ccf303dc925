"""The demo's appointments: two years of history with seasonality and final states, and the next week's bookings
(some today at the centre, for the workbench card), the same for the same seed; nothing without offers."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gongzhi.demo import SeedContext
from gongzhi.demo.services import appointments as demo
from gongzhi.registry.models import ServicePlaceKind
from gongzhi.services.models import Appointment
from gongzhi.services.workflow import AppointmentState as S
from tests.services import factories as f


def _context(street, *, offered=True):
    centre = f.open_place(f.place(street.subdistrict, name="梧桐街道党建服务中心", kind=ServicePlaceKind.CENTRE))
    station = f.open_place(f.place(street.area_a, name="梧桐居民区党群服务站"), weekdays=range(6))
    items = [f.item("老年综合津贴申请", code="demo-appt-1", bookable=True),
             f.item("居住证办理", code="demo-appt-2", bookable=True), f.item("医保咨询", code="demo-appt-3")]
    if offered:
        for place in (centre, station):
            for item in items:
                f.offer(place, item)
    return lambda: SeedContext(rng=random.Random(7), service_places=[centre, station])


def test_two_years_of_appointments_and_the_next_week(street):
    context = _context(street)
    demo.seed(context())
    today = timezone.localdate()
    past = Appointment.objects.filter(starts_at__lt=timezone.now() - timedelta(days=1))
    days = (today - timezone.localtime(past.order_by("starts_at").first().starts_at).date()).days
    assert 700 <= days <= 731
    assert 1500 < past.count() < 3500  # 3–6 a working day
    share = Counter(past.values_list("state", flat=True))
    assert 0.72 < share[S.SERVED] / past.count() < 0.9
    assert 0.05 < share[S.CANCELLED] / past.count() < 0.11 and 0.04 < share[S.NO_SHOW] / past.count() < 0.1
    assert not past.filter(state=S.BOOKED).exists()
    assert not past.exclude(item__code__in=["demo-appt-1", "demo-appt-2"]).exists()  # bookable items only
    by_month = Counter(timezone.localtime(a).month for a in past.values_list("starts_at", flat=True))
    assert by_month[3] + by_month[4] > 1.4 * (by_month[7] + by_month[8])
    assert by_month[9] + by_month[10] > by_month[8] * 2
    upcoming = Appointment.objects.filter(starts_at__date__gte=today)
    assert upcoming.exists() and set(upcoming.values_list("state", flat=True)) == {S.BOOKED}
    assert upcoming.filter(starts_at__date=today, place__kind=ServicePlaceKind.CENTRE).count() >= 3
    assert max(Counter(upcoming.values_list("phone_hash", flat=True)).values()) == 1
    served = past.filter(state=S.SERVED).first()
    assert [s.action for s in served.transitions.all()][-2:] == ["check_in", "serve"]
    first = sorted(Appointment.objects.values_list("code", "starts_at", "seat", "state"))
    with transaction.atomic():
        Appointment.objects.all().delete()
        demo.seed(context())
        assert sorted(Appointment.objects.values_list("code", "starts_at", "seat", "state")) == first
        transaction.set_rollback(True)


def test_nothing_without_an_offer(street):
    demo.seed(_context(street, offered=False)())
    assert not Appointment.objects.exists()
