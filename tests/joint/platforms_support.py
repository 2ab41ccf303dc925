"""Shared set-up of the platforms part's tests: the factories' street with its sub-district platform."""

from datetime import date

from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.models import MemberRole, PlatformLevel
from gongzhi.joint.services import platforms as services

DAY = date(2024, 1, 1)


def street_platform(street, **kw):
    """The street's sub-district platform, convened by its working committee, with area A and unit A as members."""
    platform = services.create_platform(actor=SYSTEM, name=kw.pop("name", "示范街道区域化党建联席会议"),
                                        brand="同心家园", level=PlatformLevel.SUBDISTRICT, region=street.subdistrict,
                                        convener_org=street.org_a.parent, **kw)
    services.add_member(platform, actor=SYSTEM, party_org=street.org_a.parent, role=MemberRole.CONVENER,
                        joined_on=DAY)
    services.add_member(platform, actor=SYSTEM, area=street.area_a, joined_on=DAY)
    services.add_member(platform, actor=SYSTEM, member_unit=street.unit_a, joined_on=DAY)
    return platform
