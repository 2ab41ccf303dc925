"""API of the votes part of deliberation, under /api/v1/deliberation/: votes (scoped lists and details; `results`
is null until the vote closes, whoever asks), casting a ballot, and resident conventions with their versions.

A ballot is cast by staff managing the vote (a paper ballot, a seat at the meeting) or by a resident whose account's
verified phone is one their household registered. Refusals answer in the ErrorOut shape: 409 for a second ballot
(`already_voted`), 422 outside the voting period (`outside_period`) or outside the vote's scope (`outside_scope`),
403 for a household that is not the caller's.
"""

from datetime import date, datetime

from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongzhi.accounts.scope import require_capability
from gongzhi.core.apitypes import Id, In, Ref, choice, required_text, text
from gongzhi.deliberation.models import BallotChannel
from gongzhi.deliberation.policies import votes as policies
from gongzhi.deliberation.selectors import votes as selectors
from gongzhi.deliberation.services import votes as services
from gongzhi.deliberation.workflows_votes import ConventionState, VoteState

router = Router(tags=["deliberation"])


def _error_out():
    from gongzhi.api import ErrorOut  # gongzhi.api imports this module while it is being built

    return ErrorOut


E = _error_out


class OptionOut(Schema):
    key: str
    label: str


class ResultsOut(Schema):
    eligible: int
    cast: int
    participation: float
    tally: dict[str, int]
    approving: int
    approval: float
    participation_met: bool
    approval_met: bool
    passed: bool
    winner: str


class VoteOut(Schema):
    id: int
    title: str
    description: str
    topic_id: int
    meeting_id: int | None
    convention_version_id: int | None
    state: str
    scope: str
    area_id: int
    estate_id: int | None
    grid_id: int | None
    kind: str
    is_secret: bool
    opens_at: datetime
    closes_at: datetime
    participation_threshold: int
    approval_threshold: int
    eligible_count: int | None
    options: list[OptionOut]
    results: ResultsOut | None
    actions: list[str]

    @staticmethod
    def resolve_options(obj) -> list[dict]:
        return [{"key": k, "label": label} for k, label in selectors.options(obj)]

    @staticmethod
    def resolve_results(obj) -> dict | None:
        found = selectors.results(obj)  # None before the close: no count of any kind
        return found.as_dict() if found else None

    @staticmethod
    def resolve_actions(obj, context) -> list[str]:
        return policies.vote_actions(context["request"].user, obj)


class BallotIn(In):
    """One of the vote's options, for a household in its scope or a seat on its list (422 naming the field), in
    the voting period (422 `outside_period`)."""

    option: required_text(20)
    household_id: Ref | None = None
    seat: text(80) = ""


class BallotOut(Schema):
    vote_id: int
    household_id: int | None
    seat: str
    channel: str
    cast_at: datetime


class VersionOut(Schema):
    number: int
    text: str
    note: str
    adopted_by_id: int | None
    adopted_at: datetime | None
    effective_on: date | None
    created_at: datetime


class ConventionOut(Schema):
    id: int
    title: str
    topic_id: int
    area_id: int
    estate_id: int | None
    state: str
    effective_on: date | None
    signatures: int
    versions: list[VersionOut]

    @staticmethod
    def resolve_signatures(obj) -> int:
        return obj.signatures.count()

    @staticmethod
    def resolve_versions(obj) -> list:
        return list(obj.versions.order_by("number"))


ERRORS = {403: E(), 404: E(), 409: E(), 422: E()}


@router.get("/votes", response=list[VoteOut], url_name="deliberation_vote_list")
@paginate
def vote_list(request, state: choice(VoteState) | None = None, q: text() | None = None):
    require_capability(request.user, policies.VIEW)
    params = {k: v for k, v in (("state", state), ("q", q)) if v}
    return selectors.filter_votes(selectors.votes_for(request.user), params).prefetch_related("options")


@router.get("/votes/{pk}", response={200: VoteOut, 404: E()}, url_name="deliberation_vote_detail")
def vote_detail(request, pk: Id):
    return selectors.vote(request.user, pk)


@router.post("/votes/{pk}/ballots", response={201: BallotOut, **ERRORS}, url_name="deliberation_vote_ballot")
def cast_ballot(request, pk: Id, payload: BallotIn):
    """Cast one ballot: for a household (`household_id`) or, in a vote of council seats, a seat (`seat`)."""
    receipt = services.cast_ballot(pk, actor=request.user, option=payload.option, household=payload.household_id,
                                   seat=payload.seat, channel=BallotChannel.API)
    return Status(201, receipt)


@router.get("/conventions", response=list[ConventionOut], url_name="deliberation_convention_list")
@paginate
def convention_list(request, state: choice(ConventionState) | None = None, q: text() | None = None):
    require_capability(request.user, policies.VIEW)
    params = {k: v for k, v in (("state", state), ("q", q)) if v}
    return selectors.filter_conventions(selectors.conventions_for(request.user), params)


@router.get("/conventions/{pk}", response={200: ConventionOut, 404: E()}, url_name="deliberation_convention_detail")
def convention_detail(request, pk: Id):
    return selectors.convention(request.user, pk)
