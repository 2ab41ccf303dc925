"""Authorization-test fixtures of the appointments part (see gongzhi.core.authz): a bookable item offered at the
registry's station of area A (``place_a``) with booking rules, and today's booked appointment there,
``appointment_a``; in each zone the same at the zone's station, the resident's name and note carrying the zone's
private mark (no page but the staff's in scope may show them, and those masked)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.services.models import BookingRules, Offer, ServiceCategory, ServiceItem, WorkingPlan
from gongzhi.services.services import appointments as services


def _open(place, item) -> None:
    if not BookingRules.objects.filter(place=place).exists():
        BookingRules.objects.create(place=place)
    for day in range(7):
        WorkingPlan.objects.get_or_create(place=place, weekday=day, defaults={"opens_at": time(9),
                                                                             "closes_at": time(17)})
    Offer.objects.get_or_create(place=place, item=item)


def _appointment(place, item, *, name: str, note: str, hour: int):
    start = datetime.combine(timezone.localdate(), time(hour), tzinfo=timezone.get_current_timezone())
    row = services.PastAppointment(place=place, item=item, starts_at=start, ends_at=start + timedelta(minutes=30),
                                   name=name, phone="13900000123", booked_at=start - timedelta(days=2), note=note)
    services.import_appointments([row], actor=SYSTEM)
    return place.appointments.get(starts_at=start, name=name)


def build(world) -> dict:
    category, _new = ServiceCategory.objects.get_or_create(code="authz-appt", defaults={"name": "预约测试"})
    item, _new = ServiceItem.objects.get_or_create(code="authz-appt-item", defaults={
        "name": "老年综合津贴申请", "category": category, "bookable": True})
    place = world["place_a"]
    _open(place, item)
    made = {"appointment_a": _appointment(place, item, name="王阿姨", note="带老人证", hour=10)}
    for zone in ZONES:
        other = world.objects.get(f"place_a@{zone}")
        if other is None:
            continue
        _open(other, item)
        made[f"appointment_a@{zone}"] = _appointment(
            other, item, name=world.mark(zone, "李", private=True), note=world.mark(zone, "备注", private=True),
            hour=11)
    return made
