"""Demo offers of the 1+16 service places, written through the offers services (bulk per place):

* the centre offers every active item visible to the street (the city-wide catalogue and the street's own items);
* each area station offers 40–120 items: its own area's items, then residents' items drawn at random;
* the building stations offer the office workers' list (seed 002: a park station's list from white-collar needs)
  and city-wide items; the first handles every active city-wide item, 80+ in 10 categories (seed 000);
* working plans Monday–Friday 9:00–17:00 with a break 11:30–13:00, the centre and some stations Saturday mornings
  too; booking rules of 30-minute slots with 2–3 seats;
* the roster: each area's secretary at the stations of the area on weekdays, the sub-district's "street" at the
  centre (and at a building station no secretary covers).

Items come from the catalogue part (ctx.extra["services"]["items"], in code order)."""

from __future__ import annotations

from datetime import time

from gongzhi.core.workflow import SYSTEM
from gongzhi.registry.models import ServicePlaceKind
from gongzhi.services.models import ServiceItem
from gongzhi.services.policies.offers import may_be_on_duty
from gongzhi.services.selectors.offers import region_prefixes
from gongzhi.services.services import offers as services

WEEKDAY = {"opens_at": time(9), "closes_at": time(17), "break_starts_at": time(11, 30), "break_ends_at": time(13)}
SATURDAY = {"opens_at": time(9), "closes_at": time(12)}
POSTS = ("综合受理窗口", "社保医保窗口", "党群服务窗口", "助老服务窗口", "远程帮办")


def _items(ctx) -> list[ServiceItem]:
    items = (ctx.extra.get("services") or {}).get("items")
    if items is None:
        items = list(ServiceItem.objects.filter(active=True).select_related("region").order_by("code"))
    return [i for i in items if i.active]


def _visible(place, items) -> list[ServiceItem]:
    paths = set(region_prefixes(place.region.path))
    return [i for i in items if i.region_id is None or i.region.path in paths]


def _choose(ctx, place, items: list[ServiceItem], building_index: int | None) -> list[ServiceItem]:
    rng, visible = ctx.rng, _visible(place, items)
    if place.kind == ServicePlaceKind.CENTRE:
        return visible
    if building_index is not None:  # a building station: office workers first, then city-wide items
        office = [i for i in visible if i.for_office_workers]
        city = [i for i in visible if i.region_id is None and i not in office]
        if building_index == 0:  # seed 000: every city-wide item (80+ in 10 categories)
            return (city + office)[:max(120, len(city))]
        wanted = rng.randint(60, 110)
        return office + rng.sample(city, max(0, min(len(city), wanted - len(office))))
    own = [i for i in visible if i.region_id == place.region_id]
    rest = [i for i in visible if i not in own and i.for_residents]
    wanted = rng.randint(40, 120)
    return own[:wanted] + rng.sample(rest, max(0, min(len(rest), wanted - len(own))))


def _staff(ctx, place) -> list:
    """The secretaries who may serve at the place (their area covers it), else the sub-district's "street"."""
    secretaries = [u for name, u in sorted(ctx.users.items()) if name.startswith("secretary")]
    found = [u for u in secretaries if may_be_on_duty(u, place)]
    street = ctx.users.get("street")
    return found or ([street] if street is not None and may_be_on_duty(street, place) else [])


def seed(ctx) -> None:
    rng, items = ctx.rng, _items(ctx)
    buildings = 0
    for place in ctx.service_places:
        building_index = None
        if place.kind == ServicePlaceKind.STATION and place.building_id:
            building_index, buildings = buildings, buildings + 1
        if items:
            services.offer_items(place, actor=SYSTEM, items=_choose(ctx, place, items, building_index))
        days = dict.fromkeys(range(5), WEEKDAY)
        if place.kind == ServicePlaceKind.CENTRE or (building_index is None and rng.random() < 0.4):
            days[5] = SATURDAY
        services.set_working_plan(place, actor=SYSTEM, days=days)
        services.set_booking_rules(place, actor=SYSTEM, slot_minutes=30, capacity=rng.choice((2, 3)))
        staff = _staff(ctx, place)
        if place.kind == ServicePlaceKind.CENTRE and ctx.users.get("street") is not None:
            staff = [ctx.users["street"]]
        duties = [(u, d, POSTS[(n + d) % len(POSTS)]) for n, u in enumerate(staff) for d in days]
        services.set_duty_roster(place, actor=SYSTEM, duties=duties)
