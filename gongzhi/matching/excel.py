"""The matching lists in Excel (resources, needs, projects): declarations for the core engine (gongzhi.core.excel),
the project list's own import rules, and the results workbook. Imported rows are written by matching's services."""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import scope_for, scoped
from gongzhi.core.excel import (
    CellError,
    Col,
    ImportResult,
    ListSpec,
    ModelImporter,
    new_sheet,
    to_bytes,
    write_row,
)
from gongzhi.matching import engine, selectors, services
from gongzhi.matching.models import Campaign, Need, Project, Resource
from gongzhi.matching.workflow import ACTIVE_STATES, LIVE_STATES, ProjectState
from gongzhi.registry.models import MemberUnit, PartyOrg, Region

VIEW, MANAGE, OFFER = Capability.VIEW_MATCHING, Capability.MANAGE_MATCHING, Capability.OFFER_MATCHING
URGENCY_HINT = "1–5，5 最紧急"
READ_ONLY = "仅供查看，导入时忽略"


def _code() -> Col:
    return Col("编码", "code", required=True, hint="必填，字母、数字、-、_，唯一")


def _campaign() -> Col:
    return Col("认领活动", "campaign", "fk", hint="活动名称", ref=Campaign, lookup="name")


def _choosable(user, model):
    """What the template's drop-downs offer: the campaigns, needs and resources of the user's lists, else the
    registry rows in the user's matching scope."""
    found = {Campaign: selectors.campaigns_for, Need: selectors.needs_for, Resource: selectors.resources_for}
    return found[model](user) if model in found else scoped(user, model, VIEW)


def _dates_check(obj, user=None) -> list[tuple[str, str]]:
    if obj.starts_on and obj.ends_on and obj.ends_on < obj.starts_on:
        return [("结束日期", "结束日期早于开始日期")]
    return []


def _resource_check(obj, user) -> list[tuple[str, str]]:
    errors = _dates_check(obj)
    if not (obj.provider_unit_id or obj.provider_org_id):
        errors.append(("提供单位编码", "提供单位和提供党组织至少填一项"))
    elif not selectors.can_edit_resource(user, obj):
        errors.append(("提供单位编码", "只能登记本单位或管理范围内的资源"))
    return errors


def _editable_resources(user) -> set[int]:
    return {r.pk for r in Resource.objects.select_related("provider_unit__region", "provider_org__region")
            if selectors.can_edit_resource(user, r)}


COMMON = {"view": (VIEW,), "edit": (OFFER, MANAGE), "choosable": _choosable,
          "import_scope": lambda user: scope_for(user, MANAGE)}

RESOURCES = ListSpec(
    "resources", "资源清单", Resource, (
        _code(), _campaign(), Col("名称", "title", required=True, hint="必填"), Col("说明", "description"),
        Col("类别", "category", "choice", True, "必填", choices=engine.RESOURCE_CATEGORIES),
        Col("提供单位编码", "provider_unit", "fk", hint="共建单位编码，与提供党组织二选一", ref=MemberUnit),
        Col("提供党组织编码", "provider_org", "fk", hint="党组织编码", ref=PartyOrg),
        Col("数量", "capacity", "int", True, "必填，整数"),
        Col("计量单位", "unit", "choice", True, "必填", choices=engine.UNITS),
        Col("开始日期", "starts_on", "date", True, "必填，如 2026-03-01"),
        Col("结束日期", "ends_on", "date", True, "必填，如 2026-12-31"),
        Col("服务区域编码", "regions", "m2m", True, "必填，多个用、分隔", ref=Region),
        Col("联系人", "contact_name"), Col("联系电话", "contact_phone"),
        Col("状态", "status", "choice", choices={"open": "可认领", "exhausted": "已用完", "withdrawn": "已撤回"}),
    ),
    rows=lambda user, params: selectors.filter_list(
        selectors.resources_for(user), params, ("category", "status", "campaign")).order_by("code"),
    editable=_editable_resources, check=_resource_check, write=services.import_rows,
    own=selectors.is_provider, **COMMON,
)

