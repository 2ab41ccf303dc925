"""The district platform's matching results in Excel (the district part): one row per sub-district and the
totals. The workbook is Chinese."""

from __future__ import annotations

from gongzhi.core.excel import new_sheet, to_bytes, write_row
from gongzhi.matching.workflow import ProjectState

STATE_ZH = {ProjectState.PROPOSED: "待确认", ProjectState.AGREED: "已确认", ProjectState.IN_PROGRESS: "实施中",
            ProjectState.COMPLETED: "已完成", ProjectState.EVALUATED: "已评价"}


def results_workbook(data: dict, title: str) -> bytes:
    states = data["states"]
    wb, ws = new_sheet("分街道", ["街道", "认领活动", "需求数", "未满足需求", "资源数", "项目数",
                                *[f"项目·{STATE_ZH.get(s, s)}" for s in states], "已完成", "完成率（%）",
                                "受益人数", "服务时长"])

    def line(name, r):
        write_row(ws, [name, "、".join(c.name for c in r["campaigns"]), r["needs"], r["unmet_needs"], r["resources"],
                       r["projects"], *r["states"], r["completed"], r["completion_rate"], r["beneficiaries"],
                       r["hours"]])

    for r in data["rows"]:
        line(r["subdistrict"].name, r)
    line("合计", data["total"])
    wb.properties.title = title
    return to_bytes(wb)
