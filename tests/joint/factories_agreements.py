"""Agreements of the tests, written through the agreements services on the factories' street."""

import datetime as dt

from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.services import agreements as services

START, END = dt.date(2025, 1, 1), dt.date(2025, 3, 31)  # a quarter: 90 days

KPIS = [
    {"text": "清理医院周边无证摊点", "kpi_name": "清理无证摊点", "measure": "个", "baseline": 0, "target": 400,
     "direction": "at_least"},
    {"text": "劝离流浪乞讨人员", "kpi_name": "劝离流浪乞讨人员", "measure": "人", "baseline": 0, "target": 50,
     "direction": "at_least"},
    {"text": "周边环境投诉降为零", "kpi_name": "周边环境投诉", "measure": "件", "baseline": 30, "target": 0,
     "direction": "at_most"},
]


def agreement(street, *, sign: bool = True, units=None, title: str = "医院周边环境综合治理共建协议", **kw):
    kw.setdefault("starts_on", START)
    kw.setdefault("ends_on", END)
    kw.setdefault("commitments", KPIS)
    made = services.create_agreement(street.subdistrict, actor=SYSTEM, title=title,
                                     units=units or [street.unit_a], memo="联合保障工作站", **kw)
    if sign:
        made = services.transition_agreement(made, "sign", actor=SYSTEM)
    return made


def report(agreement, month: dt.date, values: list, actor=SYSTEM):
    items = list(agreement.commitments.order_by("position", "pk"))
    return services.record_report(agreement, actor=actor, period=month,
                                  values={c.pk: v for c, v in zip(items, values, strict=True)})


def project(street, **goals):
    goals = goals or {"goal_money": 20000, "goal_venue": 10, "goal_hours": 100}
    return services.create_project(street.subdistrict, actor=SYSTEM, title="健康小屋众筹共建", **goals)
