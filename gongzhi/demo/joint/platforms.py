"""Demo of the platforms part: the district's joint meeting, the sub-district's "1+11+103+X" (seed 001: the
sub-district's working committee convenes, its 11 residential areas, its 103 co-building units and professional
committees), a thematic culture platform (like 002's 文化思南), and the posts of the six joint party committees
(seed 000: a firm's party head as secretary, the residential area's party secretary as part-time deputy) and of
two residential areas run as 大党委制 (seed 003: a community police officer as part-time deputy secretary, party
members of units as part-time committee members). Everything is written through the platforms services."""

from __future__ import annotations

from datetime import date

from gongzhi.core.workflow import SYSTEM
from gongzhi.demo.names import CBD_AREA_INDEX
from gongzhi.joint.models import MemberRole, PlatformKind, PlatformLevel, PostKind
from gongzhi.joint.services import platforms as services
from gongzhi.registry.models import (
    MemberUnit,
    MemberUnitKind,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    RegionKind,
)
from gongzhi.registry.services import import_records

UNITS = 103  # the "103" of 1+11+103+X
FOUNDED = date(2016, 3, 1)
CULTURE = ("社区文化活动中心", "图书馆", "文化促进会", "文体活动协会", "读书会", "小学", "中学")
COMMITTEES = (  # name, remit, unit kinds whose units sit on it
    ("商圈发展专业委员会", "服务楼宇企业，协调营商环境与商圈治理难题", (MemberUnitKind.ENTERPRISE,)),
    ("文化体育专业委员会", "整合文化、教育资源，组织文化配送和全民健身", (MemberUnitKind.SCHOOL,
                                                                 MemberUnitKind.PUBLIC_INSTITUTION)),
    ("平安建设专业委员会", "联防联控、消防安全、矛盾调处", (MemberUnitKind.GOVERNMENT_DEPARTMENT,)),
    ("为老服务专业委员会", "医养结合、助餐助医、为老志愿服务", (MemberUnitKind.HOSPITAL,
                                                        MemberUnitKind.SOCIAL_ORGANIZATION)),
)
EXTRA_UNITS = ("梧桐街道商圈联盟", "云锦文化创意园管理有限公司", "江畔酒店管理有限公司", "石榴巷商户自律会")


def seed(ctx) -> None:
    if ctx.subdistrict is None:
        return
    units = _units(ctx)
    working = PartyOrg.objects.filter(region=ctx.subdistrict, kind=PartyOrgKind.WORKING_COMMITTEE).first()
    district = services.create_platform(
        actor=SYSTEM, name=f"{ctx.district.name}区域化党建联席会议", brand="同心共建", level=PlatformLevel.DISTRICT,
        region=ctx.district, founded_on=date(2015, 6, 1),
        remit="统筹全区区域化党建，开展双向认领，协调区级职能部门解决街道层面难以解决的问题")
    street = services.create_platform(
        actor=SYSTEM, name=f"{ctx.subdistrict.name}区域化党建联席会议", brand="同心家园",
        level=PlatformLevel.SUBDISTRICT, region=ctx.subdistrict, parent=district, convener_org=working,
        founded_on=FOUNDED, remit="1个街道＋11个居委＋103家共建单位＋若干专业委员会，共商共建共治共享")
    _district_members(ctx, district, working, units)
    _street_members(ctx, street, working, units)
    _committees(ctx, street, units)
    _culture(ctx, working, units)
    _joint_committee_posts(ctx)
    _big_committees(ctx, units)
    ctx.extra["joint_platform"] = street
    ctx.extra["joint_district_platform"] = district


