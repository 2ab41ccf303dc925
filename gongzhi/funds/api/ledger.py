"""API of the funds ledger part, under /api/v1/funds/: the funds the caller sees with their balances, a fund's
ledger rows with the running balance (paginated), and recording a donation (the ledger keepers of the fund).
Amounts are strings of yuan with fen ("49028.10"), never floats. A person's name and phone are masked unless the
caller may see personal data."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongzhi.accounts.scope import require_capability
from gongzhi.core.apitypes import Id, errors
from gongzhi.core.masking import may_see_personal_data
from gongzhi.funds.models import FEN
from gongzhi.funds.policies import ledger as policies
from gongzhi.funds.selectors import ledger as selectors
from gongzhi.funds.services import donations as services

router = Router(tags=["funds"])


def _yuan(value) -> str:
    """An amount as the API writes it: yuan with two decimals ("49028.10")."""
    return str(Decimal(value or 0).quantize(FEN))
ERRORS = errors(403, 404, 409, 422)
NOT_FOUND = errors(403, 404)


class FundOut(Schema):
    id: int
    name: str
    kind: str
    region_id: int
    region: str
    year: int | None
    parent_id: int | None
    purpose: str
    is_active: bool
    balance: str
    money_in: str
    money_out: str

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.name

    @staticmethod
    def resolve_balance(obj) -> str:
        return _yuan(obj.balance)

    @staticmethod
    def resolve_money_in(obj) -> str:
        return _yuan(obj.money_in)

    @staticmethod
    def resolve_money_out(obj) -> str:
        return _yuan(obj.money_out)


class EntryOut(Schema):
    id: int
    fund_id: int
    occurred_on: date
    kind: str
    amount: str
    receipt_no: str
    note: str
    proposal_id: int | None
    recorded_at: datetime
    running_balance: str

    @staticmethod
    def resolve_amount(obj) -> str:
        return _yuan(obj.amount)

    @staticmethod
    def resolve_running_balance(obj) -> str:
        return _yuan(obj.running)


class LedgerFilter(Schema):
    kind: str | None = None
    q: str | None = None
    date_from: date | None = None
    date_to: date | None = None


class DonationIn(Schema):
    donor_kind: str
    amount: str
    donated_on: date | None = None
    donor_unit: int | None = None
    donor_name: str = ""
    donor_phone: str = ""
    event: int | None = None
    purpose: str = ""
    receipt_no: str = ""


class DonationOut(Schema):
    id: int
    fund_id: int
    entry_id: int
    donor_kind: str
    donor: str
    donor_phone: str
    event_id: int | None
    amount: str
    donated_on: date
    purpose: str
    receipt_no: str


def _donation_out(request, d) -> dict:
    full = may_see_personal_data(request.user, d)
    return {"id": d.pk, "fund_id": d.fund_id, "entry_id": d.entry_id, "donor_kind": d.donor_kind,
            "donor": d.donor_label(masked=not full), "donor_phone": d.donor_phone if full else d.masked_phone,
            "event_id": d.event_id, "amount": _yuan(d.amount), "donated_on": d.donated_on, "purpose": d.purpose,
            "receipt_no": d.receipt_no}


@router.get("/ledger/funds", response=list[FundOut], url_name="funds_ledger_fund_list")
@paginate
def fund_list(request, kind: str | None = None, year: int | None = None, q: str | None = None):
    params = {k: str(v) for k, v in {"kind": kind, "year": year, "q": q}.items() if v is not None}
    return selectors.fund_list(request.user, params)


@router.get("/ledger/funds/{pk}", response={200: FundOut, **NOT_FOUND}, url_name="funds_ledger_fund_detail")
def fund_detail(request, pk: Id):
    require_capability(request.user, policies.VIEW)
    fund = selectors.fund(request.user, pk)
    for name, value in selectors.fund_totals(fund).items():
        setattr(fund, name, value)
    return fund


@router.get("/ledger/funds/{pk}/entries", response=list[EntryOut], url_name="funds_ledger_fund_entries")
@paginate
def fund_entries(request, pk: Id, filters: Query[LedgerFilter]):
    require_capability(request.user, policies.VIEW)
    params = {"kind": filters.kind or "", "q": filters.q or "",
              "from": filters.date_from.isoformat() if filters.date_from else "",
              "to": filters.date_to.isoformat() if filters.date_to else ""}
    return selectors.fund_ledger(request.user, pk, params)


@router.post("/ledger/funds/{pk}/donations", response={201: DonationOut, **ERRORS},
             url_name="funds_ledger_donation_create")
def donation_create(request, pk: Id, payload: DonationIn):
    """Record a donation to the fund (its ledger keepers): the donor is a member unit, a person or a charity
    event of the fund. Bad amounts (negative, fractions of a fen), dates in the future and a closed fund are 422
    with the field named."""
    require_capability(request.user, policies.LEDGER)
    donation = services.record_donation(pk, actor=request.user, **payload.dict())
    return Status(201, _donation_out(request, donation))
