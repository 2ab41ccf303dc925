"""Demo of the agreements part, written through the agreements services: co-building agreements of the demo
sub-district and 众筹共建 projects.

* A hospital agreement modelled on seed 002's (an invented district hospital): the sub-district's party working
  committee and the hospital set up a joint work station under a work memo; a trial quarter with three KPIs (stalls
  cleared, rough sleepers persuaded to move, complaints) and a monthly report each month reaching 420 stalls, 58
  persons and 0 complaints; then renewed for a year, in force, one KPI behind its pro-rated target.
* A school agreement and the community health centre's agreement in force, a firm's agreement expired, a social
  organization's agreement still a draft.
* Three crowd-funded party projects (seed 000) with pledges of money, venue and people-hours from several units.

Uses the joint-meeting platform of the platforms part (``ctx.extra["joint_platform"]``) when there is one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.services import agreements as services
from gongzhi.registry.models import MemberUnitKind, PartyOrgKind

HOSPITAL = "示范区第二人民医院"


def add_months(day: dt.date, n: int) -> dt.date:
    month = day.month - 1 + n
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)


def _unit(ctx, kind: str, name: str | None = None, skip=()):
    units = [u for u in ctx.units if u.kind == kind and u.pk not in skip]
    return next((u for u in units if u.name == name), units[0] if units else None)


def _agreement(ctx, units, *, title, starts_on, ends_on, memo, commitments, org=None):
    return services.create_agreement(ctx.subdistrict, actor=SYSTEM, title=title, starts_on=starts_on,
                                     ends_on=ends_on, units=units, memo=memo, party_org=org,
                                     platform=ctx.extra.get("joint_platform"), commitments=commitments)


def _report(agreement, month: dt.date, values: list, note: str = ""):
    items = list(agreement.commitments.order_by("position", "pk"))
    return services.record_report(agreement, actor=SYSTEM, period=month, note=note,
                                  values={c.pk: v for c, v in zip(items, values, strict=True)})


def _hospital(ctx, today: dt.date, org) -> None:
    hospital = _unit(ctx, MemberUnitKind.HOSPITAL, HOSPITAL)
    if hospital is None:
        return
    start = add_months(today, -6)
    end = add_months(start, 3) - dt.timedelta(days=1)
    trial = _agreement(ctx, [hospital], org=org, title=f"{hospital.name}周边环境综合治理共建协议（试运行）",
                       starts_on=start, ends_on=end,
                       memo=("街道党工委与医院党委签订共建协议并制定工作备忘录：由城管、交警、医院保安和社区组成"
                             "医院联合保障工作站，在职党员和居民组成志愿者服务队，参与周边交通维护和就医引导。"),
                       commitments=[
                           {"text": "清理医院周边无证摊点", "kpi_name": "清理无证摊点", "measure": "个",
                            "baseline": 0, "target": 400, "direction": "at_least", "member_unit": None},
                           {"text": "劝离流浪乞讨人员并协助救助", "kpi_name": "劝离流浪乞讨人员", "measure": "人",
                            "baseline": 0, "target": 50, "direction": "at_least", "member_unit": None},
                           {"text": "医院周边环境投诉降为零", "kpi_name": "周边环境投诉", "measure": "件",
                            "baseline": 36, "target": 0, "direction": "at_most", "member_unit": hospital.pk},
                       ])
    services.transition_agreement(trial, "sign", actor=SYSTEM, note="试运行一个季度")
    quarter = (([152, 21, 14], "联合工作站挂牌，集中清理门诊大楼两侧摊点"),
               ([297, 40, 5], "志愿者服务队上岗，早晚高峰巡查"),
               ([420, 58, 0], "一个季度试运行：投诉清零"))
    for i, (values, note) in enumerate(quarter):
        _report(trial, add_months(start, i), values, note)
    services.transition_agreement(trial, "expire", actor=SYSTEM, note="试运行期满")
    renewal = services.renew_agreement(trial, actor=SYSTEM, starts_on=end + dt.timedelta(days=1),
                                       ends_on=add_months(end + dt.timedelta(days=1), 12) - dt.timedelta(days=1),
                                       title=f"{hospital.name}周边环境综合治理共建协议", note="试运行成效明显，续签一年")
    services.transition_agreement(renewal, "sign", actor=SYSTEM)
    reported = add_months(today, -1)
    month, values = renewal.starts_on, [Decimal(0), Decimal(0), Decimal(3)]
    while month <= reported:
        values = [values[0] + ctx.rng.randint(30, 45), values[1] + ctx.rng.randint(1, 2), ctx.rng.randint(0, 2)]
        _report(renewal, month, values)
        month = add_months(month, 1)


def seed(ctx) -> None:
    if ctx.subdistrict is None or not ctx.units:
        return
    today = timezone.localdate()
    org = next((o for o in ctx.orgs.values() if o.kind == PartyOrgKind.WORKING_COMMITTEE
                and o.region_id == ctx.subdistrict.pk), None)
    _hospital(ctx, today, org)
    year_start = today.replace(month=1, day=1)

    school = _unit(ctx, MemberUnitKind.SCHOOL)
    if school is not None:
        made = _agreement(ctx, [school], org=org, title=f"{school.name}校园周边护学共建协议", starts_on=year_start,
                          ends_on=year_start.replace(month=12, day=31), memo="设护学岗，家长志愿者与社区民警早晚值守。",
                          commitments=[
                              {"text": "上下学时段护学岗值守", "kpi_name": "护学志愿服务", "measure": "人次",
                               "target": 600, "direction": "at_least"},
                              {"text": "校门口交通事故降为零", "kpi_name": "校门口交通事故", "measure": "起",
                               "baseline": 4, "target": 0, "direction": "at_most"},
                          ])
        services.transition_agreement(made, "sign", actor=SYSTEM)
        total, month = 0, year_start
        while month <= add_months(today, -1):
            total += ctx.rng.randint(45, 60)
            _report(made, month, [total, ctx.rng.randint(0, 1)])
            month = add_months(month, 1)

    centre = _unit(ctx, MemberUnitKind.HOSPITAL, "梧桐街道社区卫生服务中心")
    if centre is not None and centre.name != HOSPITAL:
        made = _agreement(ctx, [centre], title="家庭医生进社区共建协议", starts_on=year_start,
                          ends_on=add_months(year_start, 24) - dt.timedelta(days=1),
                          memo="卫生服务中心每月到各居民区义诊，家庭医生与居民签约。",
                          commitments=[
                              {"text": "居民区义诊", "kpi_name": "义诊场次", "measure": "场", "target": 48},
                              {"text": "家庭医生签约", "kpi_name": "签约户数", "measure": "户", "baseline": 300,
                               "target": 1500},
                          ])
        services.transition_agreement(made, "sign", actor=SYSTEM)
        month, done, signed = year_start, 0, 300
        while month <= add_months(today, -1):
            done, signed = done + 2, signed + ctx.rng.randint(30, 55)
            _report(made, month, [done, signed])
            month = add_months(month, 1)

    firm = _unit(ctx, MemberUnitKind.ENTERPRISE)
    if firm is not None:
        last = year_start.replace(year=year_start.year - 1)
        made = _agreement(ctx, [firm], title=f"{firm.name}白领午餐共建协议", starts_on=last,
                          ends_on=year_start - dt.timedelta(days=1), memo="企业食堂向周边白领和社区老人开放。",
                          commitments=[{"text": "开放食堂供应午餐", "kpi_name": "供餐人次", "measure": "人次",
                                        "target": 12000}])
        services.transition_agreement(made, "sign", actor=SYSTEM)
        for i, value in enumerate((3200, 6900, 10100, 12600)):
            _report(made, add_months(last, 3 * i + 2), [value])
        services.expire_due_agreements(today=today)

    social = _unit(ctx, MemberUnitKind.SOCIAL_ORGANIZATION)
    if social is not None:
        _agreement(ctx, [social], title="社区调解共建协议（草案）", starts_on=add_months(today, 1),
                   ends_on=add_months(today, 13) - dt.timedelta(days=1), memo="调解工作室进驻党群服务站。",
                   commitments=[{"text": "邻里纠纷调解", "kpi_name": "调解成功率", "measure": "%", "target": 90}])
    _crowd(ctx)


PROJECTS = (
    ("楼宇党群服务站“健康小屋”众筹共建", "为楼宇白领和周边居民设自助健康检测点，单位认捐设备资金、场地和志愿服务。",
     {"goal_money": 30000, "goal_venue": 0, "goal_hours": 200}),
    ("滨江志愿服务队众筹共建", "沿江单位共同组建滨江志愿服务队，开展文明引导和环境维护。",
     {"goal_money": 10000, "goal_venue": 0, "goal_hours": 500}),
    ("老城厢月度文化配送众筹共建", "每月一场文化配送进楼宇、进居民区，单位提供场地和资金。",
     {"goal_money": 20000, "goal_venue": 12, "goal_hours": 120}),
)


def _crowd(ctx) -> None:
    rng = ctx.rng
    pool = [u for u in ctx.units if u.kind in (MemberUnitKind.ENTERPRISE, MemberUnitKind.HOSPITAL,
                                                MemberUnitKind.SCHOOL, MemberUnitKind.SOCIAL_ORGANIZATION)]
    for title, description, goals in PROJECTS:
        project = services.create_project(ctx.subdistrict, actor=SYSTEM, title=title, description=description,
                                          platform=ctx.extra.get("joint_platform"), **goals)
        for unit in rng.sample(pool, min(len(pool), rng.randint(3, 5))):
            kinds = [k for k, g in (("money", "goal_money"), ("venue", "goal_venue"), ("people_hours", "goal_hours"))
                     if goals[g]]
            for kind in rng.sample(kinds, rng.randint(1, len(kinds))):
                amount = {"money": rng.randrange(2000, 10001, 500), "venue": rng.randint(2, 4),
                          "people_hours": rng.randrange(20, 121, 10)}[kind]
                services.pledge(project, actor=SYSTEM, member_unit=unit, kind=kind, amount=amount,
                                note={"money": "党建经费认捐", "venue": "提供会议室", "people_hours": "党员志愿者"}[kind])
