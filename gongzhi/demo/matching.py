"""Seed step: the 2026 two-way matching campaign (双向认领) of the demo street — about 300 resources from member
units and party organizations, 600 needs from residential areas and grids, and projects at every stage.

Everything goes through the matching services, dated within the campaign, so each project, need, resource and
the campaign carry their transition logs: the sub-district's staff enter the lists, open the claim window, claim
resources for needs and run the projects; the hospital's liaison claims needs with its own resources and confirms
claims on them; a step no demo account may take (a unit without an account confirming a claim) is done by the
system.

The campaign is dated relative to the day of seeding (as the demands are): it opened about eight months ago and
is now delivering its projects. A second, smaller campaign opened a week ago and is open for claims."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from gongzhi.accounts.models import RoleAssignment
from gongzhi.core.workflow import SYSTEM
from gongzhi.matching import policies, services
from gongzhi.matching.engine import DEFAULT_COMPATIBILITY, NEED_CATEGORIES, RESOURCE_CATEGORIES
from gongzhi.matching.models import NeedSource
from gongzhi.matching.workflow import NeedAction, ResourceAction
from gongzhi.matching.workflow import ProjectState as S

N_RESOURCES, N_NEEDS = 300, 600
RESOURCE_UNIT = {"venue": "sessions", "volunteer": "hours", "funds": "yuan", "goods": "people", "legal": "sessions",
                 "medical": "sessions", "psychological": "sessions", "jobs": "people", "training": "sessions"}
CAPACITY = {"sessions": (4, 24), "hours": (40, 400), "yuan": (5000, 60000), "people": (10, 80)}
NEED_QUANTITY = {"sessions": (1, 6), "hours": (10, 80), "yuan": (2000, 15000), "people": (3, 20)}
RESOURCE_TITLES = {
    "venue": ["会议室开放共享", "活动大厅周末开放", "多功能厅借用", "党员活动室共享"],
    "volunteer": ["青年志愿服务队", "党员志愿者助老服务", "周末清洁志愿行动", "陪伴关爱志愿服务"],
    "funds": ["社区公益微基金", "困难家庭帮扶资金", "社区活动赞助"], "goods": ["爱心物资捐赠", "防暑降温物资", "助学文具包"],
    "legal": ["律师进社区法律咨询", "劳动争议调解服务", "法律援助讲座"], "medical": ["家庭医生义诊", "慢病健康讲座", "老人健康体检"],
    "psychological": ["心理咨询热线", "青少年心理辅导", "老年人心理关爱"], "jobs": ["就业岗位推荐", "大学生实习岗位", "灵活就业岗位"],
    "training": ["职业技能培训", "智能手机使用课堂", "少儿科普课堂", "垃圾分类培训"],
}
NEED_TITLES = {
    "elderly_care": ["独居老人上门探访", "高龄老人助餐服务", "老人智能手机教学"], "child_care": ["暑期少儿托管", "课后作业辅导", "亲子阅读活动"],
    "health": ["居民健康义诊", "慢病管理讲座", "家庭医生签约宣传"], "legal_aid": ["邻里纠纷法律咨询", "老旧小区物业纠纷调解", "遗产继承法律讲座"],
    "employment": ["失业人员就业帮扶", "残疾人就业岗位", "青年求职辅导"], "hardship_relief": ["困难家庭节日慰问", "低保户物资帮扶", "大病家庭资助"],
    "environment": ["楼道堆物清理", "小区绿化补种", "垃圾分类督导"], "culture": ["社区文艺汇演场地", "书法兴趣班", "广场舞队活动"],
    "mental_health": ["独居老人心理疏导", "青少年心理健康讲座", "家庭关系辅导"], "community_event": ["邻里节活动", "社区党课场地", "重阳节敬老活动"],
}
# How many projects in each state (the remaining needs stay unmatched); each walks its steps through the services.
STAGES = [(S.PROPOSED, 25), (S.AGREED, 20), (S.IN_PROGRESS, 30), (S.COMPLETED, 30), (S.EVALUATED, 40),
          (S.DECLINED, 5), (S.CANCELLED, 3)]
# The actions that take a new (proposed) project to each state.
PATHS = {S.PROPOSED: [], S.AGREED: ["agree"], S.DECLINED: ["decline"]}
PATHS[S.IN_PROGRESS] = PATHS[S.AGREED] + ["start"]
PATHS[S.CANCELLED] = PATHS[S.AGREED] + ["cancel"]
PATHS[S.COMPLETED] = PATHS[S.IN_PROGRESS] + ["complete"]
PATHS[S.EVALUATED] = PATHS[S.COMPLETED] + ["evaluate"]
REFERENCE = date(2026, 11, 14)  # the day the campaign's calendar below was written for; it moves with the seed


def _shift() -> timedelta:
    from gongzhi.demo.demands import anchor

    return anchor()[0] - REFERENCE


def _d(year: int, month: int, day: int) -> date:
    """A date of the 2026 calendar below, moved so that REFERENCE falls on the demo's "today"."""
    return date(year, month, day) + _shift()


