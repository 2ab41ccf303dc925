"""Factories of the funds ledger part's tests: funds opened and filled through the services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.funds.models import Call, FundKind, Proposal
from gongzhi.funds.services import donations as services

YEAR = None  # this year, when None


def this_year() -> int:
    return timezone.localdate().year


def autonomy_fund(area, year: int | None = None, amount: str | None = None, name: str | None = None):
    year = year or this_year()
    fund = services.open_fund(actor=SYSTEM, name=name or f"{area.name}{year}年自治金", kind=FundKind.AUTONOMY,
                              region=area, year=year)
    if amount:
        services.allocate(fund, actor=SYSTEM, amount=amount, note="街道下拨",
                          occurred_on=timezone.localdate() - timedelta(days=30))
    return fund


def foundation(subdistrict, name: str = "示范街道社区基金会", amount: str | None = None):
    fund = services.open_fund(actor=SYSTEM, name=name, kind=FundKind.FOUNDATION, region=subdistrict)
    if amount:
        services.allocate(fund, actor=SYSTEM, amount=amount)
    return fund


def special(parent, name: str = "博物馆专项基金"):
    return services.open_fund(actor=SYSTEM, name=name, kind=FundKind.SPECIAL, parent=parent)


def proposal(fund, title: str = "楼道歇歇椅", budget: str = "1000000"):
    """A proposal of a call on `fund` (made directly: the calls part owns their services)."""
    call = Call.objects.create(fund=fund, title=f"{fund.name}项目征集", budget=Decimal(budget))
    return Proposal.objects.create(call=call, title=title, summary="为老人添置楼道座椅")


def excel_rows(street) -> None:
    """A row of each of the ledger part's Excel lists (tests/core/test_excel.py): a ledger row, a donation and a
    spending row with its receipt number."""
    from gongzhi.funds.models import BudgetLine, DonorKind, Spending

    fund = autonomy_fund(street.area_a, amount="20000")
    services.record_donation(fund, actor=SYSTEM, donor_kind=DonorKind.UNIT, donor_unit=street.unit_a, amount="800",
                             purpose="助老", receipt_no="JZ-1")
    p = proposal(fund)
    line = BudgetLine.objects.create(proposal=p, item="座椅", unit_price=Decimal("300"), amount=Decimal("300"))
    Spending.objects.create(proposal=p, budget_line=line, amount=Decimal("300"), spent_on=timezone.localdate(),
                            payee="家具店", receipt_no="FP-9")
