"""The ledger part's writers: opening funds, allocations, donations, charity events and lots; bad input is a field
error and writes nothing; the ledger is append-only."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gongzhi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.funds.models import CharityLot, Donation, DonorKind, EntryKind, Fund, FundKind, LedgerEntry
from gongzhi.funds.services import donations as services
from gongzhi.funds.services.ledger import balance, grant_from, post_entry
from tests.funds import factories_ledger as f

pytestmark = pytest.mark.django_db


def _nothing_written(fund, before: int):
    assert LedgerEntry.objects.filter(fund=fund).count() == before
    assert Donation.objects.filter(fund=fund).count() == 0


def test_open_fund_refuses_a_second_autonomy_fund_for_the_area_and_year(street):
    f.autonomy_fund(street.area_a, 2025)
    with pytest.raises(ValidationFailed) as e:
        services.open_fund(actor=SYSTEM, name="又一个", kind=FundKind.AUTONOMY, region=street.area_a, year=2025)
    assert "year" in e.value.field_errors
    other = services.open_fund(actor=SYSTEM, name="下一年", kind=FundKind.AUTONOMY, region=street.area_a, year=2026)
    assert other.year == 2026 and Fund.objects.filter(region=street.area_a).count() == 2


def test_open_fund_field_errors(street):
    with pytest.raises(ValidationFailed) as e:
        services.open_fund(actor=SYSTEM, name=" ", kind=FundKind.AUTONOMY, region=street.subdistrict, year=None)
    assert {"name", "region", "year"} <= set(e.value.field_errors)
    autonomy = f.autonomy_fund(street.area_a)
    with pytest.raises(ValidationFailed) as e:
        services.open_fund(actor=SYSTEM, name="专项", kind=FundKind.SPECIAL, parent=autonomy)
    assert "parent" in e.value.field_errors
    assert not Fund.objects.filter(kind=FundKind.SPECIAL).exists()
    foundation = f.foundation(street.subdistrict)
    special = services.open_fund(actor=SYSTEM, name="专项", kind=FundKind.SPECIAL, parent=foundation)
    assert special.region == street.subdistrict and special.parent == foundation


def test_only_the_ledger_keeper_opens_funds_in_their_scope(street, people):
    with pytest.raises(Forbidden):
        services.open_fund(actor=people.insider, name="x", kind=FundKind.AUTONOMY, region=street.area_a, year=2025)
    fund = services.open_fund(actor=people.admin, name="梧桐2025", kind=FundKind.AUTONOMY, region=street.area_a,
                              year=2025)
    assert fund.pk


@pytest.mark.parametrize("amount", ["-5", "0", "1.005", 12.5, "abc", None, True])
def test_allocate_refuses_bad_amounts_and_writes_nothing(street, amount):
    fund = f.autonomy_fund(street.area_a)
    with pytest.raises(ValidationFailed) as e:
        services.allocate(fund, actor=SYSTEM, amount=amount)
    assert "amount" in e.value.field_errors
    _nothing_written(fund, 0)


def test_dates_in_the_future_and_closed_funds_are_refused(street):
    fund = f.autonomy_fund(street.area_a, amount="100")
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationFailed) as e:
        services.allocate(fund, actor=SYSTEM, amount="10", occurred_on=tomorrow)
    assert "occurred_on" in e.value.field_errors
    with pytest.raises(ValidationFailed) as e:
        services.record_donation(fund, actor=SYSTEM, donor_kind=DonorKind.UNIT, donor_unit=street.unit_a,
                                 amount="10", donated_on=tomorrow)
    assert "donated_on" in e.value.field_errors
    services.close_fund(fund, actor=SYSTEM)
    with pytest.raises(ValidationFailed) as e:
        services.allocate(fund, actor=SYSTEM, amount="10")
    assert "fund" in e.value.field_errors
    with pytest.raises(Conflict):
        services.close_fund(fund, actor=SYSTEM)
    _nothing_written(fund, 1)
    assert balance(fund) == Decimal("100.00")


def test_donations_record_the_donor_and_book_the_ledger(street):
    fund = f.foundation(street.subdistrict)
    by_unit = services.record_donation(fund, actor=SYSTEM, donor_kind=DonorKind.UNIT, donor_unit=street.unit_a,
                                       amount="20000", purpose="助老", receipt_no="R-001")
    by_person = services.record_donation(fund, actor=SYSTEM, donor_kind=DonorKind.PERSON, donor_name="王建国",
                                         donor_phone="13912345678", amount="88.80")
    assert by_unit.entry.kind == EntryKind.DONATION and by_unit.entry.receipt_no == "R-001"
    assert by_person.donor_label() == "王**" and by_person.masked_phone == "139****5678"
    assert balance(fund) == Decimal("20088.80")
    with pytest.raises(ValidationFailed) as e:
        services.record_donation(fund, actor=SYSTEM, donor_kind=DonorKind.PERSON, donor_name="", amount="5",
                                 donor_phone="abc")
    assert {"donor_name", "donor_phone"} <= set(e.value.field_errors)
    with pytest.raises(ValidationFailed) as e:
        services.record_donation(fund, actor=SYSTEM, donor_kind=DonorKind.UNIT, amount="5")
    assert "donor_unit" in e.value.field_errors
    assert Donation.objects.count() == 2 and LedgerEntry.objects.filter(fund=fund).count() == 2


def test_a_lot_sells_once_and_its_price_is_a_donation_of_the_event(street):
    fund = f.foundation(street.subdistrict)
    event = services.create_charity_event(fund, actor=SYSTEM, name="慈善夜", held_on=timezone.localdate(),
                                          place="社区中心")
    lot = services.add_lot(event, actor=SYSTEM, title="书法作品", donated_by="老书法家")
    sold = services.sell_lot(lot, actor=SYSTEM, price="3000.50", buyer_name="李先生")
    assert sold.donation.donor_kind == DonorKind.EVENT and sold.donation.event == event
    assert sold.buyer_label() == "李**"
    with pytest.raises(Conflict):
        services.sell_lot(lot, actor=SYSTEM, price="4000", buyer_unit=street.unit_b)
    assert balance(fund) == Decimal("3000.50")
    assert CharityLot.objects.get(pk=lot.pk).price == Decimal("3000.50")
    with pytest.raises(ValidationFailed) as e:
        services.sell_lot(services.add_lot(event, actor=SYSTEM, title="茶具"), actor=SYSTEM, price="-1")
    assert {"price", "buyer_name"} <= set(e.value.field_errors)


def test_the_ledger_is_append_only(street):
    fund = f.autonomy_fund(street.area_a, amount="500")
    entry = LedgerEntry.objects.get(fund=fund)
    entry.amount = Decimal("5000")
    with pytest.raises(Conflict):
        entry.save()
    with pytest.raises(Conflict):
        entry.delete()
    with pytest.raises(Conflict):
        LedgerEntry.objects.filter(fund=fund).update(amount=Decimal("1"))
    with pytest.raises(Conflict):
        LedgerEntry.objects.filter(fund=fund).delete()
    assert LedgerEntry.objects.get(fund=fund).amount == Decimal("500.00")


def test_a_grant_over_the_balance_is_refused(street):
    fund = f.autonomy_fund(street.area_a, amount="1000")
    p = f.proposal(fund)
    with pytest.raises(ValidationFailed) as e:
        grant_from(fund, actor=SYSTEM, amount="1000.01", proposal=p)
    assert "amount" in e.value.field_errors
    grant_from(fund, actor=SYSTEM, amount="1000", proposal=p)
    assert balance(fund) == 0
    post_entry(fund, actor=SYSTEM, kind=EntryKind.RETURN, amount="10", proposal=p)
    assert balance(fund) == Decimal("10.00")


def test_out_of_scope_funds_are_not_found(street, people):
    fund_b = f.autonomy_fund(street.area_b, amount="10")
    with pytest.raises(NotFound):
        services.allocate(fund_b, actor=people.insider, amount="1")
    fund_a = f.autonomy_fund(street.area_a)
    with pytest.raises(Forbidden):  # seen, but the area books no money
        services.allocate(fund_a, actor=people.insider, amount="1")
    assert services.allocate(fund_a, actor=people.admin, amount="1").amount == Decimal("1.00")
