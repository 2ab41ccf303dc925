"""Issue 2: a sub-district administrator imports an Excel file with one bad row, gets the row-by-row
report, and finds nothing imported."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongzhi.core.excel import get_spec, template_workbook
from gongzhi.registry.models import MemberUnit
from tests import factories
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def member_units_file(tmp_path, street, bad_row: bool):
    wb = load_workbook(io.BytesIO(template_workbook(get_spec("member_units"))))
    ws = wb.active
    headers = [c.value for c in ws[1]]
    rows = [
        {"编码": "IMP-001", "名称": "梧桐律师事务所", "类型": "企业", "所属区域编码": street.grid_a1.code, "职工人数": 30},
        {"编码": "IMP-002", "名称": "石库门幼儿园", "类型": "学校", "所属区域编码": street.grid_b1.code, "职工人数": 45},
        {"编码": "IMP-003", "名称": "滨江药房", "类型": "企业",
         "所属区域编码": "NO-SUCH-GRID" if bad_row else street.grid_a2.code, "职工人数": 12},
    ]
    for r in rows:
        ws.append([r.get(h) for h in headers])
    path = tmp_path / ("bad.xlsx" if bad_row else "good.xlsx")
    wb.save(path)
    return path


def test_one_bad_row_means_nothing_is_imported(page, live_server, tmp_path):
    street = factories.street()
    factories.personas(street)
    before = MemberUnit.objects.count()
    log_in(page, live_server, "streetadmin", factories.PASSWORD)

    page.goto(live_server.url + reverse("excel:import"))
    page.select_option("select[name=kind]", "member_units")
    page.set_input_files("input[name=file]", str(member_units_file(tmp_path, street, bad_row=True)))
    page.click("button[type=submit]")
    page.wait_for_selector("#job-status table")
    report = page.inner_text("#job-status")
    assert "未写入任何数据" in report
    assert "NO-SUCH-GRID" in report and "所属区域编码" in report
    # The bad row is the 5th line of the sheet (header, hint row, two good rows, then it).
    first_row = page.locator("#job-status tbody tr").first.inner_text()
    assert first_row.split("\t")[0].strip() == "5"
    assert MemberUnit.objects.count() == before
    assert not MemberUnit.objects.filter(code__startswith="IMP-").exists()

    # Corrected, the same file imports whole.
    page.goto(live_server.url + reverse("excel:import"))
    page.select_option("select[name=kind]", "member_units")
    page.set_input_files("input[name=file]", str(member_units_file(tmp_path, street, bad_row=False)))
    page.click("button[type=submit]")
    page.wait_for_selector("#job-status .msg-success")
    assert "已导入 3 行" in page.inner_text("#job-status")
    assert MemberUnit.objects.filter(code__startswith="IMP-").count() == 3
