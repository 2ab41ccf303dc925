"""Excel import/export of the three lists and of the results, reusing the registry's generic engine
(`Spec`/`Col`, all-or-nothing validation with row-level Chinese errors) with matching's own capabilities."""

from __future__ import annotations

from django.db.models import Prefetch

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for, scoped
from gongzhi.matching import engine, selectors
from gongzhi.matching.models import Campaign, Need, Project, Resource
from gongzhi.matching.workflow import ProjectState
from gongzhi.registry import excel as rx
from gongzhi.registry.models import MemberUnit, PartyOrg, Region

Col, Spec = rx.Col, rx.Spec
URGENCY_HINT = "1–5，5 最紧急"


def _campaign() -> Col:
    return Col("认领活动", "campaign", "fk", hint="活动名称", ref=Campaign, lookup="name")


RESOURCE_COLUMNS = (
    rx._code(), _campaign(), Col("名称", "title", required=True, hint="必填"), Col("说明", "description"),
    Col("类别", "category", "choice", True, "必填", choices=engine.RESOURCE_CATEGORIES),
    Col("提供单位编码", "provider_unit", "fk", hint="共建单位编码，与提供党组织二选一", ref=MemberUnit),
    Col("提供党组织编码", "provider_org", "fk", hint="党组织编码", ref=PartyOrg),
    Col("数量", "capacity", "int", True, "必填，整数"),
    Col("计量单位", "unit", "choice", True, "必填", choices=engine.UNITS),
    Col("开始日期", "starts_on", "date", True, "必填，如 2026-03-01"),
    Col("结束日期", "ends_on", "date", True, "必填，如 2026-12-31"),
    Col("服务区域编码", "regions", "m2m", True, "必填，多个用、分隔", ref=Region),
    Col("联系人", "contact_name"), Col("联系电话", "contact_phone", personal="phone"),
    Col("状态", "status", "choice", choices={"open": "可认领", "exhausted": "已用完", "withdrawn": "已撤回"}),
)
NEED_COLUMNS = (
    rx._code(), _campaign(), Col("名称", "title", required=True, hint="必填"), Col("说明", "description"),
    Col("类别", "category", "choice", True, "必填", choices=engine.NEED_CATEGORIES),
    Col("来源", "source", "choice", choices={
        "residential_area": "居民区", "grid": "网格", "service_station": "党群服务站", "resident_group": "居民团队",
        "hot_issue": "热点问题", "top_concerns": "关注度前十"}),
    Col("地点编码", "place", "fk", True, "必填，居民区或网格的编码", ref=Region, scope=True),
    Col("受益人数", "beneficiaries", "int"), Col("需求数量", "quantity", "int", hint="整数，默认 1"),
    Col("计量单位", "unit", "choice", choices=engine.UNITS),
    Col("开始日期", "starts_on", "date", True, "必填，如 2026-03-01"),
    Col("结束日期", "ends_on", "date", True, "必填，如 2026-12-31"),
    Col("紧急程度", "urgency", "int", hint=URGENCY_HINT),
    Col("状态", "status", "choice", choices={"open": "待认领", "met": "已满足", "closed": "已关闭"}),
)
PROJECT_HEADERS = ["编号", "项目", "认领活动", "需求编码", "资源编码", "提供方", "地点", "状态", "数量", "预算（元）",
                   "受益人数", "服务时长", "满意度"]
STATE_ZH = {"proposed": "待确认", "agreed": "已确认", "in_progress": "实施中", "completed": "已完成",
            "evaluated": "已评价", "declined": "已拒绝", "cancelled": "已取消"}
assert set(STATE_ZH) == set(ProjectState.values)
KINDS = {"resources": "资源清单", "needs": "需求清单", "projects": "项目清单"}


def _dates_check(obj) -> list[tuple[str, str]]:
    if obj.starts_on and obj.ends_on and obj.ends_on < obj.starts_on:
        return [("结束日期", "结束日期早于开始日期")]
    return []


