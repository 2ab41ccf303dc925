"""The catalogue in Excel: the export (materials in one cell, 材料A；材料B（可选）), an export imported again
unchanged, new and changed rows written through the catalogue's import service, and a bad row refusing the whole
file with its errors per row and column."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from gongzhi.core.excel import books, export_workbook, get_spec, import_file, write_row
from gongzhi.services.models import ServiceItem, ServiceLevel
from tests.services import factories as sf

pytestmark = pytest.mark.django_db
SPEC = get_spec("service_items")


def xlsx(rows: list[dict]) -> io.BytesIO:
    headers = [c.header for c in SPEC.columns]
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
def items(street):
    city = sf.item("医保账单打印", code="C1", materials=("身份证",), remote=True)
    own = sf.item("梧桐睦邻点活动报名", code="A1", materials=("身份证", "户口簿"), level=ServiceLevel.AREA,
                  region=street.area_a)
    own.materials.filter(name="户口簿").update(required=False)
    return city, own


def test_the_export_writes_the_checklist_in_one_cell_and_imports_again_unchanged(people, items):
    data = export_workbook(SPEC, people.admin)
    rows = {r["编码"]: r for r in sheet(data)}
    assert rows["A1"]["所需材料"] == "身份证；户口簿（可选）"
    assert rows["A1"]["所属区域编码"] == items[1].region.code and rows["C1"]["可远程办理"] == "是"
    assert rows["C1"]["层级"] == "全市通办"
    result = import_file(SPEC, io.BytesIO(data), people.admin)
    assert result.errors == [] and (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_new_and_changed_rows_are_written_with_their_checklists(people, items, street):
    result = import_file(SPEC, xlsx([
        {"编码": "C1", "名称": "医保账单打印", "分类": "社会保障", "层级": "全市通办", "所需材料": "社保卡；身份证（可选）",
         "可远程办理": "是"},
        {"编码": "S9", "名称": "便民理发预约", "分类": "social", "层级": "街道", "所属区域编码": street.subdistrict.code,
         "所需材料": "无需材料*", "办理时限（工作日）": 0, "收费（元）": 5, "可预约": "是"},
    ]), people.admin)
    assert result.errors == [] and (result.created, result.updated) == (1, 1)
    c1 = ServiceItem.objects.get(code="C1")
    assert [(m.name, m.required) for m in c1.materials.all()] == [("社保卡", True), ("身份证", False)]
    s9 = ServiceItem.objects.get(code="S9")
    assert (s9.region, s9.bookable, str(s9.fee)) == (street.subdistrict, True, "5.00")


def test_one_bad_row_refuses_the_whole_file(people, items, street):
    result = import_file(SPEC, xlsx([
        {"编码": "N1", "名称": "敬老卡办理", "分类": "社会保障", "所需材料": "身份证"},
        {"编码": "N2", "名称": "错误的事项", "分类": "不存在的分类", "办理时限（工作日）": "三天"},
        {"编码": "N3", "名称": "层级不符", "分类": "社会保障", "层级": "街道", "所属区域编码": street.area_a.code},
        {"编码": "N1", "名称": "重复", "分类": "社会保障"},
    ]), people.admin)
    found = {(e["row"], e["column"]) for e in result.errors}
    assert {(3, "分类"), (3, "办理时限（工作日）"), (4, "所属区域编码"), (5, "编码")} <= found
    assert not ServiceItem.objects.filter(code__startswith="N").exists()


def test_an_area_secretary_exports_their_catalogue_but_may_not_import(people, items):
    assert {r["编码"] for r in sheet(export_workbook(SPEC, people.insider))} == {"C1", "A1"}
    assert {r["编码"] for r in sheet(export_workbook(SPEC, people.outsider))} == {"C1"}
    assert SPEC.may_export(people.insider) and not SPEC.may_import(people.insider)
