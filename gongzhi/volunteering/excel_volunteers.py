"""The volunteers register in Excel (志愿者名册): exported with the page's filters (the phone masked as on screen
unless the export is revealed with a reason), and imported all or nothing. A row with a blank 编号 registers a
volunteer in a region the importer manages, only with a 同意日期 (the day they consented to the use of their
data); a row with the 编号 of a volunteer the importer manages updates them. A row with any error means nothing is
written; errors name the row and the column, in Chinese."""

from __future__ import annotations

from gongzhi.accounts.scope import scope_for, scoped
from gongzhi.core.errors import ValidationFailed
from gongzhi.core.excel import CellError, Col, ListSpec, ModelImporter
from gongzhi.core.masking import mask_phone
from gongzhi.registry.models import MemberUnit, Region, VolunteerTeam
from gongzhi.volunteering.models import Volunteer
from gongzhi.volunteering.policies import volunteers as policies
from gongzhi.volunteering.selectors import volunteers as selectors
from gongzhi.volunteering.services import volunteers as services

HEADERS = {"name": "姓名", "phone": "手机号", "region": "登记区域", "member_unit": "所在单位编码",
           "teams": "志愿服务队", "skills": "技能", "availability": "服务时间", "born_on": "出生日期",
           "consented_on": "同意日期", "consent": "同意日期", "party_member": "编号", "user": "编号"}


class VolunteerImporter(ModelImporter):
    """Rows keyed by 编号 (blank: a new volunteer); the register's rules checked row by row through the services'
    own checks, so that a file with one bad row writes nothing."""

    def __init__(self, spec: ListSpec, user):
        super().__init__(spec, user)
        self.visible = {v.pk: v for v in selectors.volunteers_for(user)}
        self.teams = {}
        for t in selectors.teams_for(user):
            self.teams.setdefault(t.name, []).append(t)
        self.seen_ids: dict[int, int] = {}

    def lookup(self, col: Col, value: str, rownum: int):
        if col.field == "teams":
            found = self.teams.get(value, [])
            if len(found) > 1:
                raise CellError(f"有多个名为「{value}」的志愿服务队，无法确定")
            if not found:
                raise CellError(f"找不到志愿服务队「{value}」，或不在您的查看范围内")
            return found[0]
        return super().lookup(col, value, rownum)

    def blank_value(self, col: Col):
        return [] if col.type == "m2m" else None if col.type in ("fk", "date", "int", "bool") else ""

    def validate_row(self, rownum: int, values: dict, columns: list[Col]) -> None:
        parsed, errors = self.parse_row(rownum, values, columns)
        pk = parsed.get("id")
        if pk is not None:
            if pk in self.seen_ids:
                errors.insert(0, ("编号", f"与第 {self.seen_ids[pk]} 行重复"))
            self.seen_ids.setdefault(pk, rownum)
        if errors:
            return self.fail(rownum, errors)
        return self._existing(rownum, pk, parsed) if pk is not None else self._new(rownum, parsed)

    def _check(self, rownum: int, call) -> bool:
        try:
            call()
        except ValidationFailed as e:
            self.fail(rownum, [(HEADERS.get(k, k), m) for k, ms in e.field_errors.items() for m in ms]
                      or [("", e.message)])
            return False
        return True

    def _common(self, rownum: int, parsed: dict, v: Volunteer, phone: str) -> bool:
        errors = []
        if not (parsed.get("name") or "").strip():
            errors.append(("姓名", "必填，不能为空"))
        region = parsed.get("region")
        if region is not None and not policies.manages_region(self.user, region):
            errors.append(("登记区域", f"「{region.code}」不在您的管理范围内"))
        unit = parsed.get("member_unit")
        if unit is not None and unit.pk != v.member_unit_id and not policies.may_link_unit(self.user, unit):
            errors.append(("所在单位编码", f"「{unit.code}」不在您的管理范围内"))
        born = parsed.get("born_on")
        if born is not None and born > _today():
            errors.append(("出生日期", "不能晚于今天"))
        if errors:
            self.fail(rownum, errors)
            return False
        return self._check(rownum, lambda: services.clean_phone(phone))

    def _new(self, rownum: int, parsed: dict) -> None:
        errors = []
        if parsed.get("region") is None:
            errors.append(("登记区域", "新志愿者必须填写登记区域"))
        consented = parsed.get("consented_on")
        if consented is None:
            errors.append(("同意日期", "未经本人同意不能登记志愿者信息，请填写本人同意的日期"))
        elif consented > _today():
            errors.append(("同意日期", "不能晚于今天"))
        if "*" in (parsed.get("phone") or ""):
            errors.append(("手机号", "含 * 的脱敏信息不能导入，请填写完整内容"))
        if errors:
            return self.fail(rownum, errors)
        v = Volunteer()
        if not self._common(rownum, parsed, v, parsed.get("phone") or ""):
            return None
        v.region, v.name = parsed["region"], parsed["name"].strip()
        v.phone = services.clean_phone(parsed.get("phone") or "")
        v.member_unit = parsed.get("member_unit")
        v.skills, v.availability = parsed.get("skills") or "", parsed.get("availability") or ""
        v.born_on = parsed.get("born_on")
        v.active = True
        v.import_consented_on = consented
        self.plans.append((v, True, {}, {"teams": parsed.get("teams") or []}, True))
        return None

    def _existing(self, rownum: int, pk: int, parsed: dict) -> None:
        v = self.visible.get(pk)
        if v is None:
            return self.fail(rownum, [("编号", f"找不到编号为 {pk} 的志愿者，或不在您的查看范围内")])
        phone = (parsed.get("phone") or "") if "phone" in parsed else v.phone
        if "*" in phone:
            if phone != mask_phone(v.phone):
                return self.fail(rownum, [("手机号", "含 * 的脱敏信息不能导入，请填写完整内容")])
            phone = v.phone  # the masked export of the same number: unchanged
        if not self._common(rownum, parsed, v, phone):
            return None
        before = (v.region_id, v.name, v.phone, v.member_unit_id, v.skills, v.availability, v.born_on, v.active,
                  set(v.teams.values_list("pk", flat=True)))
        new = Volunteer(pk=v.pk, region=parsed.get("region") or v.region, name=parsed["name"].strip(),
                        phone=services.clean_phone(phone),
                        member_unit=parsed.get("member_unit") if "member_unit" in parsed else v.member_unit,
                        skills=(parsed.get("skills") or "").strip() if "skills" in parsed else v.skills,
                        availability=(parsed.get("availability") or "").strip() if "availability" in parsed
                        else v.availability,
                        born_on=parsed.get("born_on") if "born_on" in parsed else v.born_on,
                        active=parsed["active"] if parsed.get("active") is not None else v.active)
        teams = parsed["teams"] if "teams" in parsed else None
        after = (new.region_id, new.name, new.phone, new.member_unit_id, new.skills, new.availability, new.born_on,
                 new.active, {t.pk for t in teams} if teams is not None else before[-1])
        changed = after != before
        if changed and not policies.may_edit(self.user, v):
            return self.fail(rownum, [("编号", "该志愿者不在您的管理范围内，不能修改")])
        if teams is not None:
            region = new.region
            outside = [t.name for t in teams if t.pk not in before[-1] and not (
                t.pk in {x.pk for ts in self.teams.values() for x in ts} or region.path.startswith(t.region.path))]
            if outside:
                return self.fail(rownum, [("志愿服务队", f"「{outside[0]}」不在您的查看范围内")])
        self.plans.append((new, False, {}, {"teams": teams} if teams is not None else {}, changed))
        return None

    def rows_to_write(self):
        for obj, _is_new, _fks, m2m, changed in self.plans:
            if changed:
                yield obj, m2m


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _choosable(user, model):
    if model is Region:
        return selectors.regions_to_register(user)
    if model is MemberUnit:
        return selectors.units_to_link(user)
    if model is VolunteerTeam:
        return selectors.teams_for(user)
    return scoped(user, model, policies.VIEW)


