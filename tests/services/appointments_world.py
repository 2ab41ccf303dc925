"""Fixtures of the appointments part's tests: a bookable item offered at an open station of area A (every day
9:00–17:00 with a break 11:30–13:00, 30-minute slots, two seats), the SMS outbox, and slot times."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from gongzhi.demands.notify import MemoryNotifier
from gongzhi.registry.models import ServicePlace
from gongzhi.services.models import ServiceItem
from tests.services import factories as f


@dataclass
class Booking:
    place: ServicePlace
    item: ServiceItem


def make_booking(street, **rules) -> Booking:
    rules.setdefault("min_notice_hours", 2)
    rules.setdefault("max_advance_days", 14)
    rules.setdefault("max_per_phone", 3)
    rules.setdefault("capacity", 2)
    place = f.open_place(f.place(street.area_a, name="梧桐家门口服务站"), **rules)
    item = f.item("老年综合津贴申请", bookable=True)
    f.offer(place, item)
    return Booking(place, item)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def slot(days: int = 3, hour: int = 10, minute: int = 0) -> datetime:
    return at(timezone.localdate() + timedelta(days=days), hour, minute)


def sms_code(outbox, phone: str) -> str:
    sent_to, text = [m for m in outbox if m[0] == phone][-1]
    return re.search(r"\d{6}", text).group(0)


@pytest.fixture
def booking(street) -> Booking:
    return make_booking(street)


@pytest.fixture
def outbox(settings):
    settings.GONGZHI_SMS_BACKEND = "gongzhi.demands.notify.MemoryNotifier"
    MemoryNotifier.outbox.clear()
    yield MemoryNotifier.outbox
    MemoryNotifier.outbox.clear()