def _units(ctx) -> list[MemberUnit]:
    """The sub-district's co-building units; topped up with invented ones should the registry have fewer."""
    units = list(MemberUnit.objects.filter(region__path__startswith=ctx.subdistrict.path).order_by("code"))
    missing = UNITS - len(units)
    if missing > 0:
        extra = [MemberUnit(code=f"WT-J{k:03d}", name=EXTRA_UNITS[k % len(EXTRA_UNITS)] + ("" if k < len(EXTRA_UNITS)
                 else str(k)), kind=MemberUnitKind.ENTERPRISE, region=ctx.subdistrict, is_two_new=True,
                 in_joint_meeting=True, headcount=ctx.rng.randint(10, 200), joined_on=FOUNDED)
                 for k in range(missing)]
        units += import_records(extra, actor=SYSTEM, reason="demo seed")
    return units[:UNITS]


def _joined(ctx, unit) -> date:
    return max(unit.joined_on or FOUNDED, FOUNDED)


def _district_members(ctx, platform, working, units) -> None:
    if working is not None:
        services.add_member(platform, actor=SYSTEM, party_org=working, joined_on=date(2015, 6, 1))
    for unit in units:
        if unit.kind in (MemberUnitKind.HOSPITAL, MemberUnitKind.GOVERNMENT_DEPARTMENT):
            services.add_member(platform, actor=SYSTEM, member_unit=unit, joined_on=date(2015, 6, 1))


def _street_members(ctx, platform, working, units) -> None:
    if working is not None:
        services.add_member(platform, actor=SYSTEM, party_org=working, role=MemberRole.CONVENER, joined_on=FOUNDED)
    areas = ctx.areas or list(ctx.subdistrict.children.filter(kind=RegionKind.RESIDENTIAL_AREA))
    for area in areas:
        services.add_member(platform, actor=SYSTEM, area=area, joined_on=FOUNDED)
    for unit in units:
        services.add_member(platform, actor=SYSTEM, member_unit=unit, joined_on=_joined(ctx, unit))
    # one unit moved away in 2025: it left, and its row stays in the history
    gone = next((u for u in units if u.kind == MemberUnitKind.ENTERPRISE), None)
    if gone is not None:
        leaver = platform.members.get(member_unit=gone, left_on__isnull=True)
        services.leave_platform(leaver, actor=SYSTEM, left_on=date(2025, 6, 30))
        services.add_member(platform, actor=SYSTEM, member_unit=gone, joined_on=date(2026, 1, 1))


def _committees(ctx, platform, units) -> None:
    rng, names = ctx.rng, ctx.names
    for name, remit, kinds in COMMITTEES:
        committee = services.create_committee(platform, actor=SYSTEM, name=name, remit=remit,
                                              founded_on=date(2018, 5, 1))
        pool = [u for u in units if u.kind in kinds]
        for k, unit in enumerate(rng.sample(pool, min(len(pool), 6))):
            services.add_committee_member(committee, actor=SYSTEM, member_unit=unit,
                                          title="主任委员单位" if k == 0 else "委员单位", joined_on=date(2018, 5, 1))
        services.add_committee_member(committee, actor=SYSTEM, person_name=names.name(), title="顾问",
                                      person_unit=rng.choice(pool) if pool else None, joined_on=date(2020, 3, 1))


def _culture(ctx, working, units) -> None:
    platform = services.create_platform(
        actor=SYSTEM, name=f"{ctx.subdistrict.name}文化联盟", brand="文化梧桐", level=PlatformLevel.SUBDISTRICT,
        kind=PlatformKind.THEMATIC, region=ctx.subdistrict, convener_org=working, founded_on=date(2019, 9, 1),
        remit="整合辖区文化场馆、学校和文化类社会组织，开展文化配送、阅读推广和社区文艺活动")
    if working is not None:
        services.add_member(platform, actor=SYSTEM, party_org=working, role=MemberRole.CONVENER,
                            joined_on=date(2019, 9, 1))
    for unit in units:
        if any(word in unit.name for word in CULTURE):
            services.add_member(platform, actor=SYSTEM, member_unit=unit, joined_on=date(2019, 9, 1))
    services.create_committee(platform, actor=SYSTEM, name="阅读推广专业委员会", remit="图书分馆、读书会与学校共办阅读季")
    ctx.extra["joint_culture_platform"] = platform