VOLUNTEERS = ListSpec(
    "volunteers", "志愿者名册", Volunteer, (
        Col("编号", "id", "int", hint="已登记志愿者的编号；新志愿者留空"),
        Col("姓名", "name", required=True, hint="必填"),
        Col("手机号", "phone", hint="11 位手机号"),
        Col("登记区域", "region", "fk", hint="新志愿者必填，居民区或街道的编码", ref=Region),
        Col("所在单位编码", "member_unit", "fk", hint="单位职工志愿者填写共建单位编码", ref=MemberUnit),
        Col("志愿服务队", "teams", "m2m", hint="队名，多个用顿号分隔", ref=VolunteerTeam, lookup="name"),
        Col("技能", "skills", hint="多个用顿号或逗号分隔"),
        Col("服务时间", "availability", hint="如 周四下午、周末"),
        Col("出生日期", "born_on", "date", hint="如 1980-05-01"),
        Col("同意日期", "consented_on", "date", hint="新志愿者必填：本人同意使用其信息的日期"),
        Col("在册", "active", "bool", hint="是 / 否，默认是"),
        Col("关联党员", "member_name", hint="仅供查看，导入时忽略",
            value=lambda v: v.party_member.name if v.party_member_id else None),
        Col("关联账号", "account", hint="仅供查看，导入时忽略", value=lambda v: v.user.username if v.user_id else None),
        Col("累计时长", "total_hours", hint="仅供查看，导入时忽略", value=lambda v: float(v.total)),
    ),
    rows=lambda user, params: selectors.with_totals(selectors.volunteer_rows(user, params)),
    view=(policies.VIEW,),
    edit=(policies.MANAGE,),
    key=("id",),
    importer=VolunteerImporter,
    choosable=_choosable,
    import_scope=lambda user: scope_for(user, policies.MANAGE),
    write=services.import_volunteers,
)
