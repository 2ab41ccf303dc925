"""The cases list in Excel: the export (phone masked as on screen, scoped) and the import of a station's paper
register through `import_cases`, all or nothing; an existing case is only corrected (applicant, result, note)."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook

from gongzhi.core.excel import books, export_workbook, get_spec, import_file, write_row
from gongzhi.services.models import Case
from gongzhi.services.services import cases as services
from gongzhi.services.workflow import CaseState
from tests.services import factories as f

SPEC = get_spec("service-cases")
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
def world(street):
    station = f.place(street.area_a, "梧桐家门口服务站")
    item = f.item("居民医保参保登记", code="YB-01", materials=("身份证", "户口簿"), time_limit_days=5)
    return station, item


def test_the_export_masks_the_phone_and_is_scoped(people, street, world):
    station, item = world
    case, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="王阿姨",
                                  applicant_phone=PHONE, provided=list(item.materials.values_list("pk", flat=True)))
    rows = sheet(export_workbook(SPEC, people.insider))
    assert [(r["编号"], r["联系电话"], r["状态"], r["受理点"]) for r in rows] == [
        (case.code, "138****5678", "已受理", station.code)]
    assert sheet(export_workbook(SPEC, people.outsider)) == []
    assert sheet(export_workbook(SPEC, people.insider, revealed=True))[0]["联系电话"] == PHONE


def test_a_paper_register_is_imported_with_its_timelines(people, world):
    station, item = world
    register = [
        {"受理点": station.code, "事项": "YB-01", "申请人": "王阿姨", "联系电话": PHONE, "状态": "已办结",
         "受理时间": datetime(2025, 3, 3, 9, 30), "办结时间": datetime(2025, 3, 3, 9, 50)},
        {"受理点": station.code, "事项": "YB-01", "申请人": "李先生", "状态": "已办结",
         "受理时间": "2025-03-03 10:00", "办结时间": "2025-03-07 15:00", "后台承办": "区社保中心"},
        {"受理点": station.code, "事项": "YB-01", "申请人": "赵", "状态": "已办结", "跑动次数": 2,
         "受理时间": "2025-03-04", "办结时间": "2025-03-10"},
        {"受理点": station.code, "事项": "YB-01", "申请人": "钱", "状态": "材料不全", "受理时间": "2025-03-05"},
    ]
    result = import_file(SPEC, xlsx(register), people.insider)
    assert result.errors == [] and result.created == 4
    cases = {c.applicant_name: c for c in Case.objects.all()}
    assert cases["王阿姨"].visits == 1 and cases["王阿姨"].code == "SJ202503030001"
    assert cases["李先生"].back_office == "区社保中心" and list(
        cases["李先生"].transitions.values_list("action", flat=True)) == ["open", "forward", "receive", "complete"]
    assert cases["赵"].visits == 2 and list(cases["赵"].transitions.values_list("action", flat=True)) == [
        "open", "make_ready", "pick_up"]
    assert cases["钱"].state == CaseState.INCOMPLETE and cases["钱"].materials.filter(provided=False).count() == 2


def test_one_bad_row_writes_nothing(people, street, world):
    station, item = world
    other = f.place(street.area_b)
    register = [
        {"受理点": station.code, "事项": "YB-01", "申请人": "王阿姨", "状态": "已办结", "受理时间": "2025-03-03"},
        {"受理点": other.code, "事项": "YB-01", "申请人": "李", "状态": "已办结", "受理时间": "2025-03-03"},
        {"受理点": station.code, "事项": "YB-01", "申请人": "赵", "状态": "材料不全", "跑动次数": 3,
         "受理时间": "2025-03-03"},
        {"受理点": station.code, "事项": "YB-01", "申请人": "孙", "联系电话": "12345", "状态": "已办结",
         "受理时间": "2025-03-03"},
    ]
    result = import_file(SPEC, xlsx(register), people.insider)
    assert {(e["row"], e["column"]) for e in result.errors} == {(3, "受理点"), (4, "跑动次数"), (5, "联系电话")}
    assert not Case.objects.exists()


def test_an_export_imports_again_and_corrects_only_descriptions(people, world):
    station, item = world
    case, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="王阿姨",
                                  applicant_phone=PHONE, provided=[])
    data = export_workbook(SPEC, people.insider)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    headers = [c.value for c in ws[1]]
    ws.cell(row=2, column=headers.index("备注") + 1, value="补正后再来")
    ws.cell(row=2, column=headers.index("状态") + 1, value="已办结")  # ignored: steps happen on the page
    buf = io.BytesIO(books.to_bytes(wb))
    result = import_file(SPEC, buf, people.insider)
    assert result.errors == [] and (result.updated, result.created) == (1, 0)
    case.refresh_from_db()
    assert case.note == "补正后再来" and case.state == CaseState.INCOMPLETE and case.applicant_phone == PHONE
    assert import_file(SPEC, io.BytesIO(data), people.outsider).errors  # not in the outsider's view
