"""All-or-nothing import: the header row is checked first (a wrong file is refused before its rows are read), then
every row (cells, references, scope, duplicates, the app's own check, model validation); any error means nothing
is written. Errors are (row as numbered in Excel, column header, Chinese message). Only a clean file reaches the
app's row writer (`ListSpec.write`), which writes every row in one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import override

from gongzhi.accounts.scope import Scope
from gongzhi.core.excel.books import MAX_ROWS, CellError, blank, choice_labels, open_sheet, text
from gongzhi.core.excel.spec import Col, ListSpec
from gongzhi.core.masking import mask

HEADER_ROW = 1
TRUE = {"是", "y", "yes", "true", "1", "√"}
FALSE = {"否", "n", "no", "false", "0", "×"}


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


def errors_text(errors: list[dict]) -> str:
    return "\n".join(f"第 {e['row'] or '-'} 行\t{e['column'] or '-'}\t{e['message']}" for e in errors)


def check_headers(spec: ListSpec, headers: list[str], result: ImportResult) -> dict[str, int]:
    """header → position of each known column; unknown, repeated and missing required columns are errors."""
    known = {c.header for c in spec.columns}
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
    return positions


def _cell(values: tuple, i: int):
    return values[i] if i < len(values) else None


class ModelImporter:
    """Validates rows into unsaved model objects (created or matched by the spec's key), then hands them to the
    app's writer. Subclasses (lists with rules of their own) override `validate_row` and/or `write`."""

    def __init__(self, spec: ListSpec, user):
        self.spec, self.user, self.model = spec, user, spec.model
        self.result = ImportResult()
        self.scope = spec.import_scope(user) if spec.import_scope else Scope()
        self.editable = set(spec.editable(user)) if spec.editable else set()
        self.objects = list(self.model._default_manager.all())
        self.index: dict[tuple, models.Model | None] = {}
        for obj in self.objects:
            for key in self.obj_keys(obj):
                self.index[key] = obj if key not in self.index else None  # None: ambiguous
        self.refs: dict[tuple, dict[str, list]] = {}
        self.scoped: dict[type, set[int]] = {}
        self.plans: list[tuple[models.Model, bool, dict, dict, bool]] = []
        self.seen: dict[tuple, int] = {}
        self.defined_at: dict[str, int] = {}

    # keys -----------------------------------------------------------------------------------------------
    def obj_keys(self, obj) -> list[tuple]:
        """The key of an existing row as a cell gives it (texts trimmed), and its masked form (an export without
        personal data imports again)."""
        parts = [getattr(obj, self.model._meta.get_field(f).attname) for f in self.spec.key]
        parts = [p.strip() if isinstance(p, str) else p for p in parts]
        keys = [tuple(parts)]
        masked = tuple(mask(kind, p) if (kind := self.spec.personal(self.spec.col(f))) else p
                       for f, p in zip(self.spec.key, parts, strict=True))
        if masked != keys[0]:
            keys.append(masked)
        return keys

    def row_key(self, parsed: dict) -> tuple:
        return tuple(v.pk if isinstance(v, models.Model) else v for v in (parsed[f] for f in self.spec.key))

    # references -----------------------------------------------------------------------------------------
    def ref_index(self, col: Col) -> dict[str, list]:
        key = (col.ref, col.lookup)
        if key not in self.refs:
            objs = self.objects if col.ref is self.model else col.ref._default_manager.all()
            index: dict[str, list] = {}
            for o in objs:
                index.setdefault(str(getattr(o, col.lookup)), []).append(o)
            self.refs[key] = index
        return self.refs[key]

    def lookup(self, col: Col, value: str, rownum: int):
        found = [o for o in self.ref_index(col).get(value, [])
                 if all(getattr(o, k) == v for k, v in (col.ref_filter or {}).items())]
        with override("zh-hans"):
            name = str(col.ref._meta.verbose_name)
            if not found:
                later = self.defined_at.get(value) if col.ref is self.model else None
                if later and later > rownum:
                    raise CellError(f"{name}「{value}」在第 {later} 行才定义，须排在本行之前")
                raise CellError(f"找不到{name}「{value}」")
            if len(found) > 1:
                raise CellError(f"有多个名为「{value}」的{name}，无法确定")
            obj = found[0]
            if col.kinds and obj.kind not in col.kinds:
                labels = dict(col.ref._meta.get_field("kind").flatchoices)
                wanted = "或".join(str(labels[k]) for k in col.kinds)
                raise CellError(f"「{value}」是{obj.get_kind_display()}，此处应填{wanted}的编码")
        return obj

    def in_scope(self, obj) -> bool:
        """Whether a referenced row lies in the importer's scope (rows defined above in the file do)."""
        if obj.pk <= 0 or self.scope.everything:
            return True
        model = type(obj)
        if model not in self.scoped:
            self.scoped[model] = set(self.scope.filter(model._default_manager.all()).values_list("pk", flat=True))
        return obj.pk in self.scoped[model]

    # cells ----------------------------------------------------------------------------------------------
    def parse(self, col: Col, raw, rownum: int):
        if col.type == "m2m":
            parts = [p.strip() for p in re.split(r"[、,，;；\s]+", str(raw)) if p.strip()]
            return [self.lookup(col, p, rownum) for p in dict.fromkeys(parts)]
        if col.type in ("text", "fk", "choice"):
            value = text(raw)
            if col.type == "fk":
                return self.lookup(col, value, rownum)
            return self.choice(col, value) if col.type == "choice" else value
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
            value = str(raw).strip().lower()
            if raw is True or value in TRUE:
                return True
            if raw is False or value in FALSE:
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
        raise CellError(f"此列（{col.type}）不能导入")

    def choice(self, col: Col, value: str) -> str:
        labels = choice_labels(self.spec, col)
        for key, label in labels.items():
            if value in (key, label):
                return key
        with override("zh-hans"):
            for key, label in self.model._meta.get_field(col.field).flatchoices:
                if value == str(label) and key in labels:
                    return key
        if (col.aliases or {}).get(value) in labels:
            return col.aliases[value]
        raise CellError(f"「{value}」不是可选值，可选：{' / '.join(labels.values())}")

    def blank_value(self, col: Col):
        if col.type == "m2m":
            return []
        model_field = self.model._meta.get_field(col.field)
        return None if model_field.null else model_field.get_default()

    # rows -----------------------------------------------------------------------------------------------
    def validate(self, positions: dict[str, int], rows: list[tuple[int, tuple]],
                 progress: Callable[[int, int], None] | None = None) -> None:
        spec, result = self.spec, self.result
        columns = [c for c in spec.columns if c.header in positions and not c.read_only]
        hints = dict(zip([c.header for c in spec.columns], spec.hints(), strict=True))
        if rows and all(blank(v) or str(v).strip() == hints[h]
                        for h, i in positions.items() for v in [_cell(rows[0][1], i)]):
            rows = rows[1:]  # the template's hint row
        if not rows:
            result.error(None, "", "文件中没有数据行")
            return
        if len(rows) > MAX_ROWS:
            result.error(None, "", f"一次最多导入 {MAX_ROWS} 行，本文件超过了 {MAX_ROWS} 行")
            return
        result.total = len(rows)
        for c in spec.columns:
            if c.type == "fk" and c.ref is self.model and (h := next(
                    (x.header for x in spec.columns if x.field == c.lookup), None)) in positions:
                for rownum, values in rows:
                    if not blank(raw := _cell(values, positions[h])):
                        self.defined_at.setdefault(str(raw).strip(), rownum)
        step = max(1, len(rows) // 100)
        for done, (rownum, values) in enumerate(rows, start=1):
            self.validate_row(rownum, {c.header: _cell(values, positions[c.header]) for c in columns}, columns)
            if progress and (done % step == 0 or done == len(rows)):
                progress(done, len(rows))

    def parse_row(self, rownum: int, values: dict, columns: list[Col]) -> tuple[dict, list[tuple[str, str]]]:
        parsed, errors = {}, []
        for col in columns:
            raw = values[col.header]
            if blank(raw):
                if col.required:
                    errors.append((col.header, "必填，不能为空"))
                parsed[col.field] = self.blank_value(col)
                continue
            try:
                parsed[col.field] = self.parse(col, raw, rownum)
            except CellError as e:
                errors.append((col.header, str(e)))
        return parsed, errors

    def validate_row(self, rownum: int, values: dict, columns: list[Col]) -> None:
        spec = self.spec
        parsed, errors = self.parse_row(rownum, values, columns)
        if any(h in {spec.col(f).header for f in spec.key} for h, _ in errors):
            return self.fail(rownum, errors)
        key = self.row_key(parsed)
        first_col = spec.col(spec.key[0]).header
        if key in self.seen:
            return self.fail(rownum, [(first_col, f"与第 {self.seen[key]} 行重复")] + errors)
        self.seen[key] = rownum
        obj = self.index.get(key, False)
        if obj is None:
            return self.fail(rownum, [(first_col, "匹配到多条已有记录，无法确定要更新哪一条")] + errors)
        is_new = obj is False
        if is_new:
            obj = self.model()
        elif obj.pk not in self.editable:
            return self.fail(rownum, [(first_col, "该记录不在您的管理范围内，不能修改")] + errors)
        before = {f.attname: getattr(obj, f.attname) for f in self.model._meta.concrete_fields}
        fks, m2m = {}, {}
        for col in columns:
            if col.field not in parsed:
                continue
            value = parsed[col.field]
            if col.scope and (is_new or before[col.field + "_id"] != getattr(value, "pk", None)):
                if value is None and not self.scope.everything:
                    errors.append((col.header, "只有系统管理员可以导入没有上级的记录"))
                elif value is not None and not self.in_scope(value):
                    errors.append((col.header, f"「{values[col.header]}」不在您的管理范围内"))
            if col.type == "m2m":
                m2m[col.field] = value
            elif col.type == "fk":
                fks[col.field] = value
                setattr(obj, col.field, value)
            elif isinstance(value, str) and "*" in value and (kind := spec.personal(col)):
                if is_new or mask(kind, before.get(col.field) or "") != value:
                    errors.append((col.header, "含 * 的脱敏信息不能导入，请填写完整内容"))
            else:
                setattr(obj, col.field, value)
        if is_new:
            obj.pk = -rownum  # stands in until written, so rows below may refer to this one
            for col in spec.columns:
                if col.type == "fk" and col.ref is self.model:
                    self.ref_index(col).setdefault(str(getattr(obj, col.lookup)), []).append(obj)
        if errors:
            return self.fail(rownum, errors)
        if spec.check and (errors := spec.check(obj, self.user)):
            return self.fail(rownum, errors)
        exclude = [f.name for f in self.model._meta.get_fields()
                   if f.name not in {c.field for c in columns} or f.name in fks or f.name in m2m]
        errors = self.full_clean(obj, exclude)
        if errors:
            return self.fail(rownum, errors)
        changed = is_new or before != {f.attname: getattr(obj, f.attname) for f in self.model._meta.concrete_fields}
        if not is_new and not changed:
            for fname, targets in m2m.items():
                if set(getattr(obj, fname).values_list("pk", flat=True)) != {t.pk for t in targets}:
                    changed = True
        self.plans.append((obj, is_new, fks, m2m, changed))
        return None

    def full_clean(self, obj, exclude: list[str]) -> list[tuple[str, str]]:
        """The model's own validation, as (header, Chinese message) pairs."""
        with override("zh-hans"):
            try:
                obj.full_clean(exclude=exclude)
            except ValidationError as e:
                headers = {c.field: c.header for c in self.spec.columns}
                return [(headers.get(name, "" if name == NON_FIELD_ERRORS else name), str(m))
                        for name, messages in e.message_dict.items() for m in messages]
        return []

    def fail(self, rownum: int, errors: list[tuple[str, str]]) -> None:
        for header, message in errors:
            self.result.error(rownum, header, message)

    # writing --------------------------------------------------------------------------------------------
    def rows_to_write(self):
        """(obj, m2m) of each changed row, its references to rows above re-pointed at the rows just written."""
        for obj, is_new, fks, m2m, changed in self.plans:
            if changed:
                if is_new:
                    obj.pk = None
                for fname, target in fks.items():
                    setattr(obj, fname, target)
                yield obj, m2m

    def count(self) -> None:
        for _obj, is_new, _fks, _m2m, changed in self.plans:
            counter = "created" if is_new else "updated" if changed else "unchanged"
            setattr(self.result, counter, getattr(self.result, counter) + 1)

    def write(self) -> None:
        self.count()
        self.spec.write(self.rows_to_write(), actor=self.user)


def import_file(spec: ListSpec, fileobj, user, *, progress: Callable[[int, int], None] | None = None,
                on_total: Callable[[int], None] | None = None, on_write: Callable[[], None] | None = None,
                dry_run: bool = False) -> ImportResult:
    """Check the header row, then the whole file; only if there is no error is every row written, in one
    transaction."""
    result = ImportResult()
    try:
        sheet = open_sheet(fileobj)
    except CellError as e:
        result.error(None, "", str(e))
        return result
    positions = check_headers(spec, sheet.headers, result)
    if result.errors:
        return result  # refused before a single data row is read
    return import_rows(spec, positions, sheet.rows(), user, progress=progress, on_total=on_total,
                       on_write=on_write, dry_run=dry_run)


def import_rows(spec: ListSpec, positions: dict[str, int], rows: list[tuple[int, tuple]], user, *,
                progress=None, on_total=None, on_write=None, dry_run: bool = False) -> ImportResult:
    importer = (spec.importer or ModelImporter)(spec, user)
    if on_total:
        on_total(len(rows))
    importer.validate(positions, rows, progress)
    if importer.result.ok and not dry_run:
        if on_write:
            on_write()
        importer.write()
    return importer.result
