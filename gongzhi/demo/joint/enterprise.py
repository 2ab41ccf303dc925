"""Demo of the enterprise part: a year of liaison visits (上门排摸) by the demo street's building liaisons to the
firms of their towers, with follow-ups at every stage, and the visits behind a few of the demands demo's
enterprise demands, linked to them (seed 001: a liaison finds what a firm needs on a visit; the sub-district
follows it up)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.demands.models import Channel, Demand
from gongzhi.joint.services import enterprise as services
from gongzhi.joint.workflow_enterprise import VisitAction
from gongzhi.registry.models import Liaison, MemberUnitKind

NEEDS = (
    ("员工停车位紧张", "午高峰楼下临时停车难，希望协调周边公共停车场错峰停车。", "已对接街道停车资源，错峰方案待确认。"),
    ("新员工落户咨询", "企业新招应届生较多，希望了解落户和人才公寓政策。", "已送上政策清单，约定人才服务专员上门宣讲。"),
    ("楼宇周边餐饮不足", "午餐选择少，员工排队时间长。", "已反映给商圈管理办，拟引入流动餐车。"),
    ("办公扩租需求", "业务扩张，需要在商圈内新增约800平方米办公面积。", "已提供楼宇空置面积信息。"),
    ("党员组织关系转接", "新入职的3名党员需转接组织关系。", "已联系楼宇党建服务站办理。"),
    ("共享单车乱停", "楼门口共享单车堆积，影响进出。", "已联系运营企业清理并划定停放区。"),
    ("员工子女暑托班", "双职工员工希望暑期有托管班。", "已介绍街道爱心暑托班报名方式。"),
    ("消防安全培训", "希望为新员工安排一次消防安全培训。", "已预约消防站上门培训。"),
)
QUIET = ("企业经营正常，暂无需求。", "了解企业近况，留下联系方式。")
N_DEMANDS = 6


def seed(ctx) -> None:
    from gongzhi.demo.demands import anchor

    rng = ctx.rng
    today = anchor()[0]
    users = {u.pk: u for u in ctx.users.values()}
    liaisons = list(Liaison.objects.filter(region=ctx.subdistrict, is_chief=False)
                    .prefetch_related("buildings").order_by("pk"))
    firms_by_tower: dict[int, list] = {}
    for unit in ctx.units:
        if unit.kind == MemberUnitKind.ENTERPRISE and unit.building_id:
            firms_by_tower.setdefault(unit.building_id, []).append(unit)
    for liaison in liaisons:
        actor = users.get(liaison.user_id, SYSTEM)
        for tower in liaison.buildings.all():
            for firm in firms_by_tower.get(tower.pk, []):
                for _visit in range(rng.choice((0, 1, 1, 2, 3))):
                    day = today - timedelta(days=rng.randint(0, 364))
                    found = rng.random() < 0.6
                    need = rng.choice(NEEDS) if found else None
                    visit = services.record_visit(
                        actor=actor, member_unit_id=firm.pk, visited_on=day, liaison_id=liaison.pk,
                        needs_found=f"{need[0]}：{need[1]}" if need else "",
                        follow_up="" if need else rng.choice(QUIET))
                    age = (today - day).days
                    if not need:
                        services.transition_visit(visit, VisitAction.COMPLETE, actor=actor)
                        continue
                    if age > 60:
                        services.transition_visit(visit, VisitAction.COMPLETE, actor=actor, note=need[2])
                    elif age > 14:
                        services.transition_visit(visit, VisitAction.START, actor=actor, note=need[2])
    _visits_behind_demands(ctx, liaisons, today)


def _visits_behind_demands(ctx, liaisons, today) -> None:
    """The demands demo's enterprise demands of the last year came from visits: the visit of that day to the firm
    by its building's liaison finds the need, and the firm's demand is linked to it (the demo raises no new demand:
    its demands are reproducible, and `services.raise_demand` would make them on today's clock)."""
    by_tower = {b.pk: liaison for liaison in liaisons for b in liaison.buildings.all()}
    users = {u.pk: u for u in ctx.users.values()}
    found = (Demand.objects.filter(channel=Channel.ENTERPRISE, member_unit__building_id__in=list(by_tower),
                                   created_at__date__gte=today - timedelta(days=364))
             .select_related("member_unit").order_by("created_at", "pk")[:N_DEMANDS])
    for demand in found:
        liaison = by_tower[demand.member_unit.building_id]
        actor = users.get(liaison.user_id, SYSTEM)
        visit = services.record_visit(
            actor=actor, member_unit_id=demand.member_unit_id, liaison_id=liaison.pk,
            visited_on=timezone.localtime(demand.created_at).date(), needs_found=f"{demand.title}：{demand.description}")
        services.link_demand(visit, actor=actor, demand_id=demand.pk)
        services.transition_visit(visit, VisitAction.START, actor=actor, note="已转为诉求办理。")
