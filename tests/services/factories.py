"""Factories of doorstep services on the factories' street: a category and an item with its checklist, a station
of area A (and of area B), an offer with a working plan and booking rules."""

from datetime import time, timedelta

from django.utils import timezone

from gongzhi.registry.models import ServicePlace, ServicePlaceKind
from gongzhi.services.models import (
    Appointment,
    BookingRules,
    Case,
    Offer,
    ServiceCategory,
    ServiceItem,
    ServiceMaterial,
    WorkingPlan,
)
from tests import factories


def category(code: str = "social", name: str = "社会保障") -> ServiceCategory:
    return ServiceCategory.objects.get_or_create(code=code, defaults={"name": name})[0]


def item(name: str = "居民医保参保登记", *, code: str | None = None, materials=("身份证", "户口簿"), **kw) -> ServiceItem:
    kw.setdefault("category", category())
    kw.setdefault("time_limit_days", 5)
    made = ServiceItem.objects.create(code=code or f"SI{factories.seq()}", name=name, **kw)
    for i, m in enumerate(materials):
        ServiceMaterial.objects.create(item=made, name=m, position=i)
    return made


def place(region, name: str | None = None, **kw) -> ServicePlace:
    n = factories.seq()
    return ServicePlace.objects.create(code=f"SP{n}", name=name or f"家门口服务站{n}", region=region,
                                       kind=kw.pop("kind", ServicePlaceKind.STATION), **kw)


def open_place(place_, *, weekdays=range(7), opens=time(9), closes=time(17), **rules) -> ServicePlace:
    """Opening hours every day by default (tests must not depend on today's weekday) and booking rules."""
    for d in weekdays:
        WorkingPlan.objects.create(place=place_, weekday=d, opens_at=opens, closes_at=closes,
                                   break_starts_at=time(11, 30), break_ends_at=time(13))
    BookingRules.objects.create(place=place_, **rules)
    return place_


def offer(place_, item_, **kw) -> Offer:
    return Offer.objects.create(place=place_, item=item_, **kw)


def case(street, state: str = "accepted", **kw) -> Case:
    kw.setdefault("place", place(street.area_a))
    kw.setdefault("item", item())
    return Case.objects.create(code=f"C{factories.seq():08d}", state=state, applicant_name="王阿姨",
                               applicant_phone="13800138000", **kw)


def appointment(street, state: str = "booked", **kw) -> Appointment:
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    kw.setdefault("place", place(street.area_a))
    kw.setdefault("item", item(bookable=True))
    return Appointment.objects.create(code=f"A{factories.seq():07d}", state=state, starts_at=start,
                                      ends_at=start + timedelta(minutes=30), name="李先生", phone="13900139000", **kw)
