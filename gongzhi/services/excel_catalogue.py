"""The service catalogue in Excel, for the core engine (gongzhi.core.excel): one row per item with its materials
checklist in one cell (材料A；材料B（可选）), in the user's catalogue and with the list page's filters.

The import is all or nothing (a row with any error means nothing is written), through the catalogue's own import
service (`gongzhi.services.services.catalogue.import_items`, which the demo uses too): a row whose 编码 is new
creates an item, a row with the 编码 of an item the importer manages updates it (its checklist replaced by the
材料 cell). The category is given by its name or code, the owning region by its code (empty: city-wide)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import override

from gongzhi.accounts.scope import scope_for
from gongzhi.core.errors import ValidationFailed
from gongzhi.core.excel import CellError, Col, ListSpec, ModelImporter
from gongzhi.core.excel.books import text as cell_text
from gongzhi.registry.models import Region
from gongzhi.services.models import ServiceCategory, ServiceItem, ServiceMaterial
from gongzhi.services.policies import catalogue as policies
from gongzhi.services.selectors import catalogue as selectors
from gongzhi.services.services import catalogue as services

MATERIALS = "所需材料"


def item_rows(user, params):
    return selectors.items_for(user, **selectors.filters(params)).prefetch_related(
        Prefetch("materials", queryset=ServiceMaterial.objects.order_by("position", "pk"))).order_by(
        "category__position", "position", "code")


class ItemImporter(ModelImporter):
    """Rows checked by the catalogue services' own validation, written by their import service in one go."""

    def __init__(self, spec: ListSpec, user):
        super().__init__(spec, user)
        self.by_code = {i.code: i for i in self.objects}
        self.taken = set(self.by_code)
        self.categories: dict[str, list[ServiceCategory]] = {}
        for c in ServiceCategory.objects.all():
            for key in {c.code, c.name}:
                self.categories.setdefault(key, []).append(c)
        self.rows: list[dict] = []
        self.unchanged = 0
        self.codes_at: dict[str, int] = {}
        self.materials_at: int | None = None
        self.raw: dict[int, tuple] = {}

    def validate(self, positions, rows, progress=None) -> None:
        self.materials_at = positions.get(MATERIALS)  # a computed column on export, read here on import
        self.raw = dict(rows)
        super().validate(positions, rows, progress)

    def parse(self, col: Col, raw, rownum: int):
        if col.field == "category":
            value = cell_text(raw)
            found = self.categories.get(value, [])
            if len(found) != 1:
                raise CellError(f"有多个名为「{value}」的分类，请填写分类编码" if found else f"找不到分类「{value}」")
            return found[0]
        if col.field == "region":
            value = cell_text(raw)
            region = Region.objects.filter(code=value).first()
            if region is None:
                raise CellError(f"找不到区域「{value}」")
            return region
        return super().parse(col, raw, rownum)

    def blank_value(self, col: Col):
        return None if col.field in ("category", "region") else super().blank_value(col)

    def _materials(self, rownum: int):
        if self.materials_at is None:
            return None
        values = self.raw.get(rownum, ())
        raw = values[self.materials_at] if self.materials_at < len(values) else None
        return services.parse_materials(cell_text(raw) if raw is not None else "")

    def validate_row(self, rownum: int, values: dict, columns: list[Col]) -> None:
        parsed, errors = self.parse_row(rownum, values, columns)
        if errors:
            return self.fail(rownum, errors)
        code = parsed["code"]
        if code in self.codes_at:
            return self.fail(rownum, [("编码", f"与第 {self.codes_at[code]} 行重复")])
        self.codes_at[code] = rownum
        item = self.by_code.get(code)
        if item is not None and not policies.manages(self.user, item):
            return self.fail(rownum, [("编码", "该事项不在您的管理范围内，不能修改")])
        row = {k: v for k, v in parsed.items() if k in services.ITEM_FIELDS}
        materials = self._materials(rownum)
        headers = {c.field: c.header for c in self.spec.columns}
        found = []
        with override("zh-hans"):
            try:
                cleaned = services.clean_item(row, actor=self.user, item=item, taken=self.taken)
            except ValidationFailed as e:
                cleaned = None
                found += [(headers.get(f, f), m)
                          for f, ms in e.field_errors.items() for m in ms]
            try:
                materials = services.clean_materials(materials) if materials is not None else None
            except ValidationFailed as e:
                found += [(MATERIALS, m) for m in e.field_errors["materials"]]
        if found:
            return self.fail(rownum, found)
        self.taken.add(code)
        if item is not None:
            now = [(m.name, m.required, m.note) for m in item.materials.all()]
            same_materials = materials is None or now == [(m["name"], m["required"], m["note"]) for m in materials]
            if same_materials and all(getattr(item, k) == v for k, v in cleaned.items()):
                self.unchanged += 1
                return None
        self.rows.append({"item": item, **row, "materials": materials if materials is not None or item else []})
        return None

    def write(self) -> None:
        counts = services.import_items(self.rows, actor=self.user)
        self.result.created, self.result.updated = counts["created"], counts["updated"]
        self.result.unchanged = self.unchanged + counts["unchanged"]


def _choosable(user, model):
    if model is ServiceCategory:
        return ServiceCategory.objects.all()
    if model is Region:
        return scope_for(user, policies.MANAGE).filter(
            Region.objects.filter(kind__in=("district", "subdistrict", "residential_area")))
    return model._default_manager.none()


YES_NO = "是 / 否"
ITEMS = ListSpec(
    "service_items", "服务事项目录", ServiceItem, (
        Col("编码", "code", required=True, hint="必填，字母、数字、-、_，唯一；已有编码则更新该事项"),
        Col("名称", "name", required=True, hint="必填"),
        Col("分类", "category", "fk", True, "必填，分类名称或编码", ref=ServiceCategory, lookup="name"),
        Col("层级", "level", "choice", hint="全市通办 / 区 / 街道 / 居民区"),
        Col("所属区域编码", "region", "fk", hint="全市通办事项留空；其他为同层级区域的编码", ref=Region),
        Col(MATERIALS, "materials", hint="用；分隔，可选材料后加（可选），如 身份证；户口簿（可选）",
            value=selectors.materials_text),
        Col("办理时限（工作日）", "time_limit_days", "int", hint="整数，0 表示当场办结"),
        Col("收费（元）", "fee", "decimal", hint="免费填 0"),
        Col("可预约", "bookable", "bool", hint=YES_NO),
        Col("可远程办理", "remote", "bool", hint=YES_NO),
        Col("面向居民", "for_residents", "bool", hint=YES_NO),
        Col("面向白领", "for_office_workers", "bool", hint=YES_NO),
        Col("楼宇站点可办", "for_building_stations", "bool", hint=YES_NO),
        Col("关键词", "keywords", hint="便于检索，多个用空格分隔"),
        Col("设定依据", "legal_basis"),
        Col("事项说明", "description"),
        Col("在用", "active", "bool", hint="是 / 否，否则不在公开目录中显示"),
        Col("排序", "position", "int", hint="整数，小的在前"),
    ),
    rows=item_rows,
    view=(policies.VIEW,),
    edit=(policies.MANAGE,),
    key=("code",),
    importer=ItemImporter,
    choosable=_choosable,
)
