"""The ledger part's pages, API and Excel with the personas: who sees which fund (an area's staff see their own
area's funds and the sub-district's foundation, read-only; not another area's), the ledger with its running
balance, filters and pagination, the forms' field errors (nothing written), charity events with their total, the
yearly summary, and the auditor's and donations' workbooks (the donations import is all or nothing)."""

import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from gongzhi.core.workflow import SYSTEM
from gongzhi.funds.models import BudgetLine, Donation, DonorKind, LedgerEntry, Spending
from gongzhi.funds.selectors import ledger as selectors
from gongzhi.funds.services import donations as services
from gongzhi.funds.services.ledger import balance, grant_from
from gongzhi.funds.workflow import ProposalState
from tests.conftest import login
from tests.funds import factories_ledger as f

pytestmark = pytest.mark.django_db
API = "/api/v1/funds/ledger"


@pytest.fixture
def books(street):
    fund_a = f.autonomy_fund(street.area_a, amount="150000")
    fund_b = f.autonomy_fund(street.area_b, amount="180000", name="石库门自治金")
    foundation = f.foundation(street.subdistrict)
    services.record_donation(foundation, actor=SYSTEM, donor_kind=DonorKind.PERSON, donor_name="王建国",
                             donor_phone="13912345678", amount="50000", purpose="设立专项基金")
    return {"a": fund_a, "b": fund_b, "foundation": foundation}


def _rows(response) -> list[tuple]:
    assert response.status_code == 200, response.status_code
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_each_persona_sees_the_funds_of_their_scope(client, people, books):
    assert {x.name for x in selectors.funds_for(people.insider)} == {books["a"].name, books["foundation"].name}
    assert {x.name for x in selectors.funds_for(people.outsider)} == {books["b"].name, books["foundation"].name}
    assert selectors.funds_for(people.admin).count() == 3
    assert not selectors.funds_for(people.colleague).exists() and not selectors.funds_for(people.resident).exists()
    html = login(client, people.insider).get(reverse("funds:ledger_funds")).content.decode()
    assert books["a"].name in html and books["foundation"].name in html and "石库门自治金" not in html
    assert "¥150000.00" in html
    assert client.get(reverse("funds:ledger_fund", args=[books["b"].pk])).status_code == 404
    page = client.get(reverse("funds:ledger_fund", args=[books["foundation"].pk])).content.decode()
    assert "¥50000.00" in page and reverse("funds:ledger_donate", args=[books["foundation"].pk]) not in page
    assert client.get(reverse("funds:ledger_donate", args=[books["foundation"].pk])).status_code == 403
    assert login(client, people.colleague).get(reverse("funds:ledger_funds")).status_code == 403


def test_the_ledger_page_shows_the_running_balance_filters_and_pages(client, people, street, books):
    fund = books["a"]
    p = f.proposal(fund)
    for i in range(30):
        grant_from(fund, actor=SYSTEM, amount="1000", proposal=p, note=f"第{i}笔")
    services.allocate(fund, actor=SYSTEM, amount="5", receipt_no="RCPT-77")
    login(client, people.insider)
    url = reverse("funds:ledger_fund", args=[fund.pk])
    first = client.get(url).content.decode()
    assert first.count('data-entry="') == 25 and "150000.00" in first and "149000.00" in first
    last = client.get(url, {"page": 2}).content.decode()
    assert last.count('data-entry="') == 7 and "120005.00" in last  # the last row's running balance
    found = client.get(url, {"q": "RCPT-77"}).content.decode()
    assert found.count('data-entry="') == 1 and "120005.00" in found  # the whole ledger's balance, not the filter's
    grants = client.get(url, {"kind": "grant"}).content.decode()
    assert grants.count('data-entry="') == 25 and "150000.00" not in grants.split('id="ledger"')[1]
    assert client.get(url, {"from": "nonsense"}).status_code == 400
    printed = client.get(reverse("funds:ledger_fund_print", args=[fund.pk])).content.decode()
    assert printed.count('data-entry="') == 32 and "print-page" in printed


def test_forms_return_field_errors_and_write_nothing(client, people, books):
    login(client, people.admin)
    fund = books["a"]
    r = client.post(reverse("funds:ledger_allocate", args=[fund.pk]), {"amount": "12.345"})
    assert r.status_code == 422 and "amount" in r.context["form"].errors
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    r = client.post(reverse("funds:ledger_donate", args=[fund.pk]),
                    {"donor_kind": "person", "amount": "-3", "donated_on": tomorrow})
    assert r.status_code == 422 and {"amount", "donated_on"} <= set(r.context["form"].errors)
    assert LedgerEntry.objects.filter(fund=fund).count() == 1 and not Donation.objects.filter(fund=fund).exists()
    r = client.post(reverse("funds:ledger_allocate", args=[fund.pk]), {"amount": "2000.50", "receipt_no": "B-1"})
    assert r.status_code == 302 and balance(fund) == Decimal("152000.50")
    r = client.post(reverse("funds:ledger_fund_open"), {"name": "重复", "kind": "autonomy",
                                                        "region": fund.region_id, "year": fund.year})
    assert r.status_code == 422 and "year" in r.context["form"].errors


