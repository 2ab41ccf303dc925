"""Authorization-test fixtures of the district part (see gongzhi.core.authz), written through the services: the
district platform over the factories' district, the sub-district's campaign under it (the matrix's link), and zone
x's campaign (another sub-district of the same district) under it too, its texts carrying the zone's mark (the
matching app builds its own fixtures after this app, so the campaigns here are this part's own)."""

from datetime import date

from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.services import district as services
from gongzhi.matching import services as matching


def _campaign(subdistrict, name: str, description: str = ""):
    return matching.create_campaign(actor=SYSTEM, name=name, description=description, year=2026,
                                    subdistrict=subdistrict, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))


def build(world) -> dict:
    platform = services.create_district_platform(actor=SYSTEM, region=world["district"], name="示范区区域化党建联席会议",
                                                 brand="区域共建")
    link = services.link_campaign(_campaign(world["subdistrict"], "2026区级双向认领"), actor=SYSTEM,
                                  platform_id=platform.pk)
    services.link_campaign(_campaign(world.subdistrict("x"), world.mark("x", "外街道认领"), world.mark("x", "说明")),
                           actor=SYSTEM, platform_id=platform.pk)
    return {"district_platform": platform, "district_link_a": link}