def _joint_committee_posts(ctx) -> None:
    """Each 联合党委: its secretary (the biggest firm's party head), the CBD area's party secretary as part-time
    deputy, the other firms' heads as part-time committee members; the first two founded before 2023 changed
    secretary at the 2024 election."""
    area_secretary = _area_secretary(ctx, ctx.areas[CBD_AREA_INDEX] if len(ctx.areas) > CBD_AREA_INDEX else None)
    joint = PartyOrg.objects.filter(region__path__startswith=ctx.subdistrict.path,
                                    kind=PartyOrgKind.JOINT_COMMITTEE).select_related("secretary").order_by("code")
    joint = list(joint)
    changed = {o.pk for o in joint if (o.founded_on or date(2018, 1, 1)) < date(2023, 1, 1)}
    changed = set(sorted(changed)[:2])
    for org in joint:
        start = max(org.founded_on or date(2018, 1, 1), date(2018, 1, 1))
        members = [m for m in org.committee_members.order_by("pk") if m.pk not in (org.secretary_id,
                                                                                   getattr(area_secretary, "pk", None))]
        secretary = org.secretary
        if secretary is None:
            continue
        if org.pk in changed and members:  # an earlier secretary, whose term ended at the 2024 election
            previous = members.pop()
            services.appoint(org, actor=SYSTEM, kind=PostKind.SECRETARY, party_member=previous, starts_on=start,
                             ends_on=date(2023, 12, 31), note="2024年换届")
            start = date(2024, 1, 1)
        services.appoint(org, actor=SYSTEM, kind=PostKind.SECRETARY, party_member=secretary, starts_on=start,
                         note="楼宇企业党组织负责人")
        if area_secretary is not None:
            services.appoint(org, actor=SYSTEM, kind=PostKind.DEPUTY_SECRETARY, party_member=area_secretary,
                             is_part_time=True, starts_on=start, note="所在居民区党总支书记")
        for member in members[:4]:
            services.appoint(org, actor=SYSTEM, kind=PostKind.COMMITTEE_MEMBER, party_member=member,
                             is_part_time=True, starts_on=start, note="楼宇企业党组织负责人")


def _area_secretary(ctx, area):
    if area is None:
        return None
    org = PartyOrg.objects.filter(region=area, member_unit__isnull=True, kind__in=(
        PartyOrgKind.GENERAL_BRANCH, PartyOrgKind.BRANCH)).select_related("secretary").first()
    return org.secretary if org else None


def _big_committees(ctx, units) -> None:
    """Two residential areas' general branches as 大党委: the area's secretary, a community police officer as
    part-time deputy secretary, two party members working in units as part-time committee members."""
    police = next((u for u in units if u.kind == MemberUnitKind.GOVERNMENT_DEPARTMENT and "派出所" in u.name), None)
    branches = PartyOrg.objects.filter(region__path__startswith=ctx.subdistrict.path,
                                       kind=PartyOrgKind.GENERAL_BRANCH).select_related("secretary").order_by("code")
    for org in list(branches)[:2]:
        start = date(2023, 7, 1)
        if org.secretary_id:
            services.appoint(org, actor=SYSTEM, kind=PostKind.SECRETARY, party_member=org.secretary,
                             starts_on=date(2021, 7, 1))
        if police is not None:
            services.appoint(org, actor=SYSTEM, kind=PostKind.DEPUTY_SECRETARY, person_name=ctx.names.name(),
                             unit=police, is_part_time=True, starts_on=start, note="社区民警")
        working = PartyMember.objects.filter(registered_area=org.region, organization__member_unit__isnull=False
                                             ).order_by("pk")[:2]
        for member in working:
            services.appoint(org, actor=SYSTEM, kind=PostKind.COMMITTEE_MEMBER, party_member=member,
                             is_part_time=True, starts_on=start, note="社区单位党员骨干")
