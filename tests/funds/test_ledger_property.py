"""Property: whatever sequence of allocations, donations, grants (some refused for want of money), returns and bad
amounts hits a fund, its balance equals the sum of its ledger rows, equals the figure a plain model of the rules
expects, and is never negative; the list's money in less money out and the ledger's last running balance agree."""

from decimal import Decimal

from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongzhi.core.errors import ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.funds.models import DonorKind, EntryKind, LedgerEntry
from gongzhi.funds.selectors import ledger as selectors
from gongzhi.funds.services import donations as services
from gongzhi.funds.services.ledger import balance, grant_from, post_entry
from tests.funds import factories_ledger as f

AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)
BAD = st.sampled_from(["-1", "0", "0.001", "12.345", "x", 3.5, None])
OPS = st.one_of(
    st.tuples(st.sampled_from(["allocate", "donate", "grant", "return"]), AMOUNTS),
    st.tuples(st.just("bad"), BAD),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(OPS, max_size=25))
def test_balance_is_always_the_ledger_sum_and_never_negative(street, ops):
    fund = f.foundation(street.subdistrict, name="性质测试基金")
    proposal = f.proposal(fund)
    expected = Decimal("0.00")
    for op, amount in ops:
        if op == "allocate":
            services.allocate(fund, actor=SYSTEM, amount=str(amount))
            expected += amount
        elif op == "donate":
            services.record_donation(fund, actor=SYSTEM, donor_kind=DonorKind.UNIT, donor_unit=street.unit_a,
                                     amount=amount)
            expected += amount
        elif op == "return":
            post_entry(fund, actor=SYSTEM, kind=EntryKind.RETURN, amount=amount, proposal=proposal)
            expected += amount
        elif op == "grant":
            try:
                grant_from(fund, actor=SYSTEM, amount=amount, proposal=proposal)
            except ValidationFailed as e:
                assert amount > expected and "amount" in e.field_errors
            else:
                assert amount <= expected
                expected -= amount
        else:
            before = LedgerEntry.objects.filter(fund=fund).count()
            try:
                services.allocate(fund, actor=SYSTEM, amount=amount)
            except ValidationFailed as e:
                assert "amount" in e.field_errors
            assert LedgerEntry.objects.filter(fund=fund).count() == before
        assert balance(fund) == expected >= 0
    rows = LedgerEntry.objects.filter(fund=fund)
    # SQLite sums a decimal column in floating point; the ledger's own figures are quantized to the fen
    assert (rows.aggregate(s=Sum("amount"))["s"] or Decimal("0")).quantize(Decimal("0.01")) == expected == balance(fund)
    totals = selectors.fund_totals(fund)
    assert totals["balance"] == expected == totals["money_in"] - totals["money_out"]
    ledger = list(selectors.ledger(rows))
    assert all(e.running >= 0 for e in ledger)
    if ledger:
        assert ledger[-1].running == expected
