"""Parallel writes against one fund: 50 grants of ¥300 against ¥10,000 commit only what fits (33 of them, ¥100
left, never below zero), and of parallel sales of one charity lot exactly one goes through. Real threads and real
transactions (SQLite retries its table lock; PostgreSQL queues on the fund's row lock)."""

from decimal import Decimal
from functools import partial

import pytest
from django.db.models import Sum

from gongzhi.core.errors import Conflict, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.funds.models import CharityLot, Donation, EntryKind, LedgerEntry
from gongzhi.funds.services import donations as services
from gongzhi.funds.services.ledger import balance, grant_from
from tests import factories
from tests.concurrency import run_at_once
from tests.funds import factories_ledger as f

N = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_grants_never_overdraw_the_fund():
    street = factories.street()
    fund = f.autonomy_fund(street.area_a, amount="10000")
    proposal = f.proposal(fund)
    results = run_at_once([partial(grant_from, fund.pk, actor=SYSTEM, amount="300", proposal=proposal)] * N)
    granted = [r for r in results if isinstance(r, LedgerEntry)]
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(granted) == 33 and len(refused) == N - 33, [r for r in results if not isinstance(
        r, LedgerEntry | ValidationFailed)][:3]
    assert all("amount" in r.field_errors for r in refused)
    assert balance(fund) == Decimal("100.00")
    grants = LedgerEntry.objects.filter(fund=fund, kind=EntryKind.GRANT)
    assert grants.count() == 33 and grants.aggregate(s=Sum("amount"))["s"] == Decimal("-9900.00")
    # the balance after every row, in ledger order, never went below zero
    running = Decimal("0")
    for amount in LedgerEntry.objects.filter(fund=fund).order_by("occurred_on", "id").values_list("amount", flat=True):
        running += amount
        assert running >= 0


@pytest.mark.django_db(transaction=True)
def test_parallel_sales_of_one_lot_sell_it_once():
    street = factories.street()
    fund = f.foundation(street.subdistrict)
    event = services.create_charity_event(fund, actor=SYSTEM, name="慈善夜", held_on="2025-12-20")
    lot = services.add_lot(event, actor=SYSTEM, title="油画《石库门》")
    prices = [f"{1000 + i}" for i in range(10)]
    results = run_at_once([partial(services.sell_lot, lot.pk, actor=SYSTEM, price=p, buyer_name="买家")
                           for p in prices])
    sold = [r for r in results if isinstance(r, CharityLot)]
    assert len(sold) == 1 and all(isinstance(r, Conflict) for r in results if r is not sold[0])
    assert Donation.objects.filter(event=event).count() == 1
    assert balance(fund) == CharityLot.objects.get(pk=lot.pk).price == sold[0].price
