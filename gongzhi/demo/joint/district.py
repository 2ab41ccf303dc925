"""Demo of the district part: the district joint meeting's two-way matching over 10 sub-districts (seed 002:
Huangpu's district joint meeting ran 1,712 matching projects in a year). The demo street's yearly campaign, and
nine light invented sub-districts of the demo district (regions only, no areas or units of their own), each
with a small campaign (a few resources, needs and
projects at every stage), all under the district platform. Written through the registry, matching and joint
services."""

from __future__ import annotations

from datetime import date

from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.services import district as services
from gongzhi.matching import services as matching
from gongzhi.matching.workflow import ProjectAction
from gongzhi.registry.models import MemberUnitKind, Region, RegionKind
from gongzhi.registry.services import import_records

REASON = "demo seed"
OTHERS = ("外滩", "南京东路", "豫园", "老西门", "小东门", "半淞园路", "五里桥", "打浦桥", "淮海中路")
PAIRS = (  # (resource category, its title, need category, its title)
    ("medical", "社区医院义诊", "health", "老人健康体检"),
    ("legal", "律所公益法律咨询", "legal_aid", "居民法律援助"),
    ("volunteer", "白领志愿者陪伴", "elderly_care", "独居老人探访"),
    ("training", "企业技能培训", "employment", "失业人员再就业培训"),
    ("venue", "会议室共享", "community_event", "居民议事活动场地"),
)
# each sub-district's projects: the last steps they reach (None: still proposed)
STAGES = (None, ProjectAction.AGREE, ProjectAction.START, ProjectAction.COMPLETE, ProjectAction.COMPLETE)
PROVIDER_KINDS = (MemberUnitKind.HOSPITAL, MemberUnitKind.PUBLIC_INSTITUTION, MemberUnitKind.SOCIAL_ORGANIZATION)
PATH = (ProjectAction.AGREE, ProjectAction.START, ProjectAction.COMPLETE)


def _platform(ctx):
    platform = ctx.extra.get("joint_district_platform")
    if platform is None:  # the platforms part makes the district joint meeting; this is its stand-in
        platform = services.create_district_platform(
            actor=SYSTEM, region=ctx.district, name=f"{ctx.district.name}区域化党建联席会议", brand="区域共建",
            remit="统筹全区双向认领，协调区级职能部门。")
        ctx.extra["joint_district_platform"] = platform
    return platform


def seed(ctx) -> None:
    platform = _platform(ctx)
    main = ctx.extra.get("matching_campaign")
    year = main.year if main else date.today().year
    if main is not None:
        services.link_campaign(main, actor=SYSTEM, platform_id=platform.pk)
    providers = [u for u in ctx.units if u.kind in PROVIDER_KINDS]
    for i, name in enumerate(OTHERS):
        campaign = _subdistrict(ctx, i, name, year, providers)
        services.link_campaign(campaign, actor=SYSTEM, platform_id=platform.pk)


def _subdistrict(ctx, i: int, name: str, year: int, providers: list):
    """A light invented sub-district (its region only: its needs are raised for the whole sub-district, and the
    demo's district-wide units provide its resources) with a campaign past its claim window (delivering)."""
    rng = ctx.rng
    code = f"DX{i + 1:02d}"
    sub = import_records([Region(kind=RegionKind.SUBDISTRICT, code=code, name=f"{name}街道", parent=ctx.district)],
                         actor=SYSTEM, reason=REASON)[0]
    start, end = date(year, 3, 1), date(year, 12, 31)
    campaign = matching.create_campaign(actor=SYSTEM, name=f"{year}年度{name}街道双向认领", year=year, season="全年",
                                        subdistrict=sub, starts_on=start, ends_on=end)
    campaign = matching.advance_campaign(campaign, actor=SYSTEM)  # the claim window opens
    n = rng.randint(3, 5)
    for j, (rcat, rtitle, ncat, ntitle) in enumerate(rng.sample(PAIRS, n)):
        resource = matching.create_resource(
            actor=SYSTEM, code=f"{code}-R{j + 1}", campaign=campaign, title=rtitle, description=f"{name}街道{rtitle}",
            category=rcat, provider_unit=rng.choice(providers), capacity=10, unit="sessions", starts_on=start,
            ends_on=end, regions=[sub])
        need = matching.create_need(
            actor=SYSTEM, code=f"{code}-N{j + 1}", campaign=campaign, title=ntitle, description=f"{name}街道{ntitle}",
            category=ncat, place=sub, beneficiaries=rng.randint(10, 80), quantity=2, unit="sessions",
            starts_on=start, ends_on=end, urgency=rng.randint(2, 5))
        if j == n - 1:
            continue  # the last need stays open
        stage = STAGES[j % len(STAGES)]
        project = matching.claim_need(need, actor=SYSTEM, resource=resource, amount=1)
        for action in PATH[:PATH.index(stage) + 1] if stage else ():
            extra = ({"beneficiaries_served": need.beneficiaries, "hours": rng.randint(4, 40)}
                     if action == ProjectAction.COMPLETE else {})
            project = matching.transition_project(project, action, actor=SYSTEM, **extra)
    for _step in range(2):  # confirming, then delivering: only the demo street's second campaign takes claims now
        campaign = matching.advance_campaign(campaign, actor=SYSTEM)
    return campaign
