"""The coverage check in Excel (the enterprise part): the key office buildings outside one-to-two liaisons, and
the visits of every firm of a key office building in the last 12 months. The workbook is Chinese."""

from __future__ import annotations

from gongzhi.core.excel import new_sheet, to_bytes, write_row


def coverage_workbook(data: dict) -> bytes:
    wb, ws = new_sheet("联络员配备", ["楼宇编码", "楼宇", "地址", "联络员人数", "联络员", "企业"])
    for b in data["flagged"]:
        write_row(ws, [b.code, b.name, b.address, b.n_liaisons, "、".join(x.name for x in b.liaisons.all()),
                       "、".join(u.name for u in b.firms)])
    sheet = wb.create_sheet("企业走访")
    write_row(sheet, ["企业", "楼宇", f"{data['since']:%Y-%m-%d} 以来走访次数"])
    for f in data["firms"]:
        write_row(sheet, [f.name, f.building.name if f.building_id else "", f.n_visits])
    wb.properties.title = "楼宇联络员配备检查"
    return to_bytes(wb)
