"""The registry's lists in Excel: only declarations. Each `ListSpec` names its columns (Chinese header, model
field, how a cell is read); the core engine (gongzhi.core.excel) serves templates, exports and imports from them,
and imported rows are written by `services.import_rows`."""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import scope_for, scoped
from gongzhi.core.excel import Col, ListSpec
from gongzhi.registry import policies, selectors, services
from gongzhi.registry.models import (
    REGION_CHILD_KIND,
    Building,
    BuildingKind,
    Estate,
    Household,
    Liaison,
    MemberUnit,
    PartyMember,
    PartyOrg,
    ProfessionalTeam,
    Region,
    ServicePlace,
    VolunteerTeam,
)

VIEW, EDIT, IMPORT = Capability.VIEW_REGISTRY, Capability.EDIT_REGISTRY, Capability.IMPORT_REGISTRY


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


def _code(header: str = "编码") -> Col:
    return Col(header, "code", required=True, hint="必填，字母、数字、-、_，唯一")


def _region(header: str = "所属区域编码", kinds: tuple[str, ...] = (), required: bool = True) -> Col:
    what = "或".join(REGION_KINDS[k] for k in kinds) or "区域"
    return Col(header, "region", "fk", required, f"{'必填，' if required else ''}{what}的编码", ref=Region,
               kinds=kinds, scope=True)


def _region_check(obj: Region, user=None) -> list[tuple[str, str]]:
    parent = obj.parent if obj.parent_id else None
    if parent is not None and obj.pk and obj.pk > 0 and parent.path.startswith(obj.path or "#"):
        return [("上级编码", "上级不能是本区域或其下级区域")]
    expected = REGION_CHILD_KIND.get(parent.kind if parent else None)
    if expected and obj.kind != expected:
        where = f"「{REGION_KINDS[parent.kind]}」之下" if parent else "最上层（无上级）"
        return [("类型", f"位于{where}的区域类型应为「{REGION_KINDS[expected]}」")]
    return []


def _list(kind: str, title: str, model, columns: tuple[Col, ...], **kw) -> ListSpec:
    """A registry list: scoped and filtered as on its page, imported within the importer's edit scope."""
    return ListSpec(
        kind, title, model, columns, view=(VIEW,), edit=(IMPORT,),
        rows=lambda user, params: selectors.list_objects(user, model._meta.model_name, params),
        import_scope=lambda user: scope_for(user, EDIT),
        editable=lambda user: policies.editable(user, model).values_list("pk", flat=True),
        choosable=lambda user, ref: scoped(user, ref, VIEW),
        **{"write": services.import_rows, **kw})


