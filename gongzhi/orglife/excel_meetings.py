"""Meetings with their attendance in Excel, for the core engine (gongzhi.core.excel): one row per meeting, as an
organization's secretary keeps the register: the organization, kind, date, topic, place, the lesson's speaker
and form, and the attendance as names (出席: names joined by 、; 请假: 姓名（理由）; 缺席: names), then the minutes.

The import is all or nothing (a row with any error means nothing is written), through the meetings services: a
row with a blank 编号 records a new meeting of an organization the importer records for; a row with the 编号 of a
meeting in scope corrects it (every field and the attendance; its organization stays). Names are matched against
the members of the row's organization: a name that is not a member, or a leave without a reason, is a row
error."""

from __future__ import annotations

import re

from gongzhi.core.excel import CellError, Col, ListSpec, ModelImporter
from gongzhi.core.excel.books import text as cell_text
from gongzhi.orglife.models import AttendanceStatus, LessonForm, Meeting, MeetingKind
from gongzhi.orglife.policies import meetings as policies
from gongzhi.orglife.selectors import meetings as selectors
from gongzhi.orglife.services import meetings as services
from gongzhi.registry.models import PartyOrg

KINDS = {"general_assembly": "党员大会", "committee": "支委会", "group": "党小组会", "lesson": "党课",
         "theme_day": "主题党日", "life_meeting": "组织生活会", "appraisal": "民主评议党员", "talk": "谈心谈话"}
FORMS = {"standard": "党课", "micro": "微党课", "walking": "行走的党课"}
NAME_SPLIT = re.compile(r"[、,，;；\s]+")
LEAVE_SPLIT = re.compile(r"[、;；\n]+")
LEAVE_ITEM = re.compile(r"^(?P<name>[^（(]+?)\s*[（(](?P<reason>.*)[)）]$")
FIELDS = ("kind", "held_on", "topic", "place", "speaker", "lesson_form", "minutes")


def meeting_rows(user, params):
    return selectors.meeting_list(user, params).prefetch_related("attendance__member").order_by("held_on", "pk")


