"""The proposals list in Excel: the export (budget lines in one cell, contacts masked), and the import, all or
nothing: new proposals submitted to their call through the services, existing ones changed only in their
description."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from gongzhi.core.excel import books, export_workbook, get_spec, import_file, write_row
from gongzhi.funds.excel_calls import parse_budget
from gongzhi.funds.models import BudgetLine, Proposal
from gongzhi.registry.models import VolunteerTeam
from tests.funds import factories_calls as f

SPEC = get_spec("fund-proposals")


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
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


@pytest.fixture
def call(street):
    return f.call(f.fund(street.area_a), "accepting", max_per_proposal="3000")


def test_budget_cells_read_back_into_lines():
    assert parse_budget("桌椅 2×300; 油漆 1x450；灯泡3*12.5") == [
        {"item": "桌椅", "quantity": "2", "unit_price": "300"}, {"item": "油漆", "quantity": "1", "unit_price": "450"},
        {"item": "灯泡", "quantity": "3", "unit_price": "12.5"}]
    with pytest.raises(Exception, match="无法识别"):
        parse_budget("桌椅两张")


def test_the_export_writes_budget_lines_in_one_cell_and_masks_contacts(call, people, street):
    p = f.proposal(call, "submitted", title="楼道歇歇椅")
    f.proposal(f.call(f.fund(street.area_b, amount="60000"), "accepting"), "submitted", title="石库门提案")
    rows = sheet(export_workbook(SPEC, people.insider))
    assert [r["项目名称"] for r in rows] == ["楼道歇歇椅"]
    row = rows[0]
    assert (row["编号"], row["征集编号"], row["预算明细"], row["申请金额（元）"]) == (p.pk, call.pk, "桌椅 2×300; 油漆 1×450",
                                                                            1050)
    assert row["联系电话"] == "139****5678" and row["联系人"] == "王**"


def test_an_import_submits_new_proposals_all_or_nothing(call, people, street):
    team = VolunteerTeam.objects.create(name="梧桐睦邻队", region=street.grid_a1)
    good = {"征集编号": call.pk, "项目名称": "自治花园", "内容与理由": "楼前种花", "提出方": "志愿者团队", "团队": "梧桐睦邻队",
            "联系人": "陈队长", "联系电话": "13900003333", "预算明细": "花苗 100×5; 工具 1×200"}
    bad_rows = [
        good | {"项目名称": "太贵", "预算明细": "花苗 1000×5"},  # above the most per proposal
        good | {"项目名称": "看不懂", "预算明细": "花苗一百棵"},
        good | {"项目名称": "无团队", "团队": "不存在的队"},
    ]
    result = import_file(SPEC, xlsx([good, *bad_rows]), people.insider)
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "预算明细"), (4, "预算明细"), (5, "团队")]
    assert not Proposal.objects.exists() and not BudgetLine.objects.exists()
    assert import_file(SPEC, xlsx([good]), people.outsider).errors[0]["column"] == "征集编号"

    result = import_file(SPEC, xlsx([good]), people.insider)
    assert result.errors == [] and result.created == 1
    p = Proposal.objects.get()
    assert (p.volunteer_team, p.state, p.submitted_by) == (team, "submitted", people.insider)
    assert [(line.item, line.amount) for line in p.budget_lines.all()] == [("花苗", Decimal("500.00")),
                                                                           ("工具", Decimal("200.00"))]


def test_an_export_imports_again_and_changes_only_the_description(call, people):
    p = f.proposal(call, "submitted", title="健康小屋")
    data = export_workbook(SPEC, people.insider)
    result = import_file(SPEC, io.BytesIO(data), people.insider)
    assert result.errors == [] and result.unchanged == 1
    row = sheet(data)[0]
    changed = {k: v for k, v in row.items() if k in {c.header for c in SPEC.columns if not c.read_only}}
    result = import_file(SPEC, xlsx([changed | {"内容与理由": "添置血压计和体重秤"}]), people.insider)
    assert result.errors == [] and result.updated == 1
    p.refresh_from_db()
    assert p.summary == "添置血压计和体重秤" and p.contact_phone == "13912345678"  # the masked cell kept it
    result = import_file(SPEC, xlsx([changed | {"预算明细": "桌椅 3×300"}]), people.insider)
    assert result.errors and result.errors[0]["column"] == "预算明细"
    reviewed = f.proposal(call, "feasible", title="已审提案")
    row = next(r for r in sheet(export_workbook(SPEC, people.insider)) if r["编号"] == reviewed.pk)
    row = {k: v for k, v in row.items() if k in {c.header for c in SPEC.columns if not c.read_only}}
    result = import_file(SPEC, xlsx([row | {"项目名称": "改名"}]), people.insider)
    assert result.errors and "审核" in result.errors[0]["message"]