NEEDS = ListSpec(
    "needs", "需求清单", Need, (
        _code(), _campaign(), Col("名称", "title", required=True, hint="必填"), Col("说明", "description"),
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
    ),
    rows=lambda user, params: selectors.filter_list(
        selectors.needs_for(user), params, ("category", "status", "campaign", "urgency")).order_by("code"),
    editable=lambda user: scoped(user, Need, MANAGE).values_list("pk", flat=True), check=_dates_check,
    write=services.import_rows, **COMMON,
)

STATE_ZH = {"proposed": "待确认", "agreed": "已确认", "in_progress": "实施中", "completed": "已完成",
            "evaluated": "已评价", "declined": "已拒绝", "cancelled": "已取消"}
assert set(STATE_ZH) == set(ProjectState.values)
INITIATOR_ZH = {"provider": "提供方认领需求", "community": "社区认领资源", "matcher": "全局匹配推荐"}
TRACKED = ("title", "campaign_id", "state", "initiated_by", "amount", "plan", "budget", "beneficiaries_served",
           "hours", "satisfaction")


class ProjectImporter(ModelImporter):
    """The project list: rows are keyed by 编号 (blank = new project); need and resource by their codes.

    Only the project's sides (the need's community, the resource's provider) may create or change a row;
    unchanged rows of any visible project pass, so an export imports again as a no-op. An existing project's
    state is not changed by an import (that is the workflow's job); a new one may be imported in any state."""

    def __init__(self, spec: ListSpec, user):
        self.spec, self.user, self.model = spec, user, Project
        self.result, self.refs, self.objects, self.defined_at, self.plans = ImportResult(), {}, [], {}, []
        self.visible = {p.pk: p for p in selectors.projects_for(user).select_related("resource__provider_org__region")}
        self.needs = {n.code: n for n in selectors.needs_for(user)}
        self.resources = {r.code: r for r in selectors.resources_for(user).select_related(
            "provider_org__region", "provider_unit__region")}
        self.campaigns: dict[str, list[Campaign]] = {}
        for c in selectors.campaigns_for(user):
            self.campaigns.setdefault(c.name, []).append(c)
        self.used = selectors.used_amounts()
        self.busy = set(Project.objects.filter(state__in=ACTIVE_STATES).values_list("need_id", "resource_id"))
        self.seen: dict[int, int] = {}

    def lookup(self, col: Col, value: str, rownum: int):
        if col.field == "campaign":
            found = self.campaigns.get(value, [])
            if len(found) > 1:
                raise CellError(f"有多个名为「{value}」的认领活动，无法确定")
            if found:
                return found[0]
            raise CellError(f"找不到认领活动「{value}」")
        found = (self.needs if col.field == "need" else self.resources).get(value)
        if found is None:
            what = "需求" if col.field == "need" else "资源"
            raise CellError(f"找不到{what}「{value}」，或不在您的查看范围内")
        return found

    def blank_value(self, col: Col):
        return None if col.field in ("id", "initiated_by", "state") else super().blank_value(col)

    def validate_row(self, rownum: int, values: dict, columns: list[Col]) -> None:
        user = self.user
        parsed, errors = self.parse_row(rownum, values, columns)
        if errors:
            return self.fail(rownum, errors)
        need, resource, pk = parsed["need"], parsed["resource"], parsed.get("id")
        if pk is not None:
            if pk in self.seen:
                return self.fail(rownum, [("编号", f"与第 {self.seen[pk]} 行重复")])
            self.seen[pk] = rownum
            obj = self.visible.get(pk)
            if obj is None:
                return self.fail(rownum, [("编号", f"找不到编号为 {pk} 的项目，或不在您的查看范围内")])
            if (obj.need_id, obj.resource_id) != (need.pk, resource.pk):
                errors.append(("需求编码", "已有项目不能更换需求或资源"))
        else:
            obj = Project(need=need, resource=resource, created_by=user, state=ProjectState.PROPOSED,
                          campaign=need.campaign or resource.campaign)
        is_new = obj.pk is None
        before = {f: getattr(obj, f) for f in TRACKED}
        community, provider = selectors.is_community(user, need), selectors.is_provider(user, resource)
        for col in columns:
            if col.field not in parsed or col.field in ("id", "need", "resource"):
                continue
            value = parsed[col.field]
            if col.field == "state":
                value = value or obj.state
                if not is_new and value != obj.state:
                    errors.append((col.header, "已有项目的状态请在项目页面按流程变更，不能通过导入修改"))
            elif col.field == "initiated_by":
                value = value or obj.initiated_by or ("community" if community else "provider")
            elif col.field == "campaign" and value is None and is_new:
                continue
            setattr(obj, col.field, value)
        changed = is_new or before != {f: getattr(obj, f) for f in TRACKED}
        if changed and not (community or provider):
            errors.append(("编号" if not is_new else "需求编码", "该项目不在您的管理范围内，不能导入或修改"))
        if obj.state == ProjectState.EVALUATED and obj.satisfaction is None:
            errors.append(("满意度", "已评价的项目须填写满意度（1–5）"))
        if changed and obj.state in LIVE_STATES:
            own = before["amount"] if not is_new and before["state"] in LIVE_STATES else 0
            left = resource.capacity - self.used.get(resource.pk, 0) + own
            if obj.amount > left:
                errors.append(("数量", f"超出资源「{resource.code}」的剩余数量（剩余 {max(left, 0)}）"))
            self.used[resource.pk] = self.used.get(resource.pk, 0) - own + obj.amount
        if is_new and obj.state in ACTIVE_STATES:
            if (need.pk, resource.pk) in self.busy:
                errors.append(("资源编码", "该需求与该资源已有进行中的项目"))
            self.busy.add((need.pk, resource.pk))
        errors += self.full_clean(obj, ["need", "resource", "campaign", "created_by"])
        if errors:
            return self.fail(rownum, errors)
        self.plans.append((obj, is_new, {}, {}, changed))
        return None

    def write(self) -> None:
        self.count()
        services.import_projects([(obj, is_new) for obj, is_new, _f, _m, changed in self.plans if changed],
                                 actor=self.user)


