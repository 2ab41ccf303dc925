"""Demo organization life: the awards part. Changning's two schemes (seed 004): the sub-district's 金银奖 第七轮 for
its residential-area party organizations over last year, published (金奖标兵, 金奖, 银奖, 特色治理奖: the honour
roll shows it), and the 五星奖 第四轮 for the two-new organizations, left in review. Criteria mix indicators
computed from the seeded work (demands on time and satisfaction, micro-items, meetings held against required,
volunteering hours, coverage; weights 100) with self-assessed ones (党员“四先”, 特色品牌); most organizations
give their self-assessment, and the panel (the sub-district administrator, the district viewer and an area
secretary, who never scores their own organization) scores most of them. Everything goes through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.orglife.models import CriterionSource, Indicator, SchemeKind
from gongzhi.orglife.policies import awards as policies
from gongzhi.orglife.selectors.awards import eligible_orgs
from gongzhi.orglife.services import awards as services
from gongzhi.orglife.services.awards import CriterionInput
from gongzhi.orglife.workflow import EntryAction, RoundAction

IND, S = CriterionSource.INDICATOR, CriterionSource.SELF

GOLD_CRITERIA = [
    CriterionInput("诉求按时办结率", 20, IND, Indicator.DEMANDS_ON_TIME, Decimal("0.95")),
    CriterionInput("群众满意率", 15, IND, Indicator.DEMANDS_SATISFACTION, Decimal("0.90")),
    CriterionInput("网格微事项办结", 10, IND, Indicator.MICRO_ITEMS_DONE, Decimal("10")),
    CriterionInput("“三会一课”落实", 15, IND, Indicator.MEETINGS_HELD, Decimal("0.90")),
    CriterionInput("党员人均志愿服务时长", 10, IND, Indicator.VOLUNTEER_HOURS, Decimal("8")),
    CriterionInput("党员“四先”作用发挥", 15, S, guidance="大事先知、难事先议、实事先行、急事先做的事例"),
    CriterionInput("特色治理品牌", 15, S, guidance="居民区自治共治的特色做法与成效"),
]
GOLD_TIERS = [("金奖标兵", Decimal(88)), ("金奖", Decimal(78)), ("银奖", Decimal(68)), ("特色治理奖", Decimal(58))]
FIVE_CRITERIA = [
    CriterionInput("“三会一课”落实", 30, IND, Indicator.MEETINGS_HELD, Decimal("0.90")),
    CriterionInput("党员人均志愿服务时长", 20, IND, Indicator.VOLUNTEER_HOURS, Decimal("8")),
    CriterionInput("区域化党建参与", 10, IND, Indicator.DEMANDS_ON_TIME, Decimal("0.95")),
    CriterionInput("组织建设与党员教育", 20, S, guidance="班子建设、党员发展与教育管理"),
    CriterionInput("服务发展与社会责任", 20, S, guidance="党建促发展、服务职工与社区"),
]
FIVE_TIERS = [("五星", Decimal(85)), ("四星", Decimal(75)), ("三星", Decimal(65))]
STATEMENTS = [
    "党员骨干第一时间掌握加装电梯意向，先行召开楼组协商会，三个月完成意见征询。",
    "急事先做：暴雨夜党员突击队协助转移独居老人十余人次。",
    "推行“党员包楼”，难事先议，每月议事会解决停车、垃圾分类等问题。",
    "打造“睦邻客厅”自治品牌，居民自发组建兴趣团队八支。",
    "建立“楼组微信群＋党员楼组长”机制，实事先行，小修小补随报随办。",
    "成立职工志愿服务队，全年开展进社区服务活动十二场。",
]


def _period(today: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)


def _panel(ctx) -> list:
    return [u for name in ("street", "district", "secretary1") if (u := ctx.users.get(name)) is not None]


def _run(ctx, *, code, name, kind, number, round_name, criteria, tiers, publish: bool, region):
    rng = ctx.rng
    start, end = _period(timezone.localdate())
    scheme = services.create_scheme(actor=SYSTEM, code=code, name=name, kind=kind, region=region)
    r = services.create_round(scheme, actor=SYSTEM, number=number, name=round_name, period_start=start,
                              period_end=end)
    services.set_criteria(r, actor=SYSTEM, rows=criteria)
    services.set_tiers(r, actor=SYSTEM, rows=tiers)
    services.add_eligible(r, actor=SYSTEM)
    panel = _panel(ctx)
    for user in panel:
        services.add_reviewer(r, actor=SYSTEM, user=user)
    services.step_round(r, RoundAction.OPEN, actor=SYSTEM)
    self_criteria = list(r.criteria.filter(source=CriterionSource.SELF))
    entries = list(r.entries.select_related("org", "org__region", "round").order_by("org__code"))
    submitted = []
    for entry in entries:
        if rng.random() < 0.12:  # a few organizations never hand in their self-assessment
            continue
        for c in self_criteria:
            services.save_evidence(entry, c, actor=SYSTEM, statement=rng.choice(STATEMENTS))
        services.step_entry(entry, EntryAction.SUBMIT, actor=SYSTEM)
        submitted.append(entry)
    services.step_round(r, RoundAction.REVIEW, actor=SYSTEM)
    r.refresh_from_db()
    for entry in submitted:
        entry.refresh_from_db()
        quality = rng.uniform(0.55, 0.98)  # how well the organization did, as the panel sees it
        for user in panel:
            if policies.is_own(user, entry.org) or rng.random() < 0.1:
                continue
            for c in self_criteria:
                points = Decimal(c.weight) * Decimal(str(min(1.0, max(0.0, quality + rng.uniform(-0.08, 0.08)))))
                services.score(entry, c, actor=user, points=points.quantize(Decimal("0.1")),
                               comment=rng.choice(["材料翔实", "特色鲜明", "成效明显", "佐证略少", ""]))
    if publish:
        services.step_round(r, RoundAction.PUBLISH, actor=SYSTEM)
    return r


def seed(ctx) -> None:
    region = ctx.subdistrict
    if region is None:
        return
    gold = _run(ctx, code="JYJ", name="长宁区居民区党建工作金银奖", kind=SchemeKind.GOLD_SILVER, number=7,
                round_name="第七轮居民区党建工作金银奖评选", criteria=GOLD_CRITERIA, tiers=GOLD_TIERS, publish=True,
                region=region)
    five = _run(ctx, code="WXJ", name="长宁区两新组织党建工作五星奖", kind=SchemeKind.FIVE_STAR, number=4,
                round_name="第四轮两新组织党建工作五星奖评选", criteria=FIVE_CRITERIA, tiers=FIVE_TIERS,
                publish=False, region=region)
    ctx.extra["orglife_awards"] = {"gold_round": gold, "five_star_round": five,
                                   "eligible_gold": eligible_orgs(gold.scheme).count()}