def test_a_charity_event_page_lists_lots_and_their_total(client, people, books):
    login(client, people.admin)
    r = client.post(reverse("funds:ledger_event_new", args=[books["foundation"].pk]),
                    {"name": "社区慈善夜", "held_on": timezone.localdate().isoformat(), "place": "文化中心"})
    event_url = r.url
    event = books["foundation"].charity_events.get()
    for title in ("书法", "油画"):
        client.post(reverse("funds:ledger_lot_add", args=[event.pk]), {"title": title, "donated_by": "艺术家"})
    lots = list(event.lots.all())
    r = client.post(reverse("funds:ledger_lot_sell", args=[lots[0].pk]),
                    {f"sell-{lots[0].pk}-price": "2888.80", f"sell-{lots[0].pk}-buyer_name": "赵先生"})
    assert r.status_code == 302
    r = client.post(reverse("funds:ledger_lot_sell", args=[lots[0].pk]),
                    {f"sell-{lots[0].pk}-price": "100", f"sell-{lots[0].pk}-buyer_name": "钱女士"})
    assert r.status_code == 422 and 'class="errorlist nonfield"' in r.content.decode()
    html = client.get(event_url).content.decode()
    assert "2888.80" in html and "赵**" in html and "赵先生" not in html
    assert balance(books["foundation"]) == Decimal("52888.80")
    html = login(client, people.outsider).get(event_url).content.decode()  # read-only for an area's staff
    assert "2888.80" in html and reverse("funds:ledger_lot_add", args=[event.pk]) not in html


def test_the_yearly_summary_counts_proposals_and_money(client, people, street, books):
    year = timezone.localdate().year
    fund = books["a"]
    done = f.proposal(fund, "健康小屋")
    f.proposal(fund, "爱心铃")  # collected, not funded
    done.state = ProposalState.COMPLETED
    done.save()
    grant_from(fund, actor=SYSTEM, amount="8000", proposal=done)
    line = BudgetLine.objects.create(proposal=done, item="血压计", unit_price=Decimal("6000"), amount=Decimal("6000"))
    Spending.objects.create(proposal=done, budget_line=line, amount=Decimal("6000"), spent_on=timezone.localdate(),
                            payee="医疗器械公司", receipt_no="FP-1")
    rows = selectors.yearly_summary(people.admin, year)
    sub = rows[0]
    area = next(a for a in sub.areas if a.region == street.area_a)
    assert (area.collected, area.funded, area.completed) == (2, 1, 1)
    assert (area.granted, area.spent, area.spend_rate) == (Decimal("8000.00"), Decimal("6000.00"), Decimal("75.0"))
    assert sub.granted == Decimal("8000.00") and len(sub.areas) == 2
    assert [a.region for a in selectors.yearly_summary(people.outsider, year)[0].areas] == [street.area_b]
    html = login(client, people.admin).get(reverse("funds:ledger_report"), {"year": year}).content.decode()
    assert "75.0%" in html
    book = _rows(client.get(reverse("funds:ledger_report_export"), {"year": year}))
    assert any(r[0] == street.area_a.name and r[1:4] == (2, 1, 1) and r[6] == 75.0 for r in book)
    receipts = _rows(client.get(reverse("excel:export", args=["fund_receipts"]), {"fund": fund.pk}))
    assert receipts[1][1:8] == ("健康小屋", "血压计", "医疗器械公司", 6000.0, receipts[1][5], "FP-1", "否")
    assert len(_rows(login(client, people.outsider).get(reverse("excel:export", args=["fund_receipts"])))) == 1


def test_the_auditors_ledger_export_has_the_running_balance_and_a_check_column(client, people, books):
    fund = books["a"]
    p = f.proposal(fund, "楼道歇歇椅")
    grant_from(fund, actor=SYSTEM, amount="30000", proposal=p)
    book = _rows(login(client, people.insider).get(reverse("excel:export", args=["fund_ledger"]), {"fund": fund.pk}))
    assert book[0][-2:] == ("余额（元）", "已核对")
    assert [(r[2], r[3], r[5], r[8], r[9]) for r in book[1:]] == [
        ("街道下拨", 150000.0, None, 150000.0, None), ("项目拨付", -30000.0, "楼道歇歇椅", 120000.0, None)]
    everything = _rows(client.get(reverse("excel:export", args=["fund_ledger"])))
    assert {r[0] for r in everything[1:]} == {fund.name, books["foundation"].name}  # not area B's fund


