"""Authorization-test fixtures of the catalogue part (see gongzhi.core.authz), written through the catalogue
services: a category (``service_category``), a city-wide item and an item of area A (``service_item``, the
matrix's target, which later parts offer and open cases for); in each zone an own item of the zone's area, its
texts carrying the zone's mark (the catalogue is public: nothing in it is private)."""

from __future__ import annotations

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.services.models import ServiceLevel
from gongzhi.services.services import catalogue as services


def build(world) -> dict:
    category = services.create_category(actor=SYSTEM, code="AZ-social", name="社会保障")
    city = services.create_item(actor=SYSTEM, code="AZ-CITY-1", name="居民医保参保登记", category=category,
                                time_limit_days=5, bookable=True, materials=["身份证", "户口簿（可选）"])
    own = services.create_item(actor=SYSTEM, code="AZ-AREA-A", name="梧桐居民区老年助餐登记", category=category,
                               level=ServiceLevel.AREA, region=world.objects["area_a"], materials=["身份证"])
    made = {"service_category": category, "service_item_city": city, "service_item": own}
    for zone in ZONES:
        made[f"service_item@{zone}"] = services.create_item(
            actor=SYSTEM, code=world.code(zone, "SI"), name=world.mark(zone, "服务事项"), category=category,
            level=ServiceLevel.AREA, region=world.area(zone), keywords=world.mark(zone, "关键词"),
            legal_basis=world.mark(zone, "依据"), description=world.mark(zone, "说明"),
            materials=[world.mark(zone, "材料")])
    return made
