"""The load part's workbooks (gongzhi.core.excel's writer and reader; neither is a model list, so neither is a
ListSpec):

* the station-load table (站点负荷): one line per place and day of the page's filters, then the period's totals;
* the health-cabin tallies (健康小屋自检人次): one line per place, day and indicator, exported and imported with the
  same columns (站点编码, 日期, 指标, 人次), so an export imports again; the import is all or nothing
  (`import_tallies`).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import override

from gongzhi.core.excel import MAX_ROWS, CellError, new_sheet, open_sheet, to_bytes, write_row
from gongzhi.services.models import HealthIndicator

LOAD_HEADERS = ["日期", "站点编码", "站点", "受理件数", "已办结", "待办结", "一次办结", "一次办结率（%）", "转后台",
                "预约人次", "可约号源", "预约使用率（%）", "爽约", "热门事项"]
TALLY_HEADERS = ["站点编码", "日期", "指标", "人次"]


def _pct(value):
    return float(value) if value is not None else None


def load_workbook(rows, summary) -> bytes:
    wb, ws = new_sheet("站点负荷", LOAD_HEADERS)
    for r in rows:
        write_row(ws, [r.day.isoformat(), r.place.code, r.place.name, r.opened, r.done, r.waiting, r.one_visit,
                       _pct(r.one_visit_share), r.forwarded, r.appointments, r.seats, _pct(r.appointment_use),
                       r.no_shows, "、".join(f"{name}（{n}）" for name, n in r.top_items)])
    write_row(ws, ["合计", "", f"{summary.day_from.isoformat()} 至 {summary.day_to.isoformat()}", summary.cases,
                   summary.done, summary.waiting, summary.one_visit, _pct(summary.one_visit_share),
                   summary.forwarded, summary.appointments, None, None, summary.no_shows,
                   "、".join(f"{name}（{n}）" for name, n in summary.top_items)])
    ws.column_dimensions["N"].width = 60
    wb.properties.title = "站点负荷"
    return to_bytes(wb)


def load_file_name(day_from, day_to) -> str:
    return f"站点负荷-{day_from.isoformat()}至{day_to.isoformat()}.xlsx"


def _labels() -> dict[str, str]:
    with override("zh-hans"):
        return {value: str(label) for value, label in HealthIndicator.choices}


def tallies_workbook(tallies) -> bytes:
    labels = _labels()
    wb, ws = new_sheet("健康小屋自检人次", TALLY_HEADERS, [True] * 4)
    for t in tallies:
        write_row(ws, [t.place.code, t.day.isoformat(), labels[t.indicator], t.count])
    return to_bytes(wb)


def tallies_template() -> bytes:
    """An empty sheet with the columns and one example line per indicator's name (to be replaced)."""
    wb, ws = new_sheet("健康小屋自检人次", TALLY_HEADERS, [True] * 4)
    write_row(ws, ["（站点编码）", timezone.localdate().isoformat(), _labels()[HealthIndicator.BLOOD_PRESSURE], 0])
    return to_bytes(wb)


def tallies_file_name(place, what: str = "") -> str:
    return f"健康小屋自检人次-{place.code}-{what or timezone.localdate().isoformat()}.xlsx"


def read_tallies(fileobj) -> tuple[list[tuple], list[int]]:
    """The rows of an uploaded tallies sheet, in the columns' order, and their Excel row numbers.
    CellError (Chinese) for a file that is not a workbook, wrong headers or too many rows."""
    sheet = open_sheet(fileobj)
    missing = [h for h in TALLY_HEADERS if h not in sheet.headers]
    if missing:
        raise CellError(f"缺少必需的列：{'、'.join(missing)}（应为 {' / '.join(TALLY_HEADERS)}）")
    positions = [sheet.headers.index(h) for h in TALLY_HEADERS]
    rows = sheet.rows()
    if len(rows) > MAX_ROWS:
        raise CellError(f"一次最多导入 {MAX_ROWS} 行")
    if rows and str(rows[0][1][positions[0]] or "").startswith("（"):
        rows = rows[1:]  # the template's example line
    if not rows:
        raise CellError("文件中没有数据行")
    values = [tuple(v[i] if i < len(v) else None for i in positions) for _n, v in rows]
    return values, [n for n, _v in rows]