def _xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "基金", "捐赠方类型", "捐赠单位", "捐赠人", "联系电话", "金额（元）", "日期", "用途", "票据号"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "donations.xlsx"
    return buf


def test_the_donations_import_is_all_or_nothing_and_the_export_masks_people(client, people, street, books):
    login(client, people.admin)
    name = books["foundation"].name
    good = [None, name, "单位", street.unit_a.code, None, None, 20000, "2025-06-01", "助老", "J-1"]
    person = [None, name, "个人", None, "李四", "13800001234", "49028.10", "2025-06-02", "", "J-2"]
    bad = [None, name, "个人", None, None, None, "12.345", "2999-01-01", "", "J-3"]
    before = balance(books["foundation"])
    html = client.post(reverse("excel:import"), {"kind": "fund_donations", "file": _xlsx([good, person, bad])},
                       follow=True).content.decode()
    assert 'id="import-errors"' in html and "个人捐赠须填写捐赠人" in html
    assert balance(books["foundation"]) == before and Donation.objects.count() == 1
    client.post(reverse("excel:import"), {"kind": "fund_donations", "file": _xlsx([good, person])}, follow=True)
    assert balance(books["foundation"]) == before + Decimal("69028.10")
    assert Donation.objects.get(receipt_no="J-2").donor_name == "李四"
    book = _rows(client.get(reverse("excel:export", args=["fund_donations"])))
    cells = [c for r in book for c in r]
    assert "李*" in cells and "李四" not in cells and "138****1234" in cells
    again = client.post(reverse("excel:import"), {"kind": "fund_donations", "file": _xlsx(
        [[r[0], r[1], r[2], r[3], r[4], r[5], r[7], r[8], r[9], r[10]] for r in book[1:]])}, follow=True)
    assert 'id="import-errors"' not in again.content.decode() and Donation.objects.count() == 3
    changed = [[r[0], r[1], r[2], r[3], r[4], r[5], r[7], r[8], r[9], r[10]] for r in book[1:]]
    changed[0][6], changed[1][8] = 1, "更正后的用途"  # a recorded amount may not change; a purpose may
    html = client.post(reverse("excel:import"), {"kind": "fund_donations", "file": _xlsx(changed)},
                       follow=True).content.decode()
    assert "不能修改基金、金额或日期" in html and not Donation.objects.filter(purpose="更正后的用途").exists()
    changed[0][6] = book[1][7]
    client.post(reverse("excel:import"), {"kind": "fund_donations", "file": _xlsx(changed)}, follow=True)
    assert Donation.objects.filter(pk=book[2][0], purpose="更正后的用途").exists()
    assert balance(books["foundation"]) == before + Decimal("69028.10")


def test_the_api_lists_funds_with_balances_pages_the_ledger_and_records_donations(client, people, street, books):
    login(client, people.insider)
    funds = client.get(f"{API}/funds").json()
    assert {(x["name"], x["balance"]) for x in funds["items"]} == {
        (books["a"].name, "150000.00"), (books["foundation"].name, "50000.00")}
    assert client.get(f"{API}/funds/{books['b'].pk}").status_code == 404
    entries = client.get(f"{API}/funds/{books['a'].pk}/entries", {"limit": 1}).json()
    assert entries["count"] == 1 and entries["items"][0]["running_balance"] == "150000.00"
    body = {"donor_kind": "unit", "donor_unit": street.unit_a.pk, "amount": "300"}
    assert client.post(f"{API}/funds/{books['a'].pk}/donations", json.dumps(body),
                       content_type="application/json").status_code == 403
    login(client, people.admin)
    r = client.post(f"{API}/funds/{books['a'].pk}/donations", json.dumps(body | {"amount": "0.001"}),
                    content_type="application/json")
    assert r.status_code == 422 and "amount" in r.json()["errors"]
    r = client.post(f"{API}/funds/{books['a'].pk}/donations", json.dumps(
        {"donor_kind": "person", "donor_name": "张三", "donor_phone": "13700001111", "amount": "300.50"}),
        content_type="application/json")
    assert r.status_code == 201 and r.json()["amount"] == "300.50"
    assert r.json()["donor"] == "张三"  # the API asks only whether the caller may see personal data (admin may)
    assert balance(books["a"]) == Decimal("150300.50")
