"""Authorization-test fixtures of the agreements part (see gongzhi.core.authz), written through the agreements
services: in the street's sub-district, ``agreement_a`` (the hospital ``unit_a`` a party, in force, with a month
reported), ``agreement_draft_a`` (a draft) and the 众筹共建 project ``crowd_project_a`` with a pledge of
``unit_a``. Agreements and projects belong to a sub-district, so zone x (another sub-district) holds their
out-of-scope counterparts, every text carrying the zone's mark (zones a and b lie in the street's sub-district,
which the only persona who sees agreements, its administrator, may see)."""

from __future__ import annotations

import datetime as dt

from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.services import agreements as services

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def _agreement(region, unit, *, title: str, memo: str, text: str, kpi: str, measure: str, note: str, code: str,
               sign: bool = True):
    made = services.create_agreement(region, actor=SYSTEM, title=title, starts_on=START, ends_on=END, units=[unit],
                                     memo=memo, code=code, commitments=[
                                         {"text": text, "kpi_name": kpi, "measure": measure, "target": "400"}])
    if sign:
        made = services.transition_agreement(made, "sign", actor=SYSTEM)
        services.record_report(made, actor=SYSTEM, period=START,
                               values={made.commitments.get().pk: "150"}, note=note)
    return made


def _project(region, unit, *, title: str, description: str, note: str):
    made = services.create_project(region, actor=SYSTEM, title=title, description=description, goal_money="20000",
                                   goal_hours="100")
    services.pledge(made, actor=SYSTEM, member_unit=unit, kind="money", amount="5000", note=note)
    return made


def build(world) -> dict:
    sub, unit = world["subdistrict"], world["unit_a"]
    made = {
        "agreement_a": _agreement(sub, unit, title="医院周边环境治理共建协议", memo="联合工作站", text="清理无证摊点",
                                  kpi="清理无证摊点", measure="个", note="第一个月", code="AUTHZ-A-1"),
        "agreement_draft_a": _agreement(sub, unit, title="校园周边共建协议", memo="护学岗", text="护学志愿服务",
                                        kpi="护学人次", measure="人次", note="", code="AUTHZ-A-2", sign=False),
        "crowd_project_a": _project(sub, unit, title="楼宇党群服务站众筹共建", description="共建服务站",
                                    note="认捐资金"),
    }
    zone = "x"

    def mark(label):
        return world.mark(zone, label)

    sub_x, unit_x = world["subdistrict@x"], world["unit_a@x"]
    made["agreement_a@x"] = _agreement(sub_x, unit_x, title=mark("协议"), memo=mark("备忘"), text=mark("承诺"),
                                       kpi=mark("指标"), measure=mark("单位"), note=mark("报告说明"),
                                       code=world.code(zone, "XY"))
    made["crowd_project_a@x"] = _project(sub_x, unit_x, title=mark("众筹项目"), description=mark("项目说明"),
                                         note=mark("认捐说明"))
    return made
