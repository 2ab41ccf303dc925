"""Meetings with attendance in Excel: one row per meeting with the attendees' names. The export is scoped and
imports again unchanged; new rows record meetings; a bad row (a name not in the organization, a leave without a
reason, a future date, a lesson without a speaker) is a row error and nothing at all is written."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from gongzhi.core.excel import export_workbook, get_spec, import_file
from gongzhi.orglife.models import Attendance, Meeting, MeetingKind
from tests import factories
from tests.orglife.factories import meeting

pytestmark = pytest.mark.django_db
SPEC = "orglife_meetings"


def _rows(data: bytes) -> list[dict]:
    rows = list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]


def _book(rows: list[dict]) -> io.BytesIO:
    headers = [c.header for c in get_spec(SPEC).columns]
    wb = Workbook()
    wb.active.append(headers)
    for row in rows:
        wb.active.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_the_export_is_scoped_with_names_and_imports_again_unchanged(street, people):
    other = factories.party_member(street.org_a, name="王二")
    meeting(street.org_a, present=[street.member_a], leave=[other], topic="重温入党誓词")
    meeting(street.org_b, present=[street.member_b], topic="石库门的会")
    data = export_workbook(get_spec(SPEC), people.insider)
    rows = _rows(data)
    assert [r["主题"] for r in rows] == ["重温入党誓词"]
    assert rows[0]["出席"] == "张梧桐" and rows[0]["请假"] == "王二（出差）" and rows[0]["会议类型"] == "主题党日"
    assert rows[0]["党组织"] == street.org_a.name
    result = import_file(get_spec(SPEC), io.BytesIO(data), people.insider)
    assert result.errors == [] and (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_new_rows_record_meetings_and_an_edited_row_corrects_the_attendance(street, people):
    factories.party_member(street.org_a, name="王二")
    today = timezone.localdate()
    result = import_file(get_spec(SPEC), _book([
        {"党组织": street.org_a.name, "会议类型": "党课", "日期": today, "主题": "四史学习", "主讲人": "李书记",
         "党课形式": "微党课", "出席": "张梧桐", "请假": "王二（照顾家人）"},
        {"党组织": street.org_a.code, "会议类型": "支委会", "日期": today.isoformat(), "主题": "研究本月工作",
         "出席": "张梧桐、王二"},
    ]), people.insider)
    assert result.errors == [] and result.created == 2
    lesson = Meeting.objects.get(kind=MeetingKind.LESSON)
    assert (lesson.speaker, lesson.lesson_form, lesson.recorded_by) == ("李书记", "micro", people.insider)
    assert lesson.leave_names == "王二（照顾家人）" and lesson.present_names == "张梧桐"
    rows = _rows(export_workbook(get_spec(SPEC), people.insider))
    row = next(r for r in rows if r["会议类型"] == "支委会")
    row.update({"出席": "张梧桐", "缺席": "王二"})
    result = import_file(get_spec(SPEC), _book([row]), people.insider)
    assert result.errors == [] and result.updated == 1
    committee = Meeting.objects.get(kind=MeetingKind.COMMITTEE)
    assert committee.absent_names == "王二" and committee.present_names == "张梧桐"


def test_a_failing_import_writes_nothing_and_names_each_bad_row(street, people):
    today = timezone.localdate()
    before = (Meeting.objects.count(), Attendance.objects.count())
    result = import_file(get_spec(SPEC), _book([
        {"党组织": street.org_a.name, "会议类型": "主题党日", "日期": today, "主题": "好的一行", "出席": "张梧桐"},
        {"党组织": street.org_a.name, "会议类型": "主题党日", "日期": today, "主题": "外人", "出席": "李石库"},
        {"党组织": street.org_a.name, "会议类型": "主题党日", "日期": today, "主题": "请假无理由", "请假": "张梧桐"},
        {"党组织": street.org_a.name, "会议类型": "主题党日", "日期": today + dt.timedelta(days=3), "主题": "未来"},
        {"党组织": street.org_a.name, "会议类型": "党课", "日期": today, "主题": "无主讲人"},
        {"党组织": street.org_b.name, "会议类型": "主题党日", "日期": today, "主题": "别人的组织"},
    ]), people.insider)
    assert not result.ok
    by_row = {(e["row"], e["column"]) for e in result.errors}
    assert {(3, "出席"), (4, "请假"), (5, "日期"), (6, "主讲人"), (7, "党组织")} <= by_row
    assert not any(e["row"] == 2 for e in result.errors)
    assert any("李石库" in e["message"] for e in result.errors)
    assert (Meeting.objects.count(), Attendance.objects.count()) == before


def test_only_recorders_import(street, people):
    spec = get_spec(SPEC)
    assert spec.may_import(people.insider) and not spec.may_import(people.colleague)
    assert spec.may_export(people.insider) and not spec.may_export(people.resident)
