"""The demo's ledger: an autonomy fund per residential area for last year and this year with its allocation, the
foundation with member units' donations, the charity night's 16 lots raising exactly ¥49,028.10 and the museum's
¥50,000 in the special fund under the foundation; every balance is its ledger's sum, to the fen."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from gongzhi.demo import run_seed
from gongzhi.funds.models import CharityLot, Donation, EntryKind, Fund, FundKind, LedgerEntry
from gongzhi.funds.services.ledger import balance
from gongzhi.registry.models import Region, RegionKind
from tests.dbutil import settle_constraints


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            ctx = run_seed(["core", "accounts", "registry", "funds"])
            print(ctx.timings)
            settle_constraints()  # tests/dbutil.py
            yield ctx
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.django_db
def test_an_autonomy_fund_per_area_and_year_with_its_allocation(seeded):
    year = timezone.localdate().year
    areas = set(Region.objects.filter(kind=RegionKind.RESIDENTIAL_AREA).values_list("pk", flat=True))
    autonomy = seeded.extra["funds"]["autonomy"]
    assert set(autonomy) == {(a, y) for a in areas for y in (year - 1, year)}
    firsts = [f.entries.filter(kind=EntryKind.ALLOCATION).order_by("occurred_on", "id").first().amount
              for f in autonomy.values()]
    assert all(Decimal("150000") <= a <= Decimal("200000") for a in firsts) and len(set(firsts)) > 5


@pytest.mark.django_db
def test_the_charity_night_raises_exactly_49028_10_for_the_special_fund(seeded):
    special, foundation = seeded.extra["funds"]["special"], seeded.extra["funds"]["foundation"]
    assert special.kind == FundKind.SPECIAL and special.parent == foundation
    event = special.charity_events.get()
    lots = CharityLot.objects.filter(event=event)
    assert lots.count() == 16 and not lots.filter(donation=None).exists()
    assert lots.aggregate(s=Sum("price"))["s"] == Decimal("49028.10")
    assert balance(special) == Decimal("99028.10")  # and the museum's ¥50,000
    assert Donation.objects.filter(fund=foundation, donor_kind="unit").count() >= 3


@pytest.mark.django_db
def test_every_balance_is_its_ledgers_sum(seeded):
    for fund in Fund.objects.all():
        total = LedgerEntry.objects.filter(fund=fund).aggregate(s=Sum("amount"))["s"] or Decimal("0")
        assert balance(fund) == total >= 0
