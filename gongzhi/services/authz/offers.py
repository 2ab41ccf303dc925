"""Authorization-test fixtures of the offers part (see gongzhi.core.authz): area A's place (the registry's
``place_a``) offers an item, with a working plan, booking rules and area A's secretary on its roster
(``service_offer``); in each zone the registry's place of that zone offers the city-wide item with a marked note
(``service_offer@<zone>``) and, where a secretary may serve there, has a marked post on its roster."""

from datetime import time

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.services.services import offers as services

HOURS = {"opens_at": time(9), "closes_at": time(17), "break_starts_at": time(11, 30), "break_ends_at": time(13)}


def _items(world):
    """The catalogue part's items (city-wide, and area A's own), or one of ours until that part is merged."""
    city = world.objects.get("service_item_city")
    if city is None:
        from tests.services import factories  # the catalogue part's fixtures are not there: a plain item

        city = factories.item("居民医保参保登记", code="AZ-OFFERS-CITY")
    return city, world.objects.get("service_item", city)


def build(world) -> dict:
    city, own = _items(world)
    place = world["place_a"]
    offer = services.offer_item(place, actor=SYSTEM, item=own, capacity=2, note="仅限工作日")
    services.set_working_plan(place, actor=SYSTEM, days=dict.fromkeys(range(7), HOURS))
    services.set_booking_rules(place, actor=SYSTEM, slot_minutes=30, capacity=3)
    services.set_duty_roster(place, actor=SYSTEM, duties=[(world.people.insider, d, "综合窗口") for d in range(5)])
    made = {"service_offer": offer}
    staff = {"a": world.people.insider, "b": world.people.outsider}
    for zone in ZONES:
        other = world[f"place_a@{zone}"]
        made[f"service_offer@{zone}"] = services.offer_item(other, actor=SYSTEM, item=city,
                                                            note=world.mark(zone, "说明"))
        services.set_working_plan(other, actor=SYSTEM, days={0: HOURS})
        if zone in staff:
            services.set_duty_roster(other, actor=SYSTEM, duties=[(staff[zone], 0, world.mark(zone, "岗位"))])
    return made