N_OPEN_RESOURCES, N_OPEN_NEEDS = 30, 60


def _at(day: date, hour: int = 9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _best_category(need_category: str) -> str:
    return max(DEFAULT_COMPATIBILITY[need_category].items(), key=lambda kv: kv[1])[0]


def seed(ctx) -> None:
    rng = ctx.rng
    staff = ctx.users["street"]
    campaign_start = _d(2026, 3, 1)  # the claim window opens; it closes (confirming) three months later
    year_end = _d(2026, 12, 31)
    entered = _at(campaign_start - timedelta(days=14))
    campaign = services.create_campaign(
        actor=staff, name=f"{campaign_start.year}年度梧桐街道双向认领", year=campaign_start.year, season="全年",
        subdistrict=ctx.subdistrict, starts_on=campaign_start, ends_on=year_end)
    resources, served, needs = _lists(ctx, campaign, staff, entered, N_RESOURCES, N_NEEDS, "R2026", "N2026",
                                      campaign_start, year_end)
    services.advance_campaign(campaign, actor=staff, now=_at(campaign_start))  # the claim window opens
    _projects(ctx, staff, resources, served, needs, campaign_start)
    services.advance_campaign(campaign, actor=staff, now=_at(campaign_start + timedelta(days=92)))  # confirming
    services.advance_campaign(campaign, actor=staff, now=_at(campaign_start + timedelta(days=106)))  # delivering
    ctx.extra["matching_campaign"] = campaign
    ctx.extra["open_matching_campaign"] = _open_campaign(ctx, staff, rng)


def _open_campaign(ctx, staff, rng):
    """A smaller campaign whose claim window opened a week ago: every resource and need in it may be claimed."""
    from gongzhi.demo.demands import anchor

    today = anchor()[0] + timedelta(days=1)
    start, end = today - timedelta(days=7), today + timedelta(days=150)
    entered = _at(start - timedelta(days=3))
    campaign = services.create_campaign(
        actor=staff, name=f"{start.year}年梧桐街道双向认领（第二批）", year=start.year, season="第二批",
        subdistrict=ctx.subdistrict, starts_on=start, ends_on=end)
    _lists(ctx, campaign, staff, entered, N_OPEN_RESOURCES, N_OPEN_NEEDS, f"R{start.year}B", f"N{start.year}B",
           start, end)
    return services.advance_campaign(campaign, actor=staff, now=_at(start))  # the claim window opens


def _lists(ctx, campaign, staff, entered, n_resources, n_needs, rprefix, nprefix, first, last):
    """The campaign's resource and need lists, dated between `first` and `last`."""
    rng, names = ctx.rng, ctx.names
    span = (last - first).days
    liaison_units = set(RoleAssignment.objects.filter(role="unit_liaison").values_list("member_unit_id", flat=True))
    units = sorted(ctx.units, key=lambda u: (u.pk not in liaison_units, u.pk))
    orgs = [o for o in ctx.orgs.values() if o.member_unit_id is None and o.region.kind == "residential_area"]
    area_of_grid = {g.pk: a for a in ctx.areas for g in ctx.grids_by_area[a.pk]}

    rows, served = [], []
    for i in range(n_resources):
        category = rng.choice(list(RESOURCE_CATEGORIES))
        unit_kind = RESOURCE_UNIT[category]
        lo, hi = CAPACITY[unit_kind]
        by_org = i % 10 == 9 and orgs
        provider_unit = None if by_org else units[i % len(units)] if i < 2 * len(units) else rng.choice(units)
        provider_org = rng.choice(orgs) if by_org else None
        roll = rng.random()
        region = (ctx.subdistrict if roll < 0.5 else rng.choice(ctx.areas) if roll < 0.85 else rng.choice(ctx.grids))
        if provider_org is not None and roll >= 0.5:
            region = provider_org.region
        start = first + timedelta(days=30 * (rng.randint(1, 6) - 3))  # two months before to three after
        rows.append(dict(
            regions=[region], code=f"{rprefix}-{i + 1:04d}", campaign=campaign, category=category, unit=unit_kind,
            title=rng.choice(RESOURCE_TITLES[category]), capacity=rng.randint(lo, hi) // (100 if unit_kind == "yuan" else 1)
            * (100 if unit_kind == "yuan" else 1),
            description=f"{(provider_unit or provider_org).name}提供的{RESOURCE_CATEGORIES[category]}资源",
            provider_unit=provider_unit, provider_org=provider_org, starts_on=start,
            ends_on=last - timedelta(days=rng.randint(0, min(90, span // 3))), contact_name=names.name(),
            contact_phone=f"139{rng.randint(10000000, 99999999)}",
        ))
        served.append(region)
    resources = services.create_resources(rows, actor=staff, now=entered)

    rows = []
    for i in range(n_needs):
        category = rng.choice(list(NEED_CATEGORIES))
        unit_kind = RESOURCE_UNIT[_best_category(category)]
        lo, hi = NEED_QUANTITY[unit_kind]
        place = rng.choice(ctx.grids) if rng.random() < 0.7 else rng.choice(ctx.areas)
        area = area_of_grid.get(place.pk, place)
        start = first + timedelta(days=rng.randint(0, span * 2 // 3))
        rows.append(dict(
            code=f"{nprefix}-{i + 1:04d}", campaign=campaign, category=category, unit=unit_kind,
            title=f"{area.name.removesuffix('居民区')}{rng.choice(NEED_TITLES[category])}",
            description=f"{place.name}{NEED_CATEGORIES[category]}需求", place=place,
            source=NeedSource.GRID if place.kind == "grid" else NeedSource.AREA,
            beneficiaries=rng.randint(5, 200), quantity=rng.randint(lo, hi), starts_on=start,
            ends_on=min(start + timedelta(days=rng.randint(30, 120)), last), urgency=rng.randint(1, 5),
        ))
    needs = services.create_needs(rows, actor=staff, now=entered)
    return resources, served, needs


def _projects(ctx, staff, resources, served, needs, campaign_start) -> None:
    rng = ctx.rng
    liaison_of = {a.member_unit_id: a.user for a in RoleAssignment.objects.filter(role="unit_liaison")
                  .select_related("user")}
    left = {r.pk: r.capacity for r in resources}
    # Resources that serve the whole sub-district, by unit kind: they can serve any need of the same unit.
    wide = defaultdict(list)
    for r, region in zip(resources, served, strict=True):
        if region.pk == ctx.subdistrict.pk:
            wide[r.unit].append(r)
    stages = [state for state, n in STAGES for _ in range(n)]
    order = list(needs)
    rng.shuffle(order)
    matched = set()
    for need, state in zip(order, stages, strict=False):
        candidates = [r for r in wide[need.unit] if left[r.pk] > 0 and r.starts_on <= need.ends_on
                      and r.ends_on >= need.starts_on and DEFAULT_COMPATIBILITY[need.category].get(r.category, 0) > 0]
        if not candidates:
            continue
        resource = rng.choice(candidates)
        amount = max(1, min(need.quantity, left[resource.pk]))
        left[resource.pk] -= amount
        matched.add(need.pk)
        done = state in (S.COMPLETED, S.EVALUATED)
        when = _at(campaign_start + timedelta(days=rng.randint(0, 80)), rng.randint(8, 17))
        liaison = liaison_of.get(resource.provider_unit_id)
        plan = dict(plan=f"{resource.provider_unit or resource.provider_org}为{need.place.name}提供{resource.title}",
                    budget=rng.randint(0, 20) * 500, participants=f"{rng.randint(2, 12)}名志愿者", amount=amount,
                    now=when)
        if liaison is not None and rng.random() < 0.5:  # the unit claims the need
            project = services.claim_need(need, actor=liaison, resource=resource, **plan)
        else:  # the community claims the resource
            project = services.claim_resource(resource, actor=staff, need=need, **plan)
        candidates_for = [u for u in (liaison, staff) if u is not None]
        for action in PATHS[state]:
            when += timedelta(days=rng.randint(1, 10))
            actor = next((u for u in candidates_for if policies.can(u, project, action)), SYSTEM)
            project = services.transition_project(
                project, action, actor=actor, now=when, note="资源方时间冲突" if action in ("decline", "cancel") else "",
                beneficiaries_served=min(need.beneficiaries, rng.randint(5, 150)) if action == "complete" else None,
                hours=rng.randint(4, 120) if action == "complete" else None,
                satisfaction=rng.choice([3, 4, 4, 5, 5, 5]) if action == "evaluate" else None)
            if action == "agree":
                services.add_milestones(project, actor=staff, milestones=[
                    {"title": "制定实施方案", "done": True}, {"title": "开展服务", "done": done}])
    # A few needs turned out to be duplicates, and a few offers were withdrawn.
    for need in [n for n in needs if n.pk not in matched][:4]:
        services.transition_need(need, NeedAction.CLOSE, actor=staff, note="与其他需求重复", now=_at(campaign_start + timedelta(days=31)))
    for resource in [r for r in resources if left[r.pk] == r.capacity][:3]:
        services.transition_resource(resource, ResourceAction.WITHDRAW, actor=staff, note="单位计划调整",
                                     now=_at(campaign_start + timedelta(days=45)))