REGIONS, BUILDINGS, MEMBER_UNITS, PARTY_ORGS, PARTY_MEMBERS, LIAISONS, PROFESSIONAL_TEAMS, VOLUNTEER_TEAMS, \
    SERVICE_PLACES = (
    _list("regions", "区域", Region, (
        _code(),
        Col("名称", "name", required=True, hint="必填"),
        Col("类型", "kind", "choice", True, "必填：区 / 街道 / 居民区 / 微网格", REGION_KINDS,
            {"镇": "subdistrict", "网格": "grid"}),
        Col("上级编码", "parent", "fk", hint="上级区域的编码（可在本表前面的行中定义）；区留空", ref=Region,
            scope=True),
        Col("居委会", "residents_committee"),
        Col("户数", "households", "int", hint="整数"),
        Col("人口", "population", "int", hint="整数"),
        Col("地址", "address"),
    ), check=_region_check),
    _list("buildings", "楼栋楼宇", Building, (
        _code(),
        Col("名称", "name", required=True, hint="必填"),
        Col("类型", "kind", "choice", hint="居民楼栋 / 商务楼宇", choices=BUILDING_KINDS,
            aliases={"楼栋": "residential", "楼宇": "office"}),
        _region(kinds=("grid", "residential_area")),
        Col("地址", "address"),
        Col("楼层数", "floors", "int", hint="整数"),
        Col("户数", "households", "int", hint="整数"),
        Col("重点楼宇", "is_key_building", "bool", hint="是 / 否"),
        Col("纬度", "latitude", "decimal", hint="如 31.230416"),
        Col("经度", "longitude", "decimal", hint="如 121.473701"),
    )),
    _list("member_units", "共建单位", MemberUnit, (
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
        Col("联系电话", "contact_phone", hint="手机或座机"),
        Col("加入日期", "joined_on", "date", hint="如 2024-03-01"),
    )),
    _list("party_orgs", "党组织", PartyOrg, (
        _code(),
        Col("名称", "name", required=True, hint="必填"),
        Col("类型", "kind", "choice", True, "必填：" + " / ".join(ORG_KINDS.values()), ORG_KINDS),
        Col("上级编码", "parent", "fk", hint="上级党组织的编码（可在本表前面的行中定义）", ref=PartyOrg),
        _region(),
        Col("所属共建单位编码", "member_unit", "fk", hint="共建单位的编码", ref=MemberUnit),
        Col("成立日期", "founded_on", "date", hint="如 2010-07-01"),
    )),
    _list("party_members", "党员名册", PartyMember, (
        Col("姓名", "name", required=True, hint="必填；姓名+党组织编码+手机号码确定一名党员"),
        Col("性别", "gender", "choice", hint="男 / 女", choices=GENDERS),
        Col("党组织编码", "organization", "fk", True, "必填，所在党组织的编码", ref=PartyOrg, scope=True),
        Col("党员状态", "status", "choice", hint="正式党员 / 预备党员", choices=MEMBER_STATUSES,
            aliases={"正式": "full", "预备": "probationary"}),
        Col("入党日期", "joined_on", "date", hint="如 2001-07-01"),
        Col("手机号码", "phone", hint="手机或座机"),
        Col("身份证号", "id_number", hint="18 位"),
        Col("家庭住址", "address"),
        Col("流动党员", "is_mobile", "bool", hint="是 / 否"),
        Col("报到居民区编码", "registered_area", "fk", hint="在职党员报到的居民区编码", ref=Region,
            kinds=("residential_area",)),
        Col("报到日期", "registered_on", "date", hint="如 2024-03-01"),
        Col("服务网格编码", "grid", "fk", hint="微网格的编码", ref=Region, kinds=("grid",)),
    ), key=("name", "organization", "phone")),
    _list("liaisons", "楼宇联络员", Liaison, (
        Col("姓名", "name", required=True, hint="必填；姓名+所属街道编码确定一名联络员"),
        Col("手机号码", "phone", hint="手机或座机"),
        _region("所属街道编码", kinds=("subdistrict",)),
        Col("首席联络员", "is_chief", "bool", hint="是 / 否"),
        Col("所属首席联络员", "chief", "fk", hint="首席联络员的姓名（可在本表前面的行中定义）", ref=Liaison,
            lookup="name", ref_filter={"is_chief": True}),
        Col("联系楼宇编码", "buildings", "m2m", hint="楼宇编码，多个用、或 , 分隔", ref=Building),
    ), key=("name", "region")),
    _list("professional_teams", "专业队伍", ProfessionalTeam, (
        Col("名称", "name", required=True, hint="必填；名称+所属区域编码确定一支队伍"),
        Col("类型", "kind", "choice", True, "必填：" + " / ".join(TEAM_KINDS.values()), TEAM_KINDS),
        _region(),
        Col("下沉网格编码", "grids", "m2m", hint="微网格编码，多个用、或 , 分隔", ref=Region, kinds=("grid",)),
        Col("负责人", "leader_name"),
        Col("负责人电话", "leader_phone", hint="手机或座机"),
    ), key=("name", "region")),
    _list("volunteer_teams", "志愿者服务队", VolunteerTeam, (
        Col("名称", "name", required=True, hint="必填；名称+所属区域编码确定一支队伍"),
        _region(),
        Col("所属共建单位编码", "member_unit", "fk", hint="共建单位的编码", ref=MemberUnit),
        Col("服务特长", "speciality"),
        Col("负责人", "leader_name"),
        Col("负责人电话", "leader_phone", hint="手机或座机"),
        Col("队员人数", "member_count", "int", hint="整数"),
    ), key=("name", "region")),
    _list("service_places", "服务阵地", ServicePlace, (
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
)


def _verified(household: Household) -> str:
    return household.phone_verified_at.date().isoformat() if household.phone_verified_at else ""


ESTATES = _list("estates", "小区", Estate, (
    _code(),
    Col("名称", "name", required=True, hint="必填"),
    Col("所属居民区编码", "area", "fk", True, "必填，居民区的编码", ref=Region, kinds=("residential_area",),
        scope=True),
    Col("地址", "address"),
    Col("物业公司", "property_company"),
    Col("物业共建单位编码", "property_unit", "fk", hint="作为共建单位的物业公司的编码", ref=MemberUnit),
    Col("物业联系人", "property_contact"),
    Col("物业电话", "property_phone", hint="手机或座机"),
    Col("建成年份", "built_year", "int", hint="如 1998"),
))

HOUSEHOLDS = _list("households", "户", Household, (
    Col("楼栋编码", "building", "fk", True, "必填，居民楼栋的编码；楼栋编码+室号确定一户", ref=Building,
        ref_filter={"kind": BuildingKind.RESIDENTIAL}, scope=True),
    Col("室号", "room", required=True, hint="必填，如 302"),
    Col("人数", "size", "int", hint="整数，至少 1"),
    Col("户主", "head_name"),
    Col("联系电话", "phone", hint="手机或座机"),
    Col("其他电话", "other_phone", hint="手机或座机"),
    Col("业主自住", "is_owner_occupied", "bool", hint="是 / 否"),
    Col("独居老人", "elderly_living_alone", "bool", hint="是 / 否"),
    Col("困难户", "hardship", "bool", hint="是 / 否"),
    Col("备注", "note"),
    Col("电话验证日期", "phone_verified_at", hint="导出专用：住户用短信验证码确认联系电话的日期", value=_verified),
), key=("building", "room"), write=services.import_households)
