"""The coverage part's lists in Excel: the units not covered (未覆盖单位, export only, with the page's filters) and
the instructor assignments (党建指导员, exported with the phone masked as on screen unless the export is revealed
with a reason; imported all or nothing: a row with a blank 编号 assigns an instructor, a row with the 编号 of an
assignment corrects the instructor's name or phone and, with a 结束日期, ends that term). A row with any error means nothing is written; errors name the row and
the column, in Chinese."""

from __future__ import annotations

from gongzhi.accounts.scope import scope_for, scoped
from gongzhi.core.errors import ValidationFailed
from gongzhi.core.excel import Col, ListSpec, ModelImporter
from gongzhi.core.masking import mask_phone
from gongzhi.orglife.models import InstructorAssignment
from gongzhi.orglife.policies import coverage as policies
from gongzhi.orglife.selectors import coverage as selectors
from gongzhi.orglife.services import coverage as services
from gongzhi.registry.models import MemberUnit, Region

HEADERS = {"unit": "单位编码", "instructor": "指导员姓名", "member": "指导员姓名", "phone": "联系电话",
           "assigned_on": "指派日期", "ended_on": "结束日期", "id": "编号"}


def _yes(value) -> str:
    return "是" if value else "否"


def _missing(u) -> str:
    parts = ([] if u.organized else ["组织覆盖"]) + ([] if u.instructed else ["工作覆盖"])
    return "、".join(parts)


UNCOVERED = ListSpec(
    "orglife_uncovered", "两新组织未覆盖单位", MemberUnit, (
        Col("单位编码", "code"),
        Col("单位名称", "name"),
        Col("类型", "kind", "choice"),
        Col("从业人数", "headcount", "int"),
        Col("所在区域", "region", "fk", ref=Region),
        Col("缺少的覆盖", "missing", value=_missing),
        Col("自有党组织", "own_org_text", value=lambda u: _yes(u.own_org)),
        Col("联合党委覆盖", "joint_text", value=lambda u: _yes(u.joint)),
        Col("已派党建指导员", "instructed_text", value=lambda u: _yes(u.instructed)),
    ),
    rows=selectors.uncovered_rows,
    view=(policies.VIEW,),
)


class InstructorImporter(ModelImporter):
    """Rows keyed by 编号 (blank: a new assignment), each checked by the services' own check; new rows of the same
    unit in one file must not overlap each other either."""

    def __init__(self, spec: ListSpec, user):
        super().__init__(spec, user)
        self.visible = {a.pk: a for a in selectors.instructors_for(user)}
        self.seen_ids: dict[int, int] = {}
        self.terms: dict[int, list] = {}

    def blank_value(self, col: Col):
        return None if col.type in ("fk", "date", "int") else ""

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

    def _new(self, rownum: int, parsed: dict) -> None:
        if "*" in (parsed.get("phone") or ""):
            return self.fail(rownum, [("联系电话", "含 * 的脱敏信息不能导入，请填写完整内容")])
        unit = parsed.get("unit")
        errors, values = services.check_instructor(
            unit, actor=self.user, instructor=parsed.get("instructor") or "", phone=parsed.get("phone") or "",
            assigned_on=parsed.get("assigned_on"), ended_on=parsed.get("ended_on"))
        if errors:
            return self.fail(rownum, [(HEADERS.get(k, k), m) for k, ms in errors.items() for m in ms])
        start, end = values["assigned_on"], values["ended_on"]
        for other_row, o_start, o_end in self.terms.get(unit.pk, []):
            if (o_end is None or o_end >= start) and (end is None or o_start <= end):
                return self.fail(rownum, [("指派日期", f"与第 {other_row} 行同一单位的任期重叠")])
        self.terms.setdefault(unit.pk, []).append((rownum, start, end))
        self.plans.append((InstructorAssignment(**values), True, {}, {}, True))
        return None

    def _existing(self, rownum: int, pk: int, parsed: dict) -> None:
        a = self.visible.get(pk)
        if a is None:
            return self.fail(rownum, [("编号", f"找不到编号为 {pk} 的指派记录，或不在您的查看范围内")])
        name = (parsed.get("instructor") or "").strip() if "instructor" in parsed else a.instructor
        phone = (parsed.get("phone") or "").strip() if "phone" in parsed else a.phone
        errors = []
        if not name:
            errors.append(("指导员姓名", "必填，不能为空"))
        if "*" in phone:
            if phone != mask_phone(a.phone):
                errors.append(("联系电话", "含 * 的脱敏信息不能导入，请填写完整内容"))
            phone = a.phone  # the masked export of the same number: unchanged
        else:
            try:
                phone = services.clean_phone(phone)
            except ValidationFailed:
                errors.append(("联系电话", "请输入有效的手机或座机号码"))
        ended = parsed.get("ended_on")
        end = ended if ended is not None and ended != a.ended_on else None
        if end is not None:
            if a.ended_on is not None:
                errors.append(("结束日期", "该任期已结束，不能修改"))
            elif end > _today():
                errors.append(("结束日期", "不能晚于今天"))
            elif end < a.assigned_on:
                errors.append(("结束日期", "不能早于指派日期"))
        if errors:
            return self.fail(rownum, errors)
        changed = end is not None or (name, phone) != (a.instructor, a.phone)
        if changed and not policies.manages_unit(self.user, a.unit):
            return self.fail(rownum, [("编号", "该记录不在您的管理范围内，不能修改")])
        row = InstructorAssignment(pk=a.pk, unit=a.unit, instructor=name, phone=phone, assigned_on=a.assigned_on,
                                   ended_on=a.ended_on)
        row.import_end = end
        self.plans.append((row, False, {}, {}, changed))
        return None

    def rows_to_write(self):
        for obj, _is_new, _fks, m2m, changed in self.plans:
            if changed:
                yield obj, m2m


def _today():
    from django.utils import timezone

    return timezone.localdate()


INSTRUCTORS = ListSpec(
    "orglife_instructors", "党建指导员指派", InstructorAssignment, (
        Col("编号", "id", "int", hint="已有指派的编号；新指派留空"),
        Col("单位编码", "unit", "fk", hint="新指派必填，两新组织的编码", ref=MemberUnit, scope=True),
        Col("单位名称", "unit_name", value=lambda a: a.unit.name),
        Col("指导员姓名", "instructor", hint="新指派必填"),
        Col("联系电话", "phone", hint="手机或座机号码"),
        Col("指派日期", "assigned_on", "date", hint="新指派必填，如 2024-03-01，不能晚于今天"),
        Col("结束日期", "ended_on", "date", hint="留空表示在任；填写则结束该任期"),
        Col("关联党员", "member_name", hint="仅供查看，导入时忽略",
            value=lambda a: a.instructor_member.name if a.instructor_member_id else None),
    ),
    rows=selectors.instructor_rows,
    view=(policies.VIEW,),
    edit=(policies.MANAGE,),
    key=("id",),
    importer=InstructorImporter,
    choosable=lambda user, model: selectors.units_to_cover(user) if model is MemberUnit
    else scoped(user, model, policies.VIEW),
    import_scope=lambda user: scope_for(user, policies.MANAGE),
    write=services.import_instructors,
)
