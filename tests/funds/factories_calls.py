"""Factories of the calls part's tests: an autonomy fund with money in it, calls in a given phase, proposals in a
given state with budget lines, households with known phones. Rows are written through the services where the
services can reach the state; straight otherwise (the workflow walk's subjects)."""

from __future__ import annotations

from decimal import Decimal

from gongzhi.core.workflow import SYSTEM
from gongzhi.funds.models import BudgetLine, Call, EntryKind, Fund, FundKind, Proposal, ProposalOrigin
from gongzhi.funds.services import calls as services
from gongzhi.funds.services import ledger
from gongzhi.registry.models import Building, Household
from tests import factories

LINES = [{"item": "桌椅", "quantity": "2", "unit_price": "300"}, {"item": "油漆", "quantity": "1", "unit_price": "450"}]


def phone(n: int) -> str:
    return f"1371234{n:04d}"


def fund(region, *, amount="100000", year: int = 2026, name: str = "") -> Fund:
    """An autonomy fund of `region` with `amount` allocated (nothing allocated for amount=None)."""
    made = Fund.objects.create(name=name or f"{region.name}{year}年自治金", kind=FundKind.AUTONOMY, region=region,
                               year=year)
    if amount:
        ledger.post_entry(made, actor=SYSTEM, kind=EntryKind.ALLOCATION, amount=amount, note="街道下拨")
    return made


def call(fund_: Fund, state: str = "accepting", *, budget="50000", cosigns_needed: int = 0,
         selection: str = "vote", max_per_proposal=None, title: str = "") -> Call:
    """A call through the services (announced), then put straight in `state`."""
    made = services.create_call(fund_, actor=SYSTEM, title=title or f"{fund_.name}项目征集{factories.seq()}",
                                budget=budget, cosigns_needed=cosigns_needed, selection=selection,
                                max_per_proposal=max_per_proposal)
    if state != made.state:
        Call.objects.filter(pk=made.pk).update(state=state)
        made.refresh_from_db()
    return made


def proposal(call_: Call, state: str = "submitted", *, lines=None, approved: dict | None = None, title: str = "",
             origin: str = ProposalOrigin.VOLUNTEER_TEAM, phone_: str = "13912345678", **kw) -> Proposal:
    """A proposal with budget lines, made straight in `state` (its call's phase is not changed); `approved`
    {position: amount} sets the review's amounts (default: all lines in full for reviewed states)."""
    made = Proposal.objects.create(call=call_, title=title or f"提案{factories.seq()}", summary="为居民办实事",
                                   origin=origin, team_name="楼组志愿队", contact_name="王阿姨", contact_phone=phone_,
                                   state=state, **kw)
    total = Decimal("0")
    for i, line in enumerate(lines or LINES):
        amount = Decimal(line["quantity"]) * Decimal(line["unit_price"])
        value = None
        if approved is not None:
            value = Decimal(str(approved.get(i, amount)))
        elif state not in ("collecting", "submitted", "declined", "withdrawn"):
            value = amount
        BudgetLine.objects.create(proposal=made, item=line["item"], quantity=line["quantity"],
                                  unit_price=line["unit_price"], amount=amount, approved=value, position=i)
        total += value or 0
    if state not in ("collecting", "submitted", "declined", "withdrawn") or approved is not None:
        made.approved_amount = total
        made.save(update_fields=["approved_amount"])
    return made


def households(grid, n: int, first: int = 0) -> list[Household]:
    k = factories.seq()
    building = Building.objects.create(code=f"FB{k:05d}", name=f"自治楼{k}", region=grid)
    return [Household.objects.create(building=building, room=f"{101 + i}", head_name=f"户主{first + i}",
                                     phone=phone(first + i)) for i in range(n)]


def excel_rows(street) -> Proposal:
    """A row of the proposals list (tests/core/test_excel.py): a proposal waiting for its review in area A."""
    return proposal(call(fund(street.area_a, year=2025), "accepting"), "submitted", title="楼道微更新")  # the ledger part's rows use this year's fund
