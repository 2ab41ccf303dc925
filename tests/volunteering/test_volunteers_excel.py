"""The volunteers register in Excel: the export (scoped, the phone masked unless revealed), its round trip (an
export imports again unchanged, and with changes updates), new volunteers only with a consent date, and a bad
file writing nothing, with its errors in Chinese by row and column."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from gongzhi.core.excel import books, export_workbook, get_spec, import_file, write_row
from gongzhi.volunteering.models import Volunteer
from gongzhi.volunteering.services import volunteers as services
from tests.volunteering import factories as f

SPEC = get_spec("volunteers")
PHONE = "13812345678"


def xlsx(rows: list[dict]) -> io.BytesIO:
    headers = [c.header for c in SPEC.columns if not c.read_only]
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
def chen(street, people):
    team = f.team(street.area_a, "梧桐党员志愿服务队")
    v = services.register_volunteer(street.area_a, actor=people.insider, name="陈志愿", consent=True, phone=PHONE,
                                    teams=[team], skills="理发", member_unit=street.unit_a)
    services.credit_hours(v, actor=people.insider, hours="2.5", served_on=v.consented_on, organiser="队")
    return v


def test_the_export_masks_the_phone_and_is_scoped(people, street, chen):
    rows = sheet(export_workbook(SPEC, people.insider))
    assert [(r["编号"], r["姓名"], r["手机号"], r["登记区域"], r["志愿服务队"], r["所在单位编码"], r["累计时长"])
            for r in rows] == [(chen.pk, "陈志愿", "138****5678", street.area_a.code, "梧桐党员志愿服务队",
                                street.unit_a.code, 2.5)]
    assert sheet(export_workbook(SPEC, people.outsider)) == []
    assert sheet(export_workbook(SPEC, people.insider, revealed=True))[0]["手机号"] == PHONE


def test_an_export_imports_again_unchanged_and_changes_update(people, chen):
    data = export_workbook(SPEC, people.insider)
    result = import_file(SPEC, io.BytesIO(data), people.insider)
    assert result.errors == [] and (result.created, result.updated) == (0, 0)
    chen.refresh_from_db()
    assert chen.phone == PHONE  # the masked phone kept the number
    row = sheet(data)[0]
    row.update({"技能": "理发、摄影", "在册": "否", "手机号": "13900000009"})
    result = import_file(SPEC, xlsx([row]), people.insider)
    assert result.errors == [] and result.updated == 1
    chen.refresh_from_db()
    assert (chen.skills, chen.active, chen.phone) == ("理发、摄影", False, "13900000009")


def test_new_volunteers_are_registered_with_their_consent_date(people, street):
    f.team(street.area_a, "梧桐党员志愿服务队")
    result = import_file(SPEC, xlsx([
        {"姓名": "赵新人", "手机号": "13811112222", "登记区域": street.area_a.code, "志愿服务队": "梧桐党员志愿服务队",
         "同意日期": "2025-03-01", "技能": "摄影"},
    ]), people.insider)
    assert result.errors == [] and result.created == 1
    v = Volunteer.objects.get()
    assert (v.name, v.phone, v.consented_on.isoformat(), [t.name for t in v.teams.all()]) == (
        "赵新人", "13811112222", "2025-03-01", ["梧桐党员志愿服务队"])


def test_a_bad_file_writes_nothing_and_says_why_in_chinese(people, street, chen):
    result = import_file(SPEC, xlsx([
        {"姓名": "好人", "登记区域": street.area_a.code, "同意日期": "2025-03-01"},
        {"姓名": "没同意", "登记区域": street.area_a.code},
        {"姓名": "错号", "手机号": "12345", "登记区域": street.area_a.code, "同意日期": "2025-03-01"},
        {"姓名": "越界", "登记区域": street.area_b.code, "同意日期": "2025-03-01"},
        {"姓名": "无队", "登记区域": street.area_a.code, "同意日期": "2025-03-01", "志愿服务队": "不存在的队"},
        {"编号": chen.pk, "姓名": "陈志愿", "手机号": "138****0000"},
        {"编号": 999999, "姓名": "谁"},
    ]), people.insider)
    by_row = {(e["row"], e["column"]): e["message"] for e in result.errors}
    assert "同意" in by_row[(3, "同意日期")]
    assert "手机" in by_row[(4, "手机号")]
    assert "管理范围" in by_row[(5, "登记区域")]
    assert "找不到" in by_row[(6, "志愿服务队")]
    assert "脱敏" in by_row[(7, "手机号")]
    assert "找不到" in by_row[(8, "编号")]
    assert (2, "姓名") not in by_row
    assert Volunteer.objects.count() == 1
    chen.refresh_from_db()
    assert chen.phone == PHONE


def test_a_volunteer_outside_the_importers_scope_is_not_changed(people, street):
    other = services.register_volunteer(street.area_b, actor=people.outsider, name="李石库", consent=True)
    result = import_file(SPEC, xlsx([{"编号": other.pk, "姓名": "改名"}]), people.insider)
    assert [e["column"] for e in result.errors] == ["编号"]
    other.refresh_from_db()
    assert other.name == "李石库"
