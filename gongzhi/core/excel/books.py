"""Writing and reading workbooks: templates with drop-downs, exports masked as on screen, error reports.

Every cell goes through `write_row`: a text that a spreadsheet could take for a formula (it starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return, OWASP's list for CSV/formula injection) is stored as a text cell
with Excel's quote prefix, which is how Excel itself keeps a text typed as ``'=...``: shown and kept as text, never
evaluated, and read back unchanged (no apostrophe is added to the value), so an export imports again as it was.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.utils import timezone
from django.utils.translation import override
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from gongzhi.core.excel.spec import Col, ListSpec
from gongzhi.core.masking import mask, personal_data_visible

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 20000  # per import, and per export (an export imports again)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
OPTIONS_SHEET = "选项"


class CellError(Exception):
    """A cell (or the file) cannot be read; the message is Chinese."""


# --- writing ------------------------------------------------------------------------------------------------


NOT_XML = re.compile("[\ufffe\uffff]")


def safe(value):
    """A value as written to a cell: characters XML cannot hold are dropped."""
    return NOT_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", value)) if isinstance(value, str) else value


def write_row(ws, values) -> None:
    """Append a row; texts that look like formulas are written as quoted text (see the module docstring)."""
    ws.append([safe(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_START):
                cell.quotePrefix = True


def to_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def new_sheet(title: str, headers: list[str], required: list[bool] | None = None):
    """A workbook whose first sheet has a bold, frozen header row (required columns in red)."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    write_row(ws, headers)
    fill = PatternFill("solid", fgColor="F6E3E3")
    for i, cell in enumerate(ws[1]):
        cell.font = Font(bold=True, color="C00000" if required and required[i] else "000000")
        cell.fill = fill
        ws.column_dimensions[get_column_letter(i + 1)].width = max(12, 2 * len(str(cell.value)) + 4)
    ws.freeze_panes = "A2"
    return wb, ws


def _spec_sheet(spec: ListSpec):
    return new_sheet(spec.title, [c.header for c in spec.columns], [c.required for c in spec.columns])


def file_name(spec: ListSpec, what: str = "") -> str:
    """Chinese and dated, e.g. 党员名册-2026-12-02.xlsx or 党员名册-导入模板.xlsx."""
    return f"{spec.title}-{what or timezone.localdate().isoformat()}.xlsx"


def errors_workbook(errors: list[dict]) -> bytes:
    wb, ws = new_sheet("错误报告", ["行", "列", "错误"])
    for e in errors:
        write_row(ws, [e["row"], e["column"], e["message"]])
    ws.column_dimensions["C"].width = 70
    return to_bytes(wb)


def _options(spec: ListSpec, col: Col, user) -> list[str]:
    if col.type == "bool":
        return ["是", "否"]
    if col.type == "choice":
        return list(choice_labels(spec, col).values())
    if col.type == "fk" and user is not None and spec.choosable is not None:
        qs = spec.choosable(user, col.ref).filter(**(col.ref_filter or {}))
        if col.kinds:
            qs = qs.filter(kind__in=col.kinds)
        return sorted({str(v) for v in qs.values_list(col.lookup, flat=True)[:MAX_ROWS]})
    return []


def template_workbook(spec: ListSpec, user=None) -> bytes:
    """Header row, hint row, and drop-down lists: choices and 是/否 (strict), the references the user may pick
    (a warning only: a code may also be defined in a row above)."""
    wb, ws = _spec_sheet(spec)
    write_row(ws, spec.hints())
    for cell in ws[2]:
        cell.font = Font(italic=True, color="808080")
    ws.freeze_panes = "A3"
    options_ws = None
    for i, col in enumerate(spec.columns, start=1):
        options = _options(spec, col, user) if not col.read_only else []
        if not options:
            continue
        inline = '"' + ",".join(options) + '"'
        if col.type != "fk" and len(inline) <= 255 and not any("," in o or '"' in o for o in options):
            formula = inline
        else:
            if options_ws is None:
                options_ws = wb.create_sheet(OPTIONS_SHEET)
                options_ws.sheet_state = "hidden"
            at = get_column_letter(i)
            for row, option in enumerate([col.header, *options], start=1):
                options_ws[f"{at}{row}"] = safe(option)
                options_ws[f"{at}{row}"].data_type = "s"
                options_ws[f"{at}{row}"].quotePrefix = option.startswith(FORMULA_START)
            formula = f"'{OPTIONS_SHEET}'!${at}$2:${at}${len(options) + 1}"
        strict = col.type != "fk"
        dv = DataValidation(type="list", formula1=formula, allow_blank=not col.required,
                            errorStyle="stop" if strict else "warning")
        dv.error, dv.errorTitle = ("请从下拉列表中选择", "无效的值") if strict else ("列表中没有这个编码", "请确认")
        letter = get_column_letter(i)
        dv.add(f"{letter}3:{letter}{MAX_ROWS + 2}")
        ws.add_data_validation(dv)
    return to_bytes(wb)


