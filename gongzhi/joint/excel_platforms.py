"""The platforms part's list in Excel: the members of the platforms (成员单位名册), exported with the page's
filters and imported all or nothing. A row with a blank 编号 adds a member (a member unit, a party organization or
a residential area, exactly one) to a platform the importer manages, through the same checks as the page; a row
with the 编号 of an existing member may change its role and dates (a 退出日期 records its leaving)."""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import scope_for, scoped
from gongzhi.core.excel import CellError, Col, ListSpec, ModelImporter
from gongzhi.joint.models import MemberRole, Platform, PlatformMember
from gongzhi.joint.policies import platforms as policies
from gongzhi.joint.selectors import platforms as selectors
from gongzhi.joint.services import platforms as services
from gongzhi.registry.models import MemberUnit, PartyOrg, Region, RegionKind

ROLES = {"convener": "召集单位", "member": "成员单位"}
KIND_ZH = {"unit": "共建单位", "org": "党组织", "area": "居民区"}
assert set(ROLES) == set(MemberRole.values)


class MemberImporter(ModelImporter):
    """Platforms by name among those the importer manages; the membership rules of `services.add_member` checked
    row by row (and against the rows above), so that a file with one bad row writes nothing."""

    def __init__(self, spec: ListSpec, user):
        super().__init__(spec, user)
        self.platforms: dict[str, list[Platform]] = {}
        for p in selectors.platforms_for(user, capability=policies.MANAGE).select_related("region"):
            self.platforms.setdefault(p.name, []).append(p)
        self.visible = {m.pk: m for m in selectors.member_rows(user, {})}
        self.manageable = set(selectors.platforms_for(user, capability=policies.MANAGE).values_list("pk", flat=True))
        self.units = set(scoped(user, MemberUnit, Capability.VIEW_REGISTRY).values_list("pk", flat=True))
        self.orgs = set(scoped(user, PartyOrg, Capability.VIEW_REGISTRY).values_list("pk", flat=True))
        self.active = set()
        for m in PlatformMember.objects.filter(left_on__isnull=True):
            self.active.add((m.platform_id, m.member_kind, m.member_unit_id or m.party_org_id or m.area_id))
        self.seen_ids: dict[int, int] = {}
        self.seen_members: dict[tuple, int] = {}

    def lookup(self, col: Col, value: str, rownum: int):
        if col.field == "platform":
            found = self.platforms.get(value, [])
            if len(found) > 1:
                raise CellError(f"有多个名为「{value}」的平台，无法确定")
            if not found:
                raise CellError(f"找不到平台「{value}」，或不在您的管理范围内")
            return found[0]
        return super().lookup(col, value, rownum)

    def validate_row(self, rownum: int, values: dict, columns: list[Col]) -> None:
        parsed, errors = self.parse_row(rownum, values, columns)
        if errors:
            return self.fail(rownum, errors)
        pk = parsed.get("id")
        if pk is not None:
            return self.existing(rownum, pk, parsed)
        platform = parsed.get("platform")
        unit, org, area = parsed.get("member_unit"), parsed.get("party_org"), parsed.get("area")
        given = [(h, v) for h, v in (("共建单位编码", unit), ("党组织编码", org), ("居民区编码", area)) if v is not None]
        if platform is None:
            errors.append(("平台", "新成员必须填写平台"))
        if len(given) != 1:
            errors.append(("共建单位编码", "共建单位、党组织、居民区三者须填且只填一项"))
        else:
            header, obj = given[0]
            if area is not None and platform is not None and not area.path.startswith(platform.region.path):
                errors.append((header, f"居民区「{area.name}」不在平台「{platform.name}」的辖区内"))
            elif unit is not None and unit.pk not in self.units or org is not None and org.pk not in self.orgs:
                errors.append((header, f"「{obj}」不在您的查看范围内"))
            elif platform is not None:
                kind = "unit" if unit else "org" if org else "area"
                key = (platform.pk, kind, obj.pk)
                if key in self.active:
                    errors.append((header, f"「{obj}」已是平台「{platform.name}」的成员"))
                elif key in self.seen_members:
                    errors.append((header, f"与第 {self.seen_members[key]} 行重复"))
                else:
                    self.seen_members[key] = rownum
        if parsed.get("left_on"):
            errors.append(("退出日期", "新成员不能填写退出日期；加入后再登记退出"))
        if errors:
            return self.fail(rownum, errors)
        obj = PlatformMember(platform=platform, member_unit=unit, party_org=org, area=area,
                             role=parsed.get("role") or MemberRole.MEMBER, joined_on=parsed.get("joined_on"),
                             note=parsed.get("note") or "")
        self.plans.append((obj, True, {}, {}, True))
        return None

    def existing(self, rownum: int, pk: int, parsed: dict) -> None:
        if pk in self.seen_ids:
            return self.fail(rownum, [("编号", f"与第 {self.seen_ids[pk]} 行重复")])
        self.seen_ids[pk] = rownum
        obj = self.visible.get(pk)
        if obj is None:
            return self.fail(rownum, [("编号", f"找不到编号为 {pk} 的成员，或不在您的查看范围内")])
        for field, header in (("platform", "平台"), ("member_unit", "共建单位编码"), ("party_org", "党组织编码"),
                              ("area", "居民区编码")):
            value = parsed.get(field)
            if field in parsed and getattr(value, "pk", None) != getattr(obj, f"{field}_id"):
                return self.fail(rownum, [(header, "已登记的成员不能更换平台或成员；请登记退出后重新加入")])
        before = (obj.role, obj.joined_on, obj.left_on, obj.note)
        obj.role = parsed.get("role") or obj.role
        obj.joined_on = parsed.get("joined_on") or obj.joined_on
        if "left_on" in parsed:
            obj.left_on = parsed["left_on"]
        if "note" in parsed:
            obj.note = (parsed["note"] or "").strip()
        changed = before != (obj.role, obj.joined_on, obj.left_on, obj.note)
        if changed and obj.platform_id not in self.manageable:
            return self.fail(rownum, [("编号", "该成员不在您的管理范围内，不能修改")])
        if obj.left_on and obj.left_on < obj.joined_on:
            return self.fail(rownum, [("退出日期", "退出日期早于加入日期")])
        if changed and obj.left_on is None and before[2] is not None:
            return self.fail(rownum, [("退出日期", "已退出的成员不能恢复；请重新加入")])
        self.plans.append((obj, False, {}, {}, changed))
        return None


