"""Agreements with their commitments in Excel: one row per commitment; the import makes new draft agreements all
or nothing, and an export imports again unchanged."""

import io

from openpyxl import Workbook, load_workbook

from gongzhi.core.excel import books, export_workbook, get_spec, import_file, write_row
from gongzhi.joint.models import Agreement
from tests.joint import factories_agreements as f

SPEC = get_spec("joint-agreements")


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


def row(street, **kw):
    return {"协议编号": "GJ-2026-01", "协议名称": "校园周边护学共建协议", "街道编码": street.subdistrict.code,
            "共建单位编码": f"{street.unit_a.code}、{street.unit_b.code}", "起始日期": "2026-01-01",
            "截止日期": "2026-12-31", "工作备忘": "护学岗", "承诺事项": "护学志愿服务", "指标": "护学人次",
            "计量单位": "人次", "基线": 0, "目标值": 600, "方向": "达到", "承诺单位编码": street.unit_b.code} | kw


def test_the_export_has_a_row_per_commitment_and_imports_again_unchanged(street, people):
    made = f.agreement(street)
    rows = sheet(export_workbook(SPEC, people.admin))
    assert [(r["协议编号"], r["指标"], r["方向"], r["状态"]) for r in rows] == [
        (made.code, "清理无证摊点", "达到", "生效中"), (made.code, "劝离流浪乞讨人员", "达到", "生效中"),
        (made.code, "周边环境投诉", "降至", "生效中")]
    assert rows[0]["共建单位编码"] == street.unit_a.code
    assert sheet(export_workbook(SPEC, people.insider)) == []  # out of the area secretary's scope
    result = import_file(SPEC, io.BytesIO(export_workbook(SPEC, people.admin)), people.admin)
    assert result.ok, result.errors
    assert (result.created, result.unchanged) == (0, 3)
    assert Agreement.objects.count() == 1


def test_an_import_makes_draft_agreements_all_or_nothing(street, people):
    good = [row(street), row(street, 承诺事项="校门口交通安全", 指标="交通事故", 计量单位="起", 基线=4, 目标值=0,
                              方向="降至", 承诺单位编码=None)]
    bad = [row(street, 协议编号="GJ-2026-02", 截止日期="2025-12-31"),
           row(street, 协议编号="GJ-2026-03", 目标值=-5),
           row(street, 协议编号="GJ-2026-04", 共建单位编码="NOPE"),
           row(street, 协议名称="另一个名称")]
    result = import_file(SPEC, xlsx(good + bad), people.admin)
    assert {(e["row"], e["column"]) for e in result.errors} >= {(4, "截止日期"), (5, "目标值"), (6, "共建单位编码"),
                                                                 (7, "协议编号")}
    assert not Agreement.objects.exists()
    assert import_file(SPEC, xlsx(good), people.outsider).errors  # not a manager of the sub-district
    result = import_file(SPEC, xlsx(good), people.admin)
    assert result.ok, result.errors
    made = Agreement.objects.get(code="GJ-2026-01")
    assert made.state == "draft" and set(made.units.all()) == {street.unit_a, street.unit_b}
    assert [(c.kpi_name, c.direction, c.member_unit) for c in made.commitments.order_by("position")] == [
        ("护学人次", "at_least", street.unit_b), ("交通事故", "at_most", None)]