def choice_labels(spec: ListSpec, col: Col) -> dict[str, str]:
    """value → Chinese label of a choice column (its own, or the model field's translated choices)."""
    if col.choices is not None:
        return col.choices
    with override("zh-hans"):
        return {value: str(label) for value, label in spec.model._meta.get_field(col.field).flatchoices}


def export_cell(spec: ListSpec, col: Col, obj, visible: bool):
    if col.value is not None:
        return col.value(obj)
    if col.type == "m2m":
        return "、".join(sorted(str(getattr(o, col.lookup)) for o in getattr(obj, col.field).all()))
    value = getattr(obj, col.field)
    if col.type == "fk":
        return getattr(value, col.lookup) if value is not None else None
    if col.type == "choice":
        return choice_labels(spec, col).get(value, value) if value else None
    if col.type == "bool":
        return "是" if value else "否"
    if col.type == "decimal":
        return float(value) if value is not None else None
    if col.type == "datetime":
        return timezone.localtime(value).replace(tzinfo=None) if value else None
    if value and not visible and (kind := spec.personal(col)):
        return mask(kind, value)
    return value if value != "" else None


def parents_first(spec: ListSpec, objects: list) -> list:
    """Rows that refer to rows of the same list come after them, so the export imports again."""
    self_fks = [c.field for c in spec.columns if c.type == "fk" and c.ref is spec.model]
    if not self_fks:
        return objects
    by_pk = {o.pk: o for o in objects}

    def depth(o, seen=()):
        ids = [getattr(o, f + "_id") for f in self_fks]
        parents = [by_pk[i] for i in ids if i in by_pk and i not in seen]
        return 1 + max((depth(p, (*seen, o.pk)) for p in parents), default=0)

    return sorted(objects, key=depth)


def export_rows(spec: ListSpec, user=None, params: Mapping | None = None):
    """The rows of the export: what ``user`` may see of the list, filtered by ``params`` as on its page
    (with no user, the server operator: everything)."""
    qs = spec.rows(user, params or {}) if user is not None else spec.model._default_manager.all()
    qs = qs.select_related(*[c.field for c in spec.columns if c.type == "fk"])
    return qs.prefetch_related(*[c.field for c in spec.columns if c.type == "m2m"])


def export_workbook(spec: ListSpec, user=None, params: Mapping | None = None, *, revealed: bool = False) -> bytes:
    """The list as ``user`` sees it: scoped, and personal data masked exactly as on the screen, unless the export
    is ``revealed`` (recorded with a reason by gongzhi.core.reveal) for a user who may see it."""
    wb, ws = _spec_sheet(spec)
    personal = any(spec.personal(c) for c in spec.columns)
    with override("zh-hans"):
        for obj in parents_first(spec, list(export_rows(spec, user, params)[:MAX_ROWS])):
            visible = user is None or not personal or personal_data_visible(
                user, obj, own=bool(spec.own and spec.own(user, obj)), revealed=revealed)
            write_row(ws, [export_cell(spec, c, obj, visible) for c in spec.columns])
    for i, c in enumerate(spec.columns, start=1):
        if c.type in ("date", "datetime"):
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = "yyyy-mm-dd" if c.type == "date" else "yyyy-mm-dd hh:mm"
    return to_bytes(wb)


# --- reading ------------------------------------------------------------------------------------------------


def blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


@dataclass
class Sheet:
    """The first sheet of an uploaded workbook: its header row, read first, and its data rows, read lazily."""

    headers: list[str]
    _rows: Iterator

    def rows(self, limit: int = MAX_ROWS + 1) -> list[tuple[int, tuple]]:
        """Up to ``limit`` non-empty data rows, with their Excel row numbers."""
        body = ((n, r) for n, r in enumerate(self._rows, start=2) if r and not all(blank(v) for v in r))
        return list(islice(body, limit))


def open_sheet(fileobj) -> Sheet:
    try:
        data = fileobj.read() if hasattr(fileobj, "read") else Path(fileobj).read_bytes()
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise CellError
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
    except Exception:  # noqa: BLE001 - any failure to open means "not an xlsx file"
        raise CellError("文件不是有效的 Excel 文件（.xlsx），请使用下载的模板填写后上传") from None
    if not header or all(blank(v) for v in header):
        raise CellError("文件是空的：第 1 行应为列标题")
    return Sheet([str(v).strip() if not blank(v) else "" for v in header], rows)


def text(raw) -> str:
    """A cell read as text: whole numbers without ``.0``, dates as 2024-01-31, surrounding blanks trimmed."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, (dt.date, dt.datetime)):
        raw = raw.strftime("%Y-%m-%d")
    return str(raw).strip()
