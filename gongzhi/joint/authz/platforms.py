"""Authorization-test fixtures of the platforms part (see gongzhi.core.authz and gongzhi.joint.authz).

In scope: the street's sub-district platform ("platform", which the later parts use) with area A, unit A and area
A's organization as members, a professional committee with a member, and a post in area A's organization
("post_a"). Out of scope, with the zone's mark in every text: a thematic platform of the sub-district in zone b
(the sub-district's staff see it, no residential area's secretary does), a platform of the other sub-district in
zone x with a member, a committee and a committee member, and in every zone a post of the zone's organization
held by a named person (private mark)."""

from datetime import date

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.models import MemberRole, PlatformKind, PlatformLevel, PostKind
from gongzhi.joint.services import platforms as services

DAY = date(2024, 1, 1)


def build(world) -> dict:
    platform = services.create_platform(actor=SYSTEM, name="示范街道区域化党建联席会议", brand="同心家园",
                                        level=PlatformLevel.SUBDISTRICT, region=world["subdistrict"],
                                        convener_org=world["org_a"].parent, remit="区域化党建")
    services.add_member(platform, actor=SYSTEM, party_org=world["org_a"].parent, role=MemberRole.CONVENER,
                        joined_on=DAY)
    services.add_member(platform, actor=SYSTEM, area=world["area_a"], joined_on=DAY)
    member = services.add_member(platform, actor=SYSTEM, member_unit=world["unit_a"], joined_on=DAY)
    committee = services.create_committee(platform, actor=SYSTEM, name="商圈发展专业委员会", remit="服务企业")
    committee_member = services.add_committee_member(committee, actor=SYSTEM, member_unit=world["unit_a"],
                                                     title="主任委员", joined_on=DAY)
    post = services.appoint(world["org_a"], actor=SYSTEM, kind=PostKind.SECRETARY, party_member=world["member_a"],
                            starts_on=DAY)
    made = {"platform": platform, "platform_member": member, "platform_committee": committee,
            "platform_committee_member": committee_member, "post_a": post}
    for zone in ZONES:
        def mark(label, private=False, zone=zone):
            return world.mark(zone, label, private)

        made[f"post_a@{zone}"] = services.appoint(
            world[f"org_a@{zone}"], actor=SYSTEM, kind=PostKind.DEPUTY_SECRETARY, is_part_time=True,
            person_name=mark("民警", True), unit=world[f"unit_a@{zone}"], starts_on=DAY, note=mark("兼职副书记"))
    made["platform@b"] = services.create_platform(
        actor=SYSTEM, name=world.mark("b", "文化平台"), brand=world.mark("b", "品牌"), level=PlatformLevel.SUBDISTRICT,
        kind=PlatformKind.THEMATIC, region=world["subdistrict"], remit=world.mark("b", "职责"))
    other = services.create_platform(
        actor=SYSTEM, name=world.mark("x", "联席会议"), brand=world.mark("x", "品牌"), level=PlatformLevel.SUBDISTRICT,
        region=world.subdistrict("x"), remit=world.mark("x", "职责"))
    x_committee = services.create_committee(other, actor=SYSTEM, name=world.mark("x", "专委会"),
                                            remit=world.mark("x", "职责"))
    made |= {
        "platform@x": other,
        "platform_member@x": services.add_member(other, actor=SYSTEM, member_unit=world["unit_a@x"], joined_on=DAY),
        "platform_area@x": services.add_member(other, actor=SYSTEM, area=world.area("x"), joined_on=DAY),
        "platform_committee@x": x_committee,
        "platform_committee_member@x": services.add_committee_member(
            x_committee, actor=SYSTEM, person_name=world.mark("x", "委员", True), title=world.mark("x", "职务"),
            person_unit=world["unit_a@x"], joined_on=DAY),
    }
    return made