# The project list: the same columns for export, template and import. 编号 identifies an existing project
# (blank: a new one); 提供方 and 地点 follow from the codes and are ignored on import.
PROJECTS = ListSpec(
    "projects", "项目清单", Project, (
        Col("编号", "id", "int", hint="已有项目的编号；新项目留空"), Col("项目", "title", required=True, hint="必填"),
        _campaign(),
        Col("需求编码", "need", "fk", True, "必填，需求清单中的编码", ref=Need),
        Col("资源编码", "resource", "fk", True, "必填，资源清单中的编码", ref=Resource),
        Col("提供方", "provider", hint=READ_ONLY, value=lambda p: str(p.resource.provider)),
        Col("地点", "place", hint=READ_ONLY, value=lambda p: p.need.place.name),
        Col("状态", "state", "choice", hint="默认 待确认", choices=STATE_ZH),
        Col("发起方", "initiated_by", "choice", hint="默认 社区认领资源", choices=INITIATOR_ZH),
        Col("数量", "amount", "int", hint="整数，按资源的计量单位，默认 1"), Col("计划", "plan"),
        Col("预算（元）", "budget", "decimal", hint="如 5000"), Col("受益人数", "beneficiaries_served", "int"),
        Col("服务时长", "hours", "int", hint="小时，整数"), Col("满意度", "satisfaction", "int", hint="1–5，已评价的项目必填"),
    ),
    rows=lambda user, params: selectors.filter_list(
        selectors.projects_for(user), params, ("state", "campaign"), ("title",)).order_by("pk"),
    key=("id",), importer=ProjectImporter, **COMMON,
)
PROJECT_HEADERS = [c.header for c in PROJECTS.columns]


def results_workbook(data: dict, title: str) -> bytes:
    wb, ws = new_sheet("概况", ["指标", "数值"])
    for label, key in (("项目数", "projects"), ("已完成", "completed"), ("完成率（%）", "completion_rate"),
                       ("受益人数", "beneficiaries"), ("服务时长", "hours"), ("需求数", "needs"),
                       ("未满足需求", "unmet_needs")):
        write_row(ws, [label, data[key]])
    for name, key in (("按类型", "by_type"), ("按单位", "by_unit"), ("按居民区", "by_area")):
        sheet = wb.create_sheet(name)
        write_row(sheet, [name[1:], "项目数"])
        for row in data[key]:
            write_row(sheet, list(row))
    wb.properties.title = title
    return to_bytes(wb)