def _choosable(user, model):
    if model is Platform:
        return selectors.platforms_for(user, capability=policies.MANAGE)
    if model is Region:
        return scoped(user, Region, Capability.VIEW_REGISTRY).filter(kind=RegionKind.RESIDENTIAL_AREA)
    return scoped(user, model, Capability.VIEW_REGISTRY)


def _member_name(m: PlatformMember) -> str:
    return str(m)


PLATFORM_MEMBERS = ListSpec(
    "joint_platform_members", "平台成员名册", PlatformMember, (
        Col("编号", "id", "int", hint="已登记成员的编号；新成员留空"),
        Col("平台", "platform", "fk", hint="新成员必填，平台名称", ref=Platform, lookup="name"),
        Col("成员类型", "member_kind", value=lambda m: KIND_ZH[m.member_kind]),
        Col("名称", "member_name", value=_member_name),
        Col("共建单位编码", "member_unit", "fk", hint="共建单位、党组织、居民区三者填一项", ref=MemberUnit),
        Col("党组织编码", "party_org", "fk", hint="党组织编码", ref=PartyOrg),
        Col("居民区编码", "area", "fk", hint="居民区编码", ref=Region, kinds=(RegionKind.RESIDENTIAL_AREA,)),
        Col("角色", "role", "choice", hint="召集单位 / 成员单位，默认成员单位", choices=ROLES),
        Col("加入日期", "joined_on", "date", hint="如 2024-03-01，默认今天"),
        Col("退出日期", "left_on", "date", hint="登记退出时填写"),
        Col("备注", "note"),
    ),
    rows=selectors.member_rows,
    view=(policies.VIEW,),
    edit=(policies.MANAGE,),
    key=("id",),
    importer=MemberImporter,
    choosable=_choosable,
    import_scope=lambda user: scope_for(user, policies.MANAGE),
    write=services.import_members,
)
