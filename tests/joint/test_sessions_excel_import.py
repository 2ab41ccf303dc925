"""Sessions and decisions imported from Excel (issue 14 item 8): new rows go through the sessions services, an
existing row may correct only its safe fields, one bad row means nothing is written (errors name row and column),
and an export imports again unchanged."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from gongzhi.core.excel import books, export_workbook, get_spec, import_file, write_row
from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.models import Decision, Session
from gongzhi.joint.services import sessions as services
from gongzhi.joint.workflow import DecisionState, SessionState
from tests.joint.sessions_world import department, excel_rows, planned, platform

SESSIONS = get_spec("joint_sessions")
DECISIONS = get_spec("joint_decisions")


def xlsx(spec, rows: list[dict]) -> io.BytesIO:
    headers = [c.header for c in spec.columns if not c.read_only]
    wb = Workbook()
    write_row(wb.active, headers)
    for row in rows:
        write_row(wb.active, [row.get(h) for h in headers])
    buf = io.BytesIO(books.to_bytes(wb))
    buf.name = "upload.xlsx"
    return buf


def sheet(data: bytes) -> list[dict]:
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


@pytest.fixture
def decision(street):
    return excel_rows(street)  # a held session of the sub-district's platform with an open decision


def deadline(days=20) -> str:
    return f"{timezone.localdate() + timedelta(days=days):%Y-%m-%d}"


def test_a_good_decisions_file_records_decisions_at_the_held_session(street, people, decision):
    dept = department(street)
    rows = [{"会议编号": decision.session_id, "决议内容": "增设排水泵站", "责任单位": dept.name, "完成时限": deadline()},
            {"会议编号": decision.session_id, "决议内容": "开展消防检查", "责任单位": street.unit_b.code,
             "完成时限": deadline(40)}]
    result = import_file(DECISIONS, xlsx(DECISIONS, rows), people.admin)
    assert result.errors == [] and result.created == 2
    made = {d.text: d for d in Decision.objects.exclude(pk=decision.pk)}
    assert made["增设排水泵站"].owner_unit == dept and made["开展消防检查"].owner_unit == street.unit_b
    assert made["开展消防检查"].deadline == timezone.localdate() + timedelta(days=40)
    # recorded through the service: each has its creation record in the decision's workflow
    assert all(d.state == DecisionState.OPEN and d.transitions.count() == 1 for d in made.values())


def test_a_good_sessions_file_plans_a_session_and_corrects_an_existing_one(street, people, decision):
    p = platform(street)
    rows = [{"平台": p.name, "会议名称": "第二季度联席会议", "时间": "2030-04-10 14:30", "地点": "街道三楼会议室"},
            {"编号": decision.session_id, "会议名称": "联席会议（扩大）", "地点": "街道会议室", "会议纪要": "议定联合整治"}]
    result = import_file(SESSIONS, xlsx(SESSIONS, rows), people.admin)
    assert result.errors == [] and (result.created, result.updated) == (1, 1)
    new = Session.objects.get(title="第二季度联席会议")
    assert new.state == SessionState.PLANNED and new.platform == p and new.place == "街道三楼会议室"
    assert timezone.localtime(new.starts_at).strftime("%Y-%m-%d %H:%M") == "2030-04-10 14:30"
    held = Session.objects.get(pk=decision.session_id)
    assert (held.title, held.minutes) == ("联席会议（扩大）", "议定联合整治")


def test_one_bad_decision_row_writes_nothing_and_names_row_and_column(street, people, decision):
    before = Decision.objects.count()
    rows = [{"会议编号": decision.session_id, "决议内容": "增设排水泵站", "责任单位": street.unit_a.name,
             "完成时限": deadline()},
            {"会议编号": decision.session_id, "决议内容": "开展消防检查", "责任单位": "不存在的单位", "完成时限": deadline()},
            {"会议编号": decision.session_id, "决议内容": "清理楼道", "责任单位": street.unit_a.code}]
    result = import_file(DECISIONS, xlsx(DECISIONS, rows), people.admin)
    assert Decision.objects.count() == before and result.created == 0
    assert {(e["row"], e["column"]) for e in result.errors} == {(3, "责任单位"), (4, "完成时限")}
    assert "不存在的单位" in next(e["message"] for e in result.errors if e["row"] == 3)


def test_one_bad_session_row_writes_nothing(street, people, decision):
    p = platform(street)
    before = Session.objects.count()
    rows = [{"平台": p.name, "会议名称": "第二季度联席会议", "时间": "2030-04-10 14:30", "地点": "街道会议室"},
            {"平台": "没有的平台", "会议名称": "专题会", "时间": "2030-04-11 09:00", "地点": "街道会议室"},
            {"编号": decision.session_id, "会议名称": "联席会议", "时间": "2030-01-01 09:00", "地点": "街道会议室"}]
    result = import_file(SESSIONS, xlsx(SESSIONS, rows), people.admin)
    assert Session.objects.count() == before
    assert {(e["row"], e["column"]) for e in result.errors} == {(3, "平台"), (4, "时间")}


def test_exports_import_again_unchanged(street, people, decision):
    planned(platform(street), SYSTEM, days=3, title="下次联席会议")
    for spec, model in ((SESSIONS, Session), (DECISIONS, Decision)):
        data = export_workbook(spec, people.admin)
        history = model.history.count()
        result = import_file(spec, io.BytesIO(data), people.admin)
        assert result.errors == [] and result.unchanged == len(sheet(data)) >= 1, (spec.kind, result)
        assert (result.created, result.updated, model.history.count()) == (0, 0, history)


def test_an_existing_row_may_change_only_its_safe_fields_while_allowed(street, people, decision):
    row = sheet(export_workbook(DECISIONS, people.admin))[0]
    edited = {k: v for k, v in row.items() if k in {c.header for c in DECISIONS.columns if not c.read_only}}
    result = import_file(DECISIONS, xlsx(DECISIONS, [edited | {"决议内容": "联合整治占道经营", "完成时限": deadline(50)}]),
                         people.admin)
    decision.refresh_from_db()
    assert result.updated == 1 and decision.text == "联合整治占道经营"
    assert decision.deadline == timezone.localdate() + timedelta(days=50)
    # another owner unit is refused; once work has started the wording is fixed
    result = import_file(DECISIONS, xlsx(DECISIONS, [edited | {"责任单位": street.unit_b.name}]), people.admin)
    assert [(e["row"], e["column"]) for e in result.errors] == [(2, "责任单位")]
    services.start_decision(decision, actor=SYSTEM)
    result = import_file(DECISIONS, xlsx(DECISIONS, [edited | {"决议内容": "再改一次"}]), people.admin)
    assert [(e["row"], e["column"]) for e in result.errors] == [(2, "决议内容")]
    assert Decision.objects.get(pk=decision.pk).text == "联合整治占道经营"


def test_only_managers_import_and_new_decisions_need_a_held_session(street, people, decision):
    assert SESSIONS.may_import(people.admin) and DECISIONS.may_import(people.admin)
    assert not SESSIONS.may_import(people.insider) and not DECISIONS.may_import(people.insider)
    later = planned(platform(street), SYSTEM, days=5, title="下次联席会议")
    rows = [{"会议编号": later.pk, "决议内容": "提前决议", "责任单位": street.unit_a.name, "完成时限": deadline()}]
    result = import_file(DECISIONS, xlsx(DECISIONS, rows), people.admin)
    assert [(e["row"], e["column"]) for e in result.errors] == [(2, "会议编号")]
    assert not later.decisions.exists()
