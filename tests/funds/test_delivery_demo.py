"""The delivery part's demo seeder on the calls part's granted proposals: last year's carried to completion with
a closing review meeting and the unspent rest returned, this year's part-way with milestones past due; the
ledger balances to the fen."""

import random
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from gongzhi.demo import SeedContext
from gongzhi.demo.funds import delivery as demo
from gongzhi.funds.models import EntryKind, Fund, LedgerEntry, Spending
from gongzhi.funds.services.ledger import balance
from gongzhi.funds.workflow import ProposalState
from gongzhi.registry.models import ServicePlace
from tests.funds.factories_delivery import fund, granted


def test_demo_carries_last_year_to_completion_and_this_year_part_way(street, people):
    today = timezone.localdate()
    last = today.year - 1
    old_fund = fund(street.area_a, year=last)
    old = [granted(street.area_a, fund_=old_fund, starts_on=date(last, 4, 1), ends_on=date(last, 10, 31),
                   granted_on=date(last, 3, 20)) for _ in range(2)]
    new = granted(street.area_a, starts_on=today.replace(day=1) if today.day > 1 else today,
                  ends_on=date(today.year + 1, 6, 30), granted_on=today.replace(day=1))
    place = ServicePlace.objects.create(code="SP-A", name="梧桐服务站", region=street.area_a)
    ctx = SeedContext(rng=random.Random(7), areas=[street.area_a], users={"secretary1": people.insider},
                      service_places=[place], extra={"funds": {"granted": [g.proposal for g in [*old, new]]}})
    demo.seed(ctx)
    for g in old:
        g.proposal.refresh_from_db()
        assert g.proposal.state == ProposalState.COMPLETED and g.proposal.progress == 100
        assert g.proposal.closing_meeting.kind == "review"
        n = Spending.objects.filter(proposal=g.proposal).count()
        assert 2 <= n <= 5
        spent = Spending.objects.filter(proposal=g.proposal).aggregate(t=Sum("amount"))["t"]
        back = LedgerEntry.objects.get(proposal=g.proposal, kind=EntryKind.RETURN).amount
        assert spent + back == Decimal("5000.00")
    new.proposal.refresh_from_db()
    assert new.proposal.state == ProposalState.DELIVERING and 0 < new.proposal.progress < 100
    for f in Fund.objects.all():
        assert balance(f) == sum(e.amount for e in f.entries.all())
    demo.seed(SeedContext(rng=random.Random(1)))  # without the calls part's grants: nothing, quietly
