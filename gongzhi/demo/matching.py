"""Seed step: the 2026 two-way matching campaign (双向认领) of the demo street — about 300 resources from member
units and party organizations, 600 needs from residential areas and grids, and projects at every stage, each
with its transition log. Bulk inserts only, so it stays fast."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from gongzhi.accounts.models import RoleAssignment
from gongzhi.matching.engine import DEFAULT_COMPATIBILITY, NEED_CATEGORIES, RESOURCE_CATEGORIES
from gongzhi.matching.models import (
    Campaign,
    CampaignState,
    Initiator,
    Milestone,
    Need,
    NeedSource,
    NeedStatus,
    Project,
    ProjectTransition,
    Resource,
    ResourceStatus,
)
from gongzhi.matching.workflow import ProjectState as S

REASON = "demo seed"
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
# How many projects in each state (the remaining pairs stay unmatched needs).
STAGES = [(S.PROPOSED, 30), (S.AGREED, 25), (S.IN_PROGRESS, 40), (S.COMPLETED, 40), (S.EVALUATED, 60),
          (S.DECLINED, 6), (S.CANCELLED, 4)]
PATHS = {
    S.PROPOSED: [], S.AGREED: [("agree", S.PROPOSED, S.AGREED)], S.DECLINED: [("decline", S.PROPOSED, S.DECLINED)],
}
PATHS[S.IN_PROGRESS] = PATHS[S.AGREED] + [("start", S.AGREED, S.IN_PROGRESS)]
PATHS[S.CANCELLED] = PATHS[S.AGREED] + [("cancel", S.AGREED, S.CANCELLED)]
PATHS[S.COMPLETED] = PATHS[S.IN_PROGRESS] + [("complete", S.IN_PROGRESS, S.COMPLETED)]
PATHS[S.EVALUATED] = PATHS[S.COMPLETED] + [("evaluate", S.COMPLETED, S.EVALUATED)]


def _best_category(need_category: str) -> str:
    return max(DEFAULT_COMPATIBILITY[need_category].items(), key=lambda kv: kv[1])[0]


def seed(ctx) -> None:
    rng, names = ctx.rng, ctx.names
    campaign = Campaign(name="2026年度梧桐街道双向认领", year=2026, season="全年", subdistrict=ctx.subdistrict,
                        state=CampaignState.DELIVERING, starts_on=date(2026, 3, 1), ends_on=date(2026, 12, 31))
    campaign._change_reason = REASON
    campaign.save()
    liaison_units = set(RoleAssignment.objects.filter(role="unit_liaison").values_list("member_unit_id", flat=True))
    units = sorted(ctx.units, key=lambda u: (u.pk not in liaison_units, u.pk))
    orgs = [o for o in ctx.orgs.values() if o.member_unit_id is None and o.region.kind == "residential_area"]
    area_of_grid = {g.pk: a for a in ctx.areas for g in ctx.grids_by_area[a.pk]}

    resources, served = [], []
    for i in range(N_RESOURCES):
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
        start = date(2026, rng.randint(1, 6), 1)
        resources.append(Resource(
            code=f"R2026-{i + 1:04d}", campaign=campaign, category=category, unit=unit_kind,
            title=rng.choice(RESOURCE_TITLES[category]), capacity=rng.randint(lo, hi) // (100 if unit_kind == "yuan" else 1)
            * (100 if unit_kind == "yuan" else 1),
            description=f"{(provider_unit or provider_org).name}提供的{RESOURCE_CATEGORIES[category]}资源",
            provider_unit=provider_unit, provider_org=provider_org, starts_on=start,
            ends_on=date(2026, 12, 31) - timedelta(days=rng.randint(0, 90)), contact_name=names.name(),
            contact_phone=f"139{rng.randint(10000000, 99999999)}",
        ))
        served.append(region)
    resources = bulk_create_with_history(resources, Resource, default_change_reason=REASON)
    Resource.regions.through.objects.bulk_create(
        Resource.regions.through(resource_id=r.pk, region_id=g.pk) for r, g in zip(resources, served, strict=True))

    needs = []
    for i in range(N_NEEDS):
        category = rng.choice(list(NEED_CATEGORIES))
        unit_kind = RESOURCE_UNIT[_best_category(category)]
        lo, hi = NEED_QUANTITY[unit_kind]
        place = rng.choice(ctx.grids) if rng.random() < 0.7 else rng.choice(ctx.areas)
        area = area_of_grid.get(place.pk, place)
        start = date(2026, rng.randint(3, 9), rng.randint(1, 28))
        needs.append(Need(
            code=f"N2026-{i + 1:04d}", campaign=campaign, category=category, unit=unit_kind,
            title=f"{area.name.removesuffix('居民区')}{rng.choice(NEED_TITLES[category])}",
            description=f"{place.name}{NEED_CATEGORIES[category]}需求", place=place,
            source=NeedSource.GRID if place.kind == "grid" else NeedSource.AREA,
            beneficiaries=rng.randint(5, 200), quantity=rng.randint(lo, hi), starts_on=start,
            ends_on=min(start + timedelta(days=rng.randint(30, 120)), date(2026, 12, 31)), urgency=rng.randint(1, 5),
        ))
    needs = bulk_create_with_history(needs, Need, default_change_reason=REASON)
    _projects(ctx, campaign, resources, served, needs)


def _projects(ctx, campaign, resources, served, needs) -> None:
    rng = ctx.rng
    staff = ctx.users.get("street")
    left = {r.pk: r.capacity for r in resources}
    # Resources that serve the whole sub-district, by unit kind: they can serve any need of the same unit.
    wide = defaultdict(list)
    for r, region in zip(resources, served, strict=True):
        if region.pk == ctx.subdistrict.pk:
            wide[r.unit].append(r)
    stages = [state for state, n in STAGES for _ in range(n)]
    order = list(needs)
    rng.shuffle(order)
    projects, now = [], timezone.now()
    for need, state in zip(order, stages, strict=False):
        candidates = [r for r in wide[need.unit] if left[r.pk] > 0 and r.starts_on <= need.ends_on
                      and r.ends_on >= need.starts_on and DEFAULT_COMPATIBILITY[need.category].get(r.category, 0) > 0]
        if not candidates:
            continue
        resource = rng.choice(candidates)
        amount = max(1, min(need.quantity, left[resource.pk]))
        left[resource.pk] -= amount
        done = state in (S.COMPLETED, S.EVALUATED)
        projects.append(Project(
            campaign=campaign, need=need, resource=resource, title=f"{resource.title} → {need.title}"[:160],
            state=state, amount=amount, initiated_by=rng.choice(list(Initiator.values)),
            plan=f"{resource.provider_unit or resource.provider_org}为{need.place.name}提供{resource.title}",
            budget=rng.randint(0, 20) * 500, participants=f"{rng.randint(2, 12)}名志愿者",
            beneficiaries_served=min(need.beneficiaries, rng.randint(5, 150)) if done else None,
            hours=rng.randint(4, 120) if done else None,
            satisfaction=rng.choice([3, 4, 4, 5, 5, 5]) if state == S.EVALUATED else None,
            created_by=staff, created_at=now - timedelta(days=rng.randint(10, 150)), updated_at=now,
        ))
    projects = bulk_create_with_history(projects, Project, default_change_reason=REASON)
    transitions, milestones = [], []
    for p in projects:
        when = p.created_at
        transitions.append(ProjectTransition(project=p, actor=staff, from_state="", to_state=S.PROPOSED,
                                             created_at=when, note=""))
        for action, src, dst in PATHS[p.state]:
            when += timedelta(days=rng.randint(1, 10))
            transitions.append(ProjectTransition(project=p, actor=staff, action=action, from_state=src,
                                                 to_state=dst, created_at=when,
                                                 note="资源方时间冲突" if action in ("decline", "cancel") else ""))
        if p.state not in (S.PROPOSED, S.DECLINED):
            milestones += [Milestone(project=p, title="制定实施方案", done=True),
                           Milestone(project=p, title="开展服务", done=p.state in (S.COMPLETED, S.EVALUATED))]
    ProjectTransition.objects.bulk_create(transitions)
    bulk_create_with_history(milestones, Milestone, default_change_reason=REASON)
    met = [p.need_id for p in projects if p.state in (S.COMPLETED, S.EVALUATED)]
    Need.objects.filter(pk__in=met).update(status=NeedStatus.MET)
    used_up = [pk for pk, n in left.items() if n <= 0]
    Resource.objects.filter(pk__in=used_up).update(status=ResourceStatus.EXHAUSTED)
    ctx.extra["matching_campaign"] = campaign
