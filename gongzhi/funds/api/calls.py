"""Funds API of the calls part, under /api/v1/funds/: calls and proposals (scoped lists and details; a proposal's
``actions`` lists what the caller may do with it now) and the proposal actions of staff: review, decline, a household
vote (put to it, its result applied) or a council's decision, and the grant. Refusals answer in the ErrorOut shape: 403 without the right, 404 out of scope,
409 in the wrong phase or state, 422 for bad input (field errors: an amount above a budget line, a grant the fund
cannot cover)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from gongzhi.accounts.scope import require_capability
from gongzhi.core.apitypes import DateTime, Id, In, QueryId, errors, number, text
from gongzhi.core.errors import MAX_ID
from gongzhi.core.masking import mask_name, personal_data_visible
from gongzhi.funds.policies import calls as policies
from gongzhi.funds.selectors import calls as selectors
from gongzhi.funds.services import calls as services

router = Router()

ACTION_ERRORS = errors(403, 404, 409, 422)


class CallOut(Schema):
    id: int
    title: str
    description: str
    fund_id: int
    fund: str
    year: int | None
    budget: Decimal
    max_per_proposal: Decimal | None
    cosigns_needed: int
    selection: str
    accepting_until: date | None
    state: str
    totals: dict[str, Decimal | int]
    actions: list[str]

    @staticmethod
    def resolve_fund(obj) -> str:
        return obj.fund.name

    @staticmethod
    def resolve_year(obj) -> int | None:
        return obj.fund.year

    @staticmethod
    def resolve_totals(obj) -> dict:
        return {k: v for k, v in selectors.totals(obj).items()}

    @staticmethod
    def resolve_actions(obj, context) -> list[str]:
        return policies.actions(context["request"].user, obj)


class BudgetLineOut(Schema):
    id: int
    item: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    approved: Decimal | None


class ProposalOut(Schema):
    id: int
    call_id: int
    title: str
    summary: str
    origin: str
    team_name: str
    volunteer_team_id: int | None
    topic_id: int | None
    contact_name: str
    contact_phone: str
    beneficiaries: str
    beneficiary_count: int
    starts_on: date | None
    ends_on: date | None
    state: str
    asked: Decimal
    approved_amount: Decimal | None
    feasibility_note: str
    vote_id: int | None
    decision_note: str
    cosigns: int
    budget_lines: list[BudgetLineOut]
    created_at: datetime
    actions: list[str]

    @staticmethod
    def resolve_contact_name(obj, context) -> str:
        user = context["request"].user
        return obj.contact_name if personal_data_visible(user, obj) else mask_name(obj.contact_name)

    @staticmethod
    def resolve_contact_phone(obj, context) -> str:
        user = context["request"].user
        return obj.contact_phone if personal_data_visible(user, obj) else obj.masked_phone

    @staticmethod
    def resolve_asked(obj) -> Decimal:
        return selectors.asked(obj)

    @staticmethod
    def resolve_cosigns(obj) -> int:
        return selectors.cosign_count(obj)

    @staticmethod
    def resolve_budget_lines(obj) -> list:
        return selectors.lines(obj)

    @staticmethod
    def resolve_actions(obj, context) -> list[str]:
        return policies.actions(context["request"].user, obj)


class ProposalReviewIn(Schema):
    approved_lines: dict[int, str]
    note: str


class ProposalReasonIn(Schema):
    reason: str


class DecideIn(Schema):
    selected: bool
    meeting_id: int | None = Field(None, ge=0, le=MAX_ID)
    note: str = ""


class GrantIn(Schema):
    occurred_on: date | None = None


class ProposalVoteIn(In):
    """The household vote's period (opened at once when it has begun) and its thresholds (the deliberation app's
    defaults when absent)."""

    opens_at: DateTime
    closes_at: DateTime
    participation_threshold: number(1, 100) | None = None
    approval_threshold: number(0, 99) | None = None
    description: text(2000) = ""


@router.get("/calls", response=list[CallOut], url_name="funds_call_list")
@paginate
def call_list(request, fund: QueryId | None = None, year: Annotated[int, Field(ge=1900, le=2999)] | None = None, state: str | None = None,
              q: str | None = None):
    require_capability(request.user, policies.VIEW)
    params = {k: str(v) for k, v in (("fund", fund), ("year", year), ("state", state), ("q", q)) if v}
    return selectors.filter_calls(selectors.calls_for(request.user), params)


@router.get("/calls/{pk}", response={200: CallOut, **errors(404)}, url_name="funds_call_detail")
def call_detail(request, pk: Id):
    return selectors.call(request.user, pk)


@router.get("/proposals", response=list[ProposalOut], url_name="funds_proposal_list")
@paginate
def proposal_list(request, call: Annotated[int, Query(ge=1, le=MAX_ID)] | None = None, state: str | None = None, origin: str | None = None,
                  q: str | None = None):
    require_capability(request.user, policies.VIEW)
    params = {k: str(v) for k, v in (("call", call), ("state", state), ("origin", origin), ("q", q)) if v}
    return selectors.filter_proposals(selectors.proposals_for(request.user), params).prefetch_related(
        "budget_lines")


@router.get("/proposals/{pk}", response={200: ProposalOut, **errors(404)}, url_name="funds_proposal_detail")
def proposal_detail(request, pk: Id):
    return selectors.proposal(request.user, pk)


def _fresh(request, pk):
    return selectors.proposal(request.user, pk)


@router.post("/proposals/{pk}/review", response={200: ProposalOut, **ACTION_ERRORS},
             url_name="funds_proposal_review")
def review(request, pk: Id, payload: ProposalReviewIn):
    """Record the review: an amount to fund per budget line (keyed by the line's id) and the reason."""
    proposal = selectors.proposal(request.user, pk)
    services.review_proposal(proposal, actor=request.user, approved_lines=payload.approved_lines, note=payload.note)
    return _fresh(request, pk)


@router.post("/proposals/{pk}/decline", response={200: ProposalOut, **ACTION_ERRORS},
             url_name="funds_proposal_decline")
def decline(request, pk: Id, payload: ProposalReasonIn):
    proposal = selectors.proposal(request.user, pk)
    services.decline_proposal(proposal, actor=request.user, reason=payload.reason)
    return _fresh(request, pk)


@router.post("/proposals/{pk}/decide", response={200: ProposalOut, **ACTION_ERRORS},
             url_name="funds_proposal_decide")
def decide(request, pk: Id, payload: DecideIn):
    """A council's decision (calls selecting by council): selected, or not with a reason."""
    proposal = selectors.proposal(request.user, pk)
    services.decide_proposal(proposal, actor=request.user, selected=payload.selected, meeting=payload.meeting_id,
                             note=payload.note)
    return _fresh(request, pk)


@router.post("/proposals/{pk}/grant", response={200: ProposalOut, **ACTION_ERRORS},
             url_name="funds_proposal_grant")
def grant(request, pk: Id, payload: GrantIn):
    """Book the approved amount out of the call's fund (422 when the fund or the call's budget cannot cover it)."""
    proposal = selectors.proposal(request.user, pk)
    services.grant_proposal(proposal, actor=request.user, occurred_on=payload.occurred_on)
    return _fresh(request, pk)


@router.post("/proposals/{pk}/vote", response={200: ProposalOut, **ACTION_ERRORS}, url_name="funds_proposal_vote")
def put_to_vote(request, pk: Id, payload: ProposalVoteIn):
    """Put a reviewed proposal to a yes/no household vote of its residential area (calls selecting by vote): the
    vote (`vote_id`) is a deliberation vote, cast on the residents' phones; 422 when it would close before it
    opens or has closed already."""
    proposal = selectors.proposal(request.user, pk)
    services.put_to_vote(proposal, actor=request.user, opens_at=payload.opens_at, closes_at=payload.closes_at,
                         participation_threshold=payload.participation_threshold,
                         approval_threshold=payload.approval_threshold, description=payload.description)
    return _fresh(request, pk)


@router.post("/proposals/{pk}/vote-result", response={200: ProposalOut, **errors(403, 404, 409)},
             url_name="funds_proposal_vote_result")
def apply_vote_result(request, pk: Id):
    """Select the proposal when its closed household vote passed, else record it as not selected (409 while the
    vote is still open)."""
    proposal = selectors.proposal(request.user, pk)
    services.apply_vote_result(proposal, actor=request.user)
    return _fresh(request, pk)