def spec(kind: str, user=None) -> Spec:
    if kind == "resources":
        def check(obj):
            errors = _dates_check(obj)
            if not (obj.provider_unit_id or obj.provider_org_id):
                errors.append(("提供单位编码", "提供单位和提供党组织至少填一项"))
            elif user is not None and not selectors.can_edit_resource(user, obj):
                errors.append(("提供单位编码", "只能登记本单位或管理范围内的资源"))
            return errors
        return Spec("resources", "资源清单", Resource, RESOURCE_COLUMNS, check=check)
    if kind == "needs":
        return Spec("needs", "需求清单", Need, NEED_COLUMNS, check=_dates_check)
    raise ValueError(f"未知的清单类型「{kind}」")


class _Importer(rx._Importer):
    def __init__(self, spec_: Spec, user):
        super().__init__(spec_, user)
        capability = selectors.MANAGE if spec_.model is Need else selectors.OFFER
        self.scope = scope_for(user, selectors.MANAGE)
        if spec_.model is Need:
            self.editable = set(scoped(user, Need, capability).values_list("pk", flat=True))
        else:
            self.editable = {r.pk for r in Resource.objects.select_related("provider_unit__region", "provider_org__region")
                             if selectors.can_edit_resource(user, r)}


def import_file(kind: str, fileobj, user) -> rx.ImportResult:
    """All or nothing: the whole file is checked; any error means nothing is written."""
    sp = spec(kind, user)
    try:
        headers, rows = rx.read_rows(fileobj)
    except rx.CellError as e:
        result = rx.ImportResult()
        result.error(None, "", str(e))
        return result
    importer = _Importer(sp, user)
    importer.validate(headers, rows)
    if importer.result.ok:
        importer.write()
    return importer.result


def template_workbook(kind: str) -> bytes:
    sp = spec(kind)
    wb, ws = rx._new_sheet(sp)
    ws.append(sp.hints())
    return rx._save(wb)


def export_workbook(kind: str, user) -> bytes:
    unmasked = has_capability(user, Capability.VIEW_PERSONAL_DATA)
    if kind == "projects":
        sp = Spec("projects", "项目清单", Project, ())
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = sp.label
        ws.append(PROJECT_HEADERS)
        rx._style_header(ws, [False] * len(PROJECT_HEADERS))
        for p in selectors.projects_for(user).order_by("pk"):
            ws.append([p.pk, p.title, p.campaign.name if p.campaign else None, p.need.code, p.resource.code,
                       str(p.resource.provider), p.need.place.name, STATE_ZH[p.state], p.amount, float(p.budget),
                       p.beneficiaries_served, p.hours, p.satisfaction])
        return rx._save(wb)
    sp = spec(kind)
    qs = selectors.resources_for(user) if kind == "resources" else selectors.needs_for(user)
    qs = qs.select_related("campaign", *[c.field for c in sp.columns if c.type == "fk"])
    if kind == "resources":
        qs = qs.prefetch_related(Prefetch("regions", queryset=Region.objects.only("code")))
    wb, ws = rx._new_sheet(sp)
    for obj in qs.order_by("code"):
        ws.append([rx.export_cell(c, obj, unmasked) for c in sp.columns])
    return rx._save(wb)


def results_workbook(data: dict, title: str) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "概况"
    ws.append(["指标", "数值"])
    for label, key in (("项目数", "projects"), ("已完成", "completed"), ("完成率（%）", "completion_rate"),
                       ("受益人数", "beneficiaries"), ("服务时长", "hours"), ("需求数", "needs"),
                       ("未满足需求", "unmet_needs")):
        ws.append([label, data[key]])
    for name, key in (("按类型", "by_type"), ("按单位", "by_unit"), ("按居民区", "by_area")):
        sheet = wb.create_sheet(name)
        sheet.append([name[1:], "项目数"])
        for row in data[key]:
            sheet.append(list(row))
    wb.properties.title = title
    return rx._save(wb)