class MeetingImporter(ModelImporter):
    def __init__(self, spec: ListSpec, user):
        super().__init__(spec, user)
        self.new: list[dict] = []
        self.revised: list[dict] = []
        self.unchanged = 0
        self.seen_ids: dict[int, int] = {}
        self.orgs: dict[str, list[PartyOrg]] = {}
        for o in selectors.recordable_orgs(user):
            for name in {o.name, o.code}:
                self.orgs.setdefault(name, []).append(o)
        self.visible = {m.pk: m for m in selectors.meetings_for(user).prefetch_related("attendance__member")}
        self.members: dict[int, dict[str, list]] = {}

    def parse(self, col: Col, raw, rownum: int):
        if col.field == "org":
            value = cell_text(raw)
            found = self.orgs.get(value, [])
            if len(found) > 1:
                raise CellError(f"有多个名为「{value}」的党组织，请填写党组织编码")
            if not found:
                raise CellError(f"找不到党组织「{value}」，或不在您的管理范围内")
            return found[0]
        if col.field in ("present_names", "absent_names", "leave_names"):
            return cell_text(raw)
        return super().parse(col, raw, rownum)

    def blank_value(self, col: Col):
        return None if col.field in ("id", "org", "kind", "held_on") else ""

    def _members(self, org) -> dict[str, list]:
        if org.pk not in self.members:
            index: dict[str, list] = {}
            for m in selectors.org_members(org):
                index.setdefault(m.name, []).append(m)
            self.members[org.pk] = index
        return self.members[org.pk]

    def _attendance(self, org, parsed: dict, errors: list) -> list[dict]:
        index = self._members(org)
        lines, seen = [], set()

        def member(name: str, header: str):
            found = index.get(name, [])
            if not found:
                errors.append((header, f"「{name}」不是「{org.name}」的党员"))
            elif len(found) > 1:
                errors.append((header, f"「{org.name}」有多名党员叫「{name}」，请在页面上登记"))
            elif found[0].pk in seen:
                errors.append((header, f"「{name}」重复出现"))
            else:
                seen.add(found[0].pk)
                return found[0]
            return None

        for name in NAME_SPLIT.split(parsed.get("present_names") or ""):
            if name and (m := member(name, "出席")):
                lines.append({"member": m, "status": AttendanceStatus.PRESENT})
        for item in LEAVE_SPLIT.split(parsed.get("leave_names") or ""):
            item = item.strip()
            if not item:
                continue
            match = LEAVE_ITEM.match(item)
            if not match or not match["reason"].strip():
                errors.append(("请假", f"「{item}」请写成 姓名（请假理由）"))
                continue
            if m := member(match["name"].strip(), "请假"):
                lines.append({"member": m, "status": AttendanceStatus.LEAVE, "leave_reason": match["reason"].strip()})
        for name in NAME_SPLIT.split(parsed.get("absent_names") or ""):
            if name and (m := member(name, "缺席")):
                lines.append({"member": m, "status": AttendanceStatus.ABSENT})
        return lines

    def _check(self, org, row: dict, errors: list) -> None:
        """The services' rules, as row errors (the service checks them again when it writes)."""
        from django.utils import timezone

        if row["held_on"] and row["held_on"] > timezone.localdate():
            errors.append(("日期", "会议召开后才能登记，日期不能晚于今天"))
        if row["kind"] == MeetingKind.LESSON and not row["speaker"]:
            errors.append(("主讲人", "党课须填写主讲人（微党课、行走的党课也是）"))
        if len(row["topic"]) > 200:
            errors.append(("主题", "最多 200 个字"))

    def validate_row(self, rownum: int, values: dict, columns: list[Col]) -> None:
        parsed, errors = self.parse_row(rownum, values, columns)
        if errors:
            return self.fail(rownum, errors)
        pk = parsed.get("id")
        meeting = None
        if pk is not None:
            if pk in self.seen_ids:
                return self.fail(rownum, [("编号", f"与第 {self.seen_ids[pk]} 行重复")])
            self.seen_ids[pk] = rownum
            meeting = self.visible.get(pk)
            if meeting is None:
                return self.fail(rownum, [("编号", f"找不到编号为 {pk} 的会议，或不在您的查看范围内")])
            org = meeting.org
            if parsed.get("org") is not None and parsed["org"].pk != org.pk:
                errors.append(("党组织", "已有会议不能更换党组织"))
        else:
            org = parsed.get("org")
            for field, header in (("org", "党组织"), ("kind", "会议类型"), ("held_on", "日期")):
                if not parsed.get(field):
                    errors.append((header, "新会议必须填写此项"))
            if errors:
                return self.fail(rownum, errors)
        row = {f: (parsed[f] if f in parsed and parsed[f] is not None else getattr(meeting, f, "")) for f in FIELDS}
        row["lesson_form"] = row["lesson_form"] or ""
        if row["kind"] != MeetingKind.LESSON:
            row["lesson_form"] = ""
        elif not row["lesson_form"]:
            row["lesson_form"] = LessonForm.STANDARD
        self._check(org, row, errors)
        given = any(f in parsed for f in ("present_names", "leave_names", "absent_names"))
        if given:
            row["attendance"] = self._attendance(org, parsed, errors)
        if errors:
            return self.fail(rownum, errors)
        if meeting is None:
            self.new.append({"org": org, **row, "attendance": row.get("attendance", [])})
            return None
        before = {f: getattr(meeting, f) for f in FIELDS}
        current = {(a.member_id, a.status, a.leave_reason) for a in meeting.attendance.all()}
        wanted = {(a["member"].pk, a["status"], a.get("leave_reason", "")) for a in row.get("attendance", [])} \
            if given else current
        if before == {f: row[f] for f in FIELDS} and wanted == current:
            self.unchanged += 1
            return None
        if not policies.may_edit(self.user, meeting):
            return self.fail(rownum, [("编号", "该会议不在您的管理范围内，不能修改")])
        if not given:
            row["attendance"] = [{"member": a.member, "status": a.status, "leave_reason": a.leave_reason}
                                 for a in meeting.attendance.all()]
        self.revised.append({"meeting": meeting, **row})
        return None

    def write(self) -> None:
        self.result.created, self.result.updated, self.result.unchanged = (
            len(self.new), len(self.revised), self.unchanged)
        services.import_meetings(self.new, self.revised, actor=self.user)


def _choosable(user, model):
    if model is PartyOrg:
        return selectors.recordable_orgs(user)
    return model._default_manager.none()


MEETINGS = ListSpec(
    "orglife_meetings", "组织生活会议", Meeting, (
        Col("编号", "id", "int", hint="已有会议的编号；新会议留空"),
        Col("党组织", "org", "fk", hint="新会议必填，党组织名称或编码", ref=PartyOrg, lookup="name"),
        Col("会议类型", "kind", "choice", hint="新会议必填：" + "/".join(KINDS.values()), choices=KINDS),
        Col("日期", "held_on", "date", hint="新会议必填，如 2026-03-01；不能晚于今天"),
        Col("主题", "topic", required=True, hint="必填"),
        Col("地点", "place"),
        Col("主讲人", "speaker", hint="党课必填"),
        Col("党课形式", "lesson_form", "choice", hint="党课/微党课/行走的党课", choices=FORMS),
        Col("出席", "present_names", hint="党员姓名，用、分隔"),
        Col("请假", "leave_names", hint="姓名（请假理由），用、分隔"),
        Col("缺席", "absent_names", hint="党员姓名，用、分隔"),
        Col("会议记录", "minutes"),
    ),
    rows=meeting_rows,
    view=(policies.VIEW,),
    edit=(policies.RECORD,),
    key=("id",),
    importer=MeetingImporter,
    choosable=_choosable,
)
