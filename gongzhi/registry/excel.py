"""Excel (xlsx) import and export of the registry lists: one generic engine driven by small specs.

Each list (`SPECS[kind]`) declares its columns: a Chinese header, the model field, whether it is
required and how a cell is read (text, int, decimal, bool 是/否, date, choice by Chinese label or value,
a foreign key or many-to-many looked up by code). Templates, exports and imports all use the same
columns, so an export can be imported again unchanged.

An import is all or nothing: the whole file is validated first (columns, cells, references, scope,
duplicates, model validation); any error means nothing is written. Errors are (row as numbered in
Excel, column header, Chinese message).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.translation import override
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for, scoped
from gongzhi.core.masking import mask_id_number, mask_phone
from gongzhi.registry.models import (
    REGION_CHILD_KIND,
    Building,
    Liaison,
    MemberUnit,
    PartyMember,
    PartyOrg,
    ProfessionalTeam,
    Region,
    ServicePlace,
    VolunteerTeam,
)

CHANGE_REASON = "Excel import"
MAX_ROWS = 20000
HEADER_ROW = 1


# --- Specs ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    header: str
    field: str
    type: str = "text"  # text | int | decimal | bool | date | choice | fk | m2m
    required: bool = False
    hint: str = ""
    choices: dict[str, str] | None = None  # value -> Chinese label
    ref: type[models.Model] | None = None  # fk / m2m target
    lookup: str = "code"  # the target's identifying field
    ref_filter: dict | None = None  # the target must also match these values
    kinds: tuple[str, ...] = ()  # allowed region kinds of a Region reference
    scope: bool = False  # places the row in the region tree: must lie in the importer's edit scope
    personal: str = ""  # "phone" | "id": masked on export without VIEW_PERSONAL_DATA


@dataclass(frozen=True)
class Spec:
    kind: str
    label: str
    model: type[models.Model]
    columns: tuple[Col, ...]
    key: tuple[str, ...] = ("code",)  # fields that identify a row (create or update)
    check: Callable[[models.Model], list[tuple[str, str]]] | None = None

    def hints(self) -> list[str]:
        return [c.hint or ("必填" if c.required else "") for c in self.columns]

    def col(self, field_name: str) -> Col:
        return next(c for c in self.columns if c.field == field_name)


REGION_KINDS = {"district": "区", "subdistrict": "街道", "residential_area": "居民区", "grid": "微网格"}
BUILDING_KINDS = {"residential": "居民楼栋", "office": "商务楼宇"}
UNIT_KINDS = {
    "enterprise": "企业", "public_institution": "事业单位", "hospital": "医院", "school": "学校",
    "social_organization": "社会组织", "government_department": "机关部门",
}
ORG_KINDS = {
    "working_committee": "党工委", "committee": "党委", "joint_committee": "联合党委",
    "general_branch": "党总支", "branch": "党支部",
}
MEMBER_STATUSES = {"full": "正式党员", "probationary": "预备党员"}
GENDERS = {"male": "男", "female": "女"}
TEAM_KINDS = {
    "urban_management": "城管", "housing": "房办", "city_appearance": "市容", "police": "社区民警",
    "fire": "消防", "market_supervision": "市场监管", "other": "其他",
}
PLACE_KINDS = {"centre": "党建服务中心", "station": "党群服务站"}
ALIASES = {"镇": "subdistrict", "网格": "grid", "楼栋": "residential", "楼宇": "office",
           "正式": "full", "预备": "probationary"}
REF_NAMES = {Region: "区域", Building: "楼宇", MemberUnit: "共建单位", PartyOrg: "党组织",
             Liaison: "首席联络员", ServicePlace: "服务中心"}


def _code(header: str = "编码") -> Col:
    return Col(header, "code", required=True, hint="必填，字母、数字、-、_，唯一")


def _region(header: str = "所属区域编码", kinds: tuple[str, ...] = (), required: bool = True) -> Col:
    what = "或".join(REGION_KINDS[k] for k in kinds) or "区域"
    return Col(header, "region", "fk", required, f"{'必填，' if required else ''}{what}的编码", ref=Region,
               kinds=kinds, scope=True)


def _region_check(obj: Region) -> list[tuple[str, str]]:
    parent = obj.parent if obj.parent_id else None
    if parent is not None and obj.pk and obj.pk > 0 and parent.path.startswith(obj.path or "#"):
        return [("上级编码", "上级不能是本区域或其下级区域")]
    expected = REGION_CHILD_KIND.get(parent.kind if parent else None)
    if expected and obj.kind != expected:
        where = f"「{REGION_KINDS[parent.kind]}」之下" if parent else "最上层（无上级）"
        return [("类型", f"位于{where}的区域类型应为「{REGION_KINDS[expected]}」")]
    return []


SPECS: dict[str, Spec] = {s.kind: s for s in [
    Spec("regions", "区域", Region, (
        _code(),
        Col("名称", "name", required=True, hint="必填"),
        Col("类型", "kind", "choice", True, "必填：区 / 街道 / 居民区 / 微网格", REGION_KINDS),
        Col("上级编码", "parent", "fk", hint="上级区域的编码（可在本表前面的行中定义）；区留空", ref=Region,
            scope=True),
        Col("居委会", "residents_committee"),
        Col("户数", "households", "int", hint="整数"),
        Col("人口", "population", "int", hint="整数"),
        Col("地址", "address"),
    ), check=_region_check),
    Spec("buildings", "楼栋楼宇", Building, (
        _code(),
        Col("名称", "name", required=True, hint="必填"),
        Col("类型", "kind", "choice", hint="居民楼栋 / 商务楼宇", choices=BUILDING_KINDS),
        _region(kinds=("grid", "residential_area")),
        Col("地址", "address"),
        Col("楼层数", "floors", "int", hint="整数"),
        Col("户数", "households", "int", hint="整数"),
        Col("重点楼宇", "is_key_building", "bool", hint="是 / 否"),
        Col("纬度", "latitude", "decimal", hint="如 31.230416"),
        Col("经度", "longitude", "decimal", hint="如 121.473701"),
    )),
    Spec("member_units", "共建单位", MemberUnit, (
        _code(),
        Col("名称", "name", required=True, hint="必填"),
        Col("类型", "kind", "choice", True, "必填：" + " / ".join(UNIT_KINDS.values()), UNIT_KINDS),
        _region(),
        Col("所在楼宇编码", "building", "fk", hint="楼栋楼宇的编码", ref=Building),
        Col("地址", "address"),
        Col("职工人数", "headcount", "int", hint="整数"),
        Col("建有党组织", "has_party_org", "bool", hint="是 / 否"),
        Col("两新组织", "is_two_new", "bool", hint="是 / 否"),
        Col("联席会议成员单位", "in_joint_meeting", "bool", hint="是 / 否"),
        Col("联系人", "contact_name"),
        Col("联系电话", "contact_phone", hint="手机或座机", personal="phone"),
        Col("加入日期", "joined_on", "date", hint="如 2024-03-01"),
    )),
    Spec("party_orgs", "党组织", PartyOrg, (
        _code(),
        Col("名称", "name", required=True, hint="必填"),
        Col("类型", "kind", "choice", True, "必填：" + " / ".join(ORG_KINDS.values()), ORG_KINDS),
        Col("上级编码", "parent", "fk", hint="上级党组织的编码（可在本表前面的行中定义）", ref=PartyOrg),
        _region(),
        Col("所属共建单位编码", "member_unit", "fk", hint="共建单位的编码", ref=MemberUnit),
        Col("成立日期", "founded_on", "date", hint="如 2010-07-01"),
    )),
    Spec("party_members", "党员", PartyMember, (
        Col("姓名", "name", required=True, hint="必填；姓名+党组织编码+手机号码确定一名党员"),
        Col("性别", "gender", "choice", hint="男 / 女", choices=GENDERS),
        Col("党组织编码", "organization", "fk", True, "必填，所在党组织的编码", ref=PartyOrg, scope=True),
        Col("党员状态", "status", "choice", hint="正式党员 / 预备党员", choices=MEMBER_STATUSES),
        Col("入党日期", "joined_on", "date", hint="如 2001-07-01"),
        Col("手机号码", "phone", hint="手机或座机", personal="phone"),
        Col("身份证号", "id_number", hint="18 位", personal="id"),
        Col("家庭住址", "address"),
        Col("流动党员", "is_mobile", "bool", hint="是 / 否"),
        Col("报到居民区编码", "registered_area", "fk", hint="在职党员报到的居民区编码", ref=Region,
            kinds=("residential_area",)),
        Col("报到日期", "registered_on", "date", hint="如 2024-03-01"),
        Col("服务网格编码", "grid", "fk", hint="微网格的编码", ref=Region, kinds=("grid",)),
    ), key=("name", "organization", "phone")),
    Spec("liaisons", "楼宇联络员", Liaison, (
        Col("姓名", "name", required=True, hint="必填；姓名+所属街道编码确定一名联络员"),
        Col("手机号码", "phone", hint="手机或座机", personal="phone"),
        _region("所属街道编码", kinds=("subdistrict",)),
        Col("首席联络员", "is_chief", "bool", hint="是 / 否"),
        Col("所属首席联络员", "chief", "fk", hint="首席联络员的姓名（可在本表前面的行中定义）", ref=Liaison,
            lookup="name", ref_filter={"is_chief": True}),
        Col("联系楼宇编码", "buildings", "m2m", hint="楼宇编码，多个用、或 , 分隔", ref=Building),
    ), key=("name", "region")),
    Spec("professional_teams", "专业队伍", ProfessionalTeam, (
        Col("名称", "name", required=True, hint="必填；名称+所属区域编码确定一支队伍"),
        Col("类型", "kind", "choice", True, "必填：" + " / ".join(TEAM_KINDS.values()), TEAM_KINDS),
        _region(),
        Col("下沉网格编码", "grids", "m2m", hint="微网格编码，多个用、或 , 分隔", ref=Region, kinds=("grid",)),
        Col("负责人", "leader_name"),
        Col("负责人电话", "leader_phone", hint="手机或座机", personal="phone"),
    ), key=("name", "region")),
    Spec("volunteer_teams", "志愿者服务队", VolunteerTeam, (
        Col("名称", "name", required=True, hint="必填；名称+所属区域编码确定一支队伍"),
        _region(),
        Col("所属共建单位编码", "member_unit", "fk", hint="共建单位的编码", ref=MemberUnit),
        Col("服务特长", "speciality"),
        Col("负责人", "leader_name"),
        Col("负责人电话", "leader_phone", hint="手机或座机", personal="phone"),
        Col("队员人数", "member_count", "int", hint="整数"),
    ), key=("name", "region")),
    Spec("service_places", "服务阵地", ServicePlace, (
        _code(),
        Col("名称", "name", required=True, hint="必填"),
        Col("类型", "kind", "choice", hint="党建服务中心 / 党群服务站", choices=PLACE_KINDS),
        Col("所属服务中心编码", "centre", "fk", hint="服务中心的编码（可在本表前面的行中定义）", ref=ServicePlace,
            ref_filter={"kind": "centre"}),
        _region(),
        Col("所在楼宇编码", "building", "fk", hint="楼栋楼宇的编码", ref=Building),
        Col("地址", "address"),
        Col("开放时间", "opening_hours"),
        Col("联系电话", "phone", hint="手机或座机"),
    )),
]}

KIND_CHOICES = [(s.kind, s.label) for s in SPECS.values()]


def get_spec(kind: str) -> Spec:
    try:
        return SPECS[kind]
    except KeyError:
        raise ValueError(f"未知的名录类型「{kind}」，可选：{', '.join(SPECS)}") from None


# --- Errors and results -------------------------------------------------------------------------------


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int | None, column: str, message: str) -> None:
        self.errors.append({"row": row, "column": column, "message": message})


class CellError(Exception):
    pass


def errors_text(errors: list[dict]) -> str:
    return "\n".join(f"第 {e['row'] or '-'} 行\t{e['column'] or '-'}\t{e['message']}" for e in errors)


def errors_workbook(errors: list[dict]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "错误报告"
    ws.append(["行", "列", "错误"])
    for e in errors:
        ws.append([e["row"], e["column"], e["message"]])
    _style_header(ws, [False] * 3)
    ws.column_dimensions["C"].width = 70
    return _save(wb)


# --- Templates and export -----------------------------------------------------------------------------


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _style_header(ws, required: list[bool]) -> None:
    fill = PatternFill("solid", fgColor="F6E3E3")
    for i, cell in enumerate(ws[HEADER_ROW]):
        cell.font = Font(bold=True, color="C00000" if required[i] else "000000")
        cell.fill = fill
        ws.column_dimensions[get_column_letter(i + 1)].width = max(12, 2 * len(str(cell.value)) + 4)
    ws.freeze_panes = "A2"


def _new_sheet(spec: Spec):
    wb = Workbook()
    ws = wb.active
    ws.title = spec.label
    ws.append([c.header for c in spec.columns])
    _style_header(ws, [c.required for c in spec.columns])
    return wb, ws


def template_workbook(kind: str) -> bytes:
    """Header row, a hint row, and drop-down lists for choice and yes/no columns."""
    spec = get_spec(kind)
    wb, ws = _new_sheet(spec)
    ws.append(spec.hints())
    for cell in ws[2]:
        cell.font = Font(italic=True, color="808080")
    ws.freeze_panes = "A3"
    for i, c in enumerate(spec.columns, start=1):
        options = list(c.choices.values()) if c.type == "choice" else ["是", "否"] if c.type == "bool" else None
        if options:
            dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=not c.required)
            dv.error, dv.errorTitle = "请从下拉列表中选择", "无效的值"
            letter = get_column_letter(i)
            dv.add(f"{letter}3:{letter}{MAX_ROWS}")
            ws.add_data_validation(dv)
    return _save(wb)


def _ordered(spec: Spec, objects: list) -> list:
    """Parents before children, so the export imports again (references point to rows above)."""
    self_fks = [c.field for c in spec.columns if c.type == "fk" and c.ref is spec.model]
    if not self_fks:
        return objects
    by_pk = {o.pk: o for o in objects}

    def depth(o, seen=()):
        ids = [getattr(o, f + "_id") for f in self_fks]
        parents = [by_pk[i] for i in ids if i in by_pk and i not in seen]
        return 1 + max((depth(p, (*seen, o.pk)) for p in parents), default=0)

    return sorted(objects, key=depth)


def export_cell(col: Col, obj, unmasked: bool):
    value = getattr(obj, col.field) if col.type != "m2m" else None
    if col.type == "m2m":
        return "、".join(sorted(getattr(o, col.lookup) for o in getattr(obj, col.field).all()))
    if col.type == "fk":
        return getattr(value, col.lookup) if value is not None else None
    if col.type == "choice":
        return col.choices.get(value, value) if value else None
    if col.type == "bool":
        return "是" if value else "否"
    if col.type == "decimal":
        return float(value) if value is not None else None
    if col.personal and value and not unmasked:
        return mask_phone(value) if col.personal == "phone" else mask_id_number(value)
    return value if value != "" else None


def export_queryset(spec: Spec, user=None):
    qs = spec.model._default_manager.all() if user is None else scoped(user, spec.model, Capability.VIEW_REGISTRY)
    related = [c.field for c in spec.columns if c.type == "fk"]
    m2m = [c.field for c in spec.columns if c.type == "m2m"]
    return qs.select_related(*related).prefetch_related(*m2m)


def export_workbook(kind: str, user=None) -> bytes:
    """The list as `user` may see it (everything, unmasked, when no user is given: the server operator)."""
    spec = get_spec(kind)
    unmasked = user is None or has_capability(user, Capability.VIEW_PERSONAL_DATA)
    wb, ws = _new_sheet(spec)
    for obj in _ordered(spec, list(export_queryset(spec, user))):
        ws.append([export_cell(c, obj, unmasked) for c in spec.columns])
    for i, c in enumerate(spec.columns, start=1):
        if c.type == "date":
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = "yyyy-mm-dd"
    return _save(wb)


# --- Reading a file -----------------------------------------------------------------------------------


def read_rows(fileobj) -> tuple[list[str], list[tuple[int, tuple]]]:
    """The header and the non-empty data rows (with their Excel row numbers) of the first sheet."""
    try:
        data = fileobj.read() if hasattr(fileobj, "read") else Path(fileobj).read_bytes()
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise CellError
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any failure to open means "not an xlsx file"
        raise CellError("文件不是有效的 Excel 文件（.xlsx），请使用下载的模板填写后上传") from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if not header or all(_blank(v) for v in header):
        raise CellError("文件是空的：第 1 行应为列标题")
    headers = [str(v).strip() if not _blank(v) else "" for v in header]
    body = [(n, r) for n, r in enumerate(rows, start=2) if r and not all(_blank(v) for v in r)]
    wb.close()
    return headers, body


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


# --- Import engine ------------------------------------------------------------------------------------


class _Importer:
    def __init__(self, spec: Spec, user):
        self.spec, self.user = spec, user
        self.model = spec.model
        self.result = ImportResult()
        self.scope = scope_for(user, Capability.EDIT_REGISTRY)
        self.editable = set(scoped(user, self.model, Capability.EDIT_REGISTRY).values_list("pk", flat=True))
        self.objects = list(self.model._default_manager.all())
        self.index: dict[tuple, models.Model | None] = {}
        for obj in self.objects:
            for key in self._obj_keys(obj):
                self.index[key] = obj if key not in self.index else None  # None: ambiguous
        self.refs: dict[tuple, dict[str, list]] = {}
        self.plans: list[tuple[models.Model, bool, dict, dict, bool]] = []
        self.seen: dict[tuple, int] = {}
        self.defined_at: dict[str, int] = {}

    # keys -----------------------------------------------------------------------------------
    def _obj_keys(self, obj) -> list[tuple]:
        parts = []
        for f in self.spec.key:
            model_field = self.model._meta.get_field(f)
            parts.append(getattr(obj, model_field.attname))
        keys = [tuple(parts)]
        masked = [mask_phone(p) if self.spec.col(f).personal == "phone" and p else p
                  for f, p in zip(self.spec.key, parts, strict=True)]
        if tuple(masked) != keys[0]:
            keys.append(tuple(masked))
        return keys

    def _row_key(self, parsed: dict) -> tuple:
        return tuple(v.pk if isinstance(v, models.Model) else v for v in (parsed[f] for f in self.spec.key))

    # references -----------------------------------------------------------------------------
    def _ref_index(self, col: Col) -> dict[str, list]:
        key = (col.ref, col.lookup)
        if key not in self.refs:
            objs = self.objects if col.ref is self.model else col.ref._default_manager.all()
            index: dict[str, list] = {}
            for o in objs:
                index.setdefault(str(getattr(o, col.lookup)), []).append(o)
            self.refs[key] = index
        return self.refs[key]

    def _lookup(self, col: Col, value: str, rownum: int):
        found = [o for o in self._ref_index(col).get(value, [])
                 if all(getattr(o, k) == v for k, v in (col.ref_filter or {}).items())]
        name = REF_NAMES.get(col.ref, "记录")
        if not found:
            later = self.defined_at.get(value) if col.ref is self.model else None
            if later and later > rownum:
                raise CellError(f"{name}「{value}」在第 {later} 行才定义，须排在本行之前")
            raise CellError(f"找不到{name}「{value}」")
        if len(found) > 1:
            raise CellError(f"有多个名为「{value}」的{name}，无法确定")
        obj = found[0]
        if col.kinds and obj.kind not in col.kinds:
            wanted = "或".join(REGION_KINDS[k] for k in col.kinds)
            raise CellError(f"「{value}」是{REGION_KINDS.get(obj.kind, obj.kind)}，此处应填{wanted}的编码")
        return obj

    # cells ----------------------------------------------------------------------------------
    def _parse(self, col: Col, raw, rownum: int):
        if col.type == "m2m":
            parts = [p.strip() for p in re.split(r"[、,，;；\s]+", str(raw)) if p.strip()]
            return [self._lookup(col, p, rownum) for p in dict.fromkeys(parts)]
        if col.type in ("text", "fk", "choice"):
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            if isinstance(raw, (dt.date, dt.datetime)):
                raw = raw.strftime("%Y-%m-%d")
            text = str(raw).strip()
            if col.type == "fk":
                return self._lookup(col, text, rownum)
            if col.type == "choice":
                return self._choice(col, text)
            return text
        if col.type == "int":
            if isinstance(raw, bool):
                raise CellError("应填写整数")
            if isinstance(raw, float) and raw.is_integer():
                return int(raw)
            if isinstance(raw, int) or re.fullmatch(r"-?\d+", str(raw).strip()):
                return int(str(raw).strip())
            raise CellError(f"「{raw}」不是整数")
        if col.type == "decimal":
            try:
                return Decimal(str(raw).strip())
            except InvalidOperation:
                raise CellError(f"「{raw}」不是数字") from None
        if col.type == "bool":
            text = str(raw).strip().lower()
            if raw is True or text in {"是", "y", "yes", "true", "1", "√"}:
                return True
            if raw is False or text in {"否", "n", "no", "false", "0", "×"}:
                return False
            raise CellError(f"「{raw}」应填写 是 或 否")
        if col.type == "date":
            if isinstance(raw, dt.datetime):
                return raw.date()
            if isinstance(raw, dt.date):
                return raw
            m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", str(raw).strip())
            try:
                return dt.date(*(int(g) for g in m.groups()))
            except (AttributeError, ValueError):
                raise CellError(f"「{raw}」不是有效日期，请写成 2024-01-31") from None
        raise AssertionError(col.type)  # pragma: no cover

    def _choice(self, col: Col, text: str) -> str:
        field_choices = dict(self.model._meta.get_field(col.field).choices)
        for value, label in col.choices.items():
            if text in (value, label, str(field_choices.get(value, "")), str(col.choices[value])):
                return value
        with override("zh-hans"):
            for value, label in field_choices.items():
                if text == str(label):
                    return value
        if ALIASES.get(text) in col.choices:
            return ALIASES[text]
        raise CellError(f"「{text}」不是可选值，可选：{' / '.join(col.choices.values())}")

    def _blank_value(self, col: Col):
        if col.type == "m2m":
            return []
        model_field = self.model._meta.get_field(col.field)
        return None if model_field.null else model_field.get_default()

    # rows -----------------------------------------------------------------------------------
    def validate(self, headers: list[str], rows: list[tuple[int, tuple]], progress=None) -> None:
        spec, result = self.spec, self.result
        known = {c.header: c for c in spec.columns}
        positions: dict[str, int] = {}
        for i, h in enumerate(headers):
            if not h:
                continue
            if h not in known:
                result.error(HEADER_ROW, h, f"未知的列「{h}」，请使用模板中的列标题")
            elif h in positions:
                result.error(HEADER_ROW, h, f"列「{h}」重复出现")
            else:
                positions[h] = i
        for c in spec.columns:
            if c.header not in positions and (c.required or c.field in spec.key):
                result.error(HEADER_ROW, c.header, f"缺少必需的列「{c.header}」")
        if result.errors:
            return
        columns = [c for c in spec.columns if c.header in positions]
        hints = dict(zip([c.header for c in spec.columns], spec.hints(), strict=True))
        if rows and all(_blank(v) or str(v).strip() == hints[h]
                        for h, i in positions.items() for v in [_cell(rows[0][1], i)]):
            rows = rows[1:]  # the template's hint row
        if not rows:
            result.error(None, "", "文件中没有数据行")
            return
        if len(rows) > MAX_ROWS:
            result.error(None, "", f"一次最多导入 {MAX_ROWS} 行，本文件有 {len(rows)} 行")
            return
        result.total = len(rows)
        self_refs = {c.lookup for c in spec.columns if c.type == "fk" and c.ref is self.model}
        for rownum, values in rows:
            for lookup in self_refs:
                if (h := next((c.header for c in spec.columns if c.field == lookup), None)) in positions:
                    raw = _cell(values, positions[h])
                    if not _blank(raw):
                        self.defined_at.setdefault(str(raw).strip(), rownum)
        step = max(1, len(rows) // 100)
        for done, (rownum, values) in enumerate(rows, start=1):
            self._validate_row(rownum, {c.header: _cell(values, positions[c.header]) for c in columns}, columns)
            if progress and (done % step == 0 or done == len(rows)):
                progress(done, len(rows))

    def _validate_row(self, rownum: int, values: dict, columns: list[Col]) -> None:
        spec, errors = self.spec, []
        parsed: dict = {}
        for col in columns:
            raw = values[col.header]
            if _blank(raw):
                if col.required:
                    errors.append((col.header, "必填，不能为空"))
                parsed[col.field] = self._blank_value(col)
                continue
            try:
                parsed[col.field] = self._parse(col, raw, rownum)
            except CellError as e:
                errors.append((col.header, str(e)))
        if any(h in {spec.col(f).header for f in spec.key} for h, _ in errors):
            return self._fail(rownum, errors)
        key = self._row_key(parsed)
        first_col = spec.col(spec.key[0]).header
        if key in self.seen:
            return self._fail(rownum, [(first_col, f"与第 {self.seen[key]} 行重复")] + errors)
        self.seen[key] = rownum
        obj = self.index.get(key, False)
        if obj is None:
            return self._fail(rownum, [(first_col, "匹配到多条已有记录，无法确定要更新哪一条")] + errors)
        is_new = obj is False
        if is_new:
            obj = self.model()
        elif obj.pk not in self.editable:
            return self._fail(rownum, [(first_col, "该记录不在您的管理范围内，不能修改")] + errors)
        before = {f.attname: getattr(obj, f.attname) for f in self.model._meta.concrete_fields}
        fks, m2m = {}, {}
        for col in columns:
            if col.field not in parsed:
                continue
            value = parsed[col.field]
            if col.scope and (is_new or before[col.field + "_id"] != getattr(value, "pk", None)):
                if value is None and not self.scope.everything:
                    errors.append((col.header, "只有系统管理员可以导入没有上级的记录"))
                elif value is not None and value.pk > 0 and not self.scope.covers_path(_scope_path(value)):
                    errors.append((col.header, f"「{values[col.header]}」不在您的管理范围内"))
            if col.type == "m2m":
                m2m[col.field] = value
            elif col.type == "fk":
                fks[col.field] = value
                setattr(obj, col.field, value)
            elif col.personal and isinstance(value, str) and "*" in value:
                current = before.get(col.field) or ""
                masked = mask_phone(current) if col.personal == "phone" else mask_id_number(current)
                if is_new or masked != value:
                    errors.append((col.header, "含 * 的脱敏号码不能导入，请填写完整号码"))
            else:
                setattr(obj, col.field, value)
        if is_new:
            obj.pk = -rownum  # stands in until written, so rows below may refer to this one
            for col in spec.columns:
                if col.type == "fk" and col.ref is self.model:
                    self._ref_index(col).setdefault(str(getattr(obj, col.lookup)), []).append(obj)
        if errors:
            return self._fail(rownum, errors)
        if spec.check and (errors := spec.check(obj)):
            return self._fail(rownum, errors)
        exclude = [f.name for f in self.model._meta.get_fields()
                   if f.name not in {c.field for c in columns} or f.name in fks or f.name in m2m]
        with override("zh-hans"):
            try:
                obj.full_clean(exclude=exclude)
            except ValidationError as e:
                headers = {c.field: c.header for c in spec.columns}
                for fname, messages in e.message_dict.items():
                    header = headers.get(fname, "" if fname == NON_FIELD_ERRORS else fname)
                    errors.extend((header, str(m)) for m in messages)
        if errors:
            return self._fail(rownum, errors)
        changed = is_new or before != {f.attname: getattr(obj, f.attname) for f in self.model._meta.concrete_fields}
        if not is_new and not changed:
            for fname, targets in m2m.items():
                if set(getattr(obj, fname).values_list("pk", flat=True)) != {t.pk for t in targets}:
                    changed = True
        self.plans.append((obj, is_new, fks, m2m, changed))
        return None

    def _fail(self, rownum: int, errors: list[tuple[str, str]]) -> None:
        for header, message in errors:
            self.result.error(rownum, header, message)

    def write(self) -> None:
        for obj, is_new, *_ in self.plans:
            if is_new:
                obj.pk = None
        with transaction.atomic():
            for obj, is_new, fks, m2m, changed in self.plans:
                if not changed:
                    self.result.unchanged += 1
                    continue
                for fname, target in fks.items():
                    setattr(obj, fname, target)  # re-point at rows written just above
                obj._history_user = self.user
                obj._change_reason = CHANGE_REASON
                obj.save()
                for fname, targets in m2m.items():
                    getattr(obj, fname).set(targets)
                if is_new:
                    self.result.created += 1
                else:
                    self.result.updated += 1


def _cell(values: tuple, i: int):
    return values[i] if i < len(values) else None


def _scope_path(obj) -> str:
    return obj.path if isinstance(obj, Region) else obj.region.path


def import_file(kind: str, fileobj, user, progress: Callable[[int, int], None] | None = None,
                on_total: Callable[[int], None] | None = None, on_write: Callable[[], None] | None = None,
                dry_run: bool = False) -> ImportResult:
    """Validate the whole file, then (only if there is no error) write every row in one transaction."""
    spec = get_spec(kind)
    try:
        headers, rows = read_rows(fileobj)
    except CellError as e:
        result = ImportResult()
        result.error(None, "", str(e))
        return result
    importer = _Importer(spec, user)
    if on_total:
        on_total(len(rows))
    importer.validate(headers, rows, progress)
    if importer.result.ok and not dry_run:
        if on_write:
            on_write()
        importer.write()
    return importer.result


# --- Jobs ---------------------------------------------------------------------------------------------


def run_job(job_id: int) -> None:
    """Run one ImportJob; progress is written in its own short updates, outside the data transaction."""
    from django.utils import timezone

    from gongzhi.core.models import ImportJob

    job = ImportJob.objects.select_related("user").get(pk=job_id)
    jobs = ImportJob.objects.filter(pk=job.pk)
    jobs.update(status=ImportJob.Status.VALIDATING)
    try:
        if not has_capability(job.user, Capability.IMPORT_REGISTRY):
            result = ImportResult()
            result.error(None, "", "您没有导入名录的权限")
        else:
            with job.file.open("rb") as fh:
                result = import_file(
                    job.kind, fh, job.user,
                    progress=lambda done, total: jobs.update(processed_rows=done),
                    on_total=lambda total: jobs.update(total_rows=total),
                    on_write=lambda: jobs.update(status=ImportJob.Status.WRITING),
                )
    except Exception:
        jobs.update(status=ImportJob.Status.CRASHED, finished_at=timezone.now(),
                    errors=[{"row": None, "column": "", "message": "导入时发生系统错误，未写入任何数据，请联系管理员"}])
        raise
    finally:
        job.file.delete(save=False)  # the upload may hold personal data: keep only the outcome
        jobs.update(file="")
    jobs.update(
        status=ImportJob.Status.DONE if result.ok else ImportJob.Status.FAILED,
        errors=result.errors, created_rows=result.created, updated_rows=result.updated,
        unchanged_rows=result.unchanged, finished_at=timezone.now(),
        **({"processed_rows": result.total, "total_rows": result.total} if result.ok else {}),
    )
