"""API of the councils part of deliberation, under /api/v1/deliberation/: councils with their seats, the rules in
force in a residential area with their versions, owners' committees with their members and party-member share,
elections with their candidates' vetting; writes: a new version of the rules, a candidate's vetting step. Reads go
through `selectors.councils` (scoped), writes through `services.councils`."""

from datetime import date, datetime

from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongzhi.core.apitypes import Date, Id, In, QueryId, choice, required_text, text
from gongzhi.deliberation.policies import councils as policies
from gongzhi.deliberation.selectors import councils as selectors
from gongzhi.deliberation.services import councils as services
from gongzhi.deliberation.workflows_councils import CandidateAction, ElectionState

router = Router()


def _error_out():
    from gongzhi.api import ErrorOut  # gongzhi.api imports this module while it is being built

    return ErrorOut


E = _error_out
ERRORS = {403: E(), 404: E(), 409: E(), 422: E()}


class ListFilters(Schema):
    q: text() = ""
    area: QueryId | None = None


class ElectionFilters(ListFilters):
    state: choice(ElectionState, blank=True) = ""


def _params(filters: Schema) -> dict:
    return {k: str(v) for k, v in filters.dict().items() if v not in (None, "")}


class SeatOut(Schema):
    id: int
    kind: str
    tier: int
    title: str
    holder: str
    holder_kind: str
    person_name: str
    household_id: int | None
    party_member_id: int | None
    member_unit_id: int | None
    party_org_id: int | None
    note: str

    @staticmethod
    def resolve_holder(obj):
        return str(obj.holder)


class TierOut(Schema):
    number: int
    expected: int | None
    seated: int


class CouncilOut(Schema):
    id: int
    name: str
    area_id: int
    estate_id: int | None
    shape: str
    purpose: str
    founded_on: date | None
    is_active: bool


class CouncilDetailOut(CouncilOut):
    seats: list[SeatOut]
    tiers: list[TierOut]

    @staticmethod
    def resolve_seats(obj):
        return list(selectors.seats_of(obj))

    @staticmethod
    def resolve_tiers(obj):
        return [{"number": t.number, "expected": t.expected, "seated": t.seated} for t in selectors.tiers(obj)]


class RulesOut(Schema):
    id: int
    area_id: int
    number: int
    title: str
    text: str
    change_note: str
    effective_on: date
    created_at: datetime


class RulesAreaOut(Schema):
    area_id: int
    in_force: RulesOut | None
    versions: list[RulesOut]


class RulesIn(In):
    """A version in force no earlier than the one before it (422 naming `effective_on`)."""

    text: required_text()
    title: text(80) = ""
    change_note: text(200) = ""
    effective_on: Date | None = None


class MemberOut(Schema):
    id: int
    role: str
    name: str
    is_party_member: bool
    household_id: int | None
    skills: str


class ShareOut(Schema):
    party: int
    total: int
    percent: int | None


class CommitteeOut(Schema):
    id: int
    estate_id: int
    name: str
    term_number: int
    term_start: date
    term_end: date | None
    election_id: int | None


class CommitteeDetailOut(CommitteeOut):
    members: list[MemberOut]
    party_member_share: ShareOut
    party_work_group: list[str]
    party_work_group_note: str

    @staticmethod
    def resolve_members(obj):
        return list(obj.members.all())

    @staticmethod
    def resolve_party_member_share(obj):
        share = selectors.party_share(obj.members.all())
        return {"party": share.party, "total": share.total, "percent": share.percent}

    @staticmethod
    def resolve_party_work_group(obj):
        return [m.name for m in obj.party_work_group.all()]


class CandidateOut(Schema):
    id: int
    name: str
    state: str
    political_status: str
    is_party_member: bool
    birth_year: int | None
    skills: str
    building_leader_opinion: str
    keeps_hallway_clear: bool | None
    neighbour_relations: str
    elected: bool
    elected_role: str
    votes: int | None
    missing: list[str]
    concerns: list[str]
    actions: list[str]

    @staticmethod
    def resolve_missing(obj):
        return sorted(services.checklist_gaps(obj))

    @staticmethod
    def resolve_concerns(obj):
        return services.concerns(obj)

    @staticmethod
    def resolve_actions(obj, context):
        return policies.actions(context["request"].user, obj)


class ElectionOut(Schema):
    id: int
    estate_id: int
    title: str
    term_number: int
    seats: int
    state: str
    held_on: date | None
    notary_present: bool
    owners_outcome: str
    turnout_share: float | None
    approval_share: float | None


class ElectionDetailOut(ElectionOut):
    candidates: list[CandidateOut]
    party_member_share: dict[str, ShareOut]
    actions: list[str]

    @staticmethod
    def resolve_candidates(obj):
        return selectors.candidates_of(obj)

    @staticmethod
    def resolve_party_member_share(obj):
        return {k: {"party": s.party, "total": s.total, "percent": s.percent}
                for k, s in selectors.election_shares(selectors.candidates_of(obj)).items()}

    @staticmethod
    def resolve_actions(obj, context):
        return policies.actions(context["request"].user, obj)


class CandidateStepIn(In):
    """Approving needs a complete checklist (and a `note` when it raises concerns); rejecting and withdrawing need
    a `note` (422 naming what is missing)."""

    action: choice(CandidateAction, exclude=(CandidateAction.NOMINATE,))
    note: text() = ""


@router.get("/councils", response={200: list[CouncilOut], 403: E()}, url_name="deliberation_council_list",
            summary="List councils")
@paginate
def council_list(request, filters: Query[ListFilters]):
    return selectors.councils_for(request.user, _params(filters))


@router.get("/councils/{pk}", response={200: CouncilDetailOut, 403: E(), 404: E()},
            url_name="deliberation_council_detail", summary="A council with its seats")
def council_detail(request, pk: Id):
    return selectors.council(request.user, pk)


def _rules(area) -> dict:
    current = selectors.rules_in_force(area)
    return {"area_id": area.pk, "in_force": current, "versions": selectors.rules_versions(area)}


@router.get("/rules/{pk}", response={200: RulesAreaOut, 403: E(), 404: E()}, url_name="deliberation_rules_detail",
            summary="The deliberation rules of a residential area: the version in force and every version")
def rules_detail(request, pk: Id):
    return _rules(selectors.rules_area(request.user, pk))


@router.post("/rules/{pk}/versions", response={201: RulesAreaOut, **ERRORS}, url_name="deliberation_rules_edit",
             summary="A new version of a residential area's deliberation rules")
def rules_edit(request, pk: Id, payload: RulesIn):
    area = selectors.rules_area(request.user, pk)
    services.edit_rules(area, actor=request.user, **payload.dict())
    return Status(201, _rules(area))


@router.get("/owners-committees", response={200: list[CommitteeOut], 403: E()},
            url_name="deliberation_committee_list", summary="List owners' committees")
@paginate
def committee_list(request, filters: Query[ListFilters]):
    return selectors.committees_for(request.user, _params(filters))


@router.get("/owners-committees/{pk}", response={200: CommitteeDetailOut, 403: E(), 404: E()},
            url_name="deliberation_committee_detail", summary="An owners' committee with its members")
def committee_detail(request, pk: Id):
    return selectors.committee(request.user, pk)


@router.get("/owners-elections", response={200: list[ElectionOut], 403: E()},
            url_name="deliberation_election_list", summary="List owners' committee elections")
@paginate
def election_list(request, filters: Query[ElectionFilters]):
    return selectors.elections_for(request.user, _params(filters))


@router.get("/owners-elections/{pk}", response={200: ElectionDetailOut, 403: E(), 404: E()},
            url_name="deliberation_election_detail", summary="An election with its candidates and their vetting")
def election_detail(request, pk: Id):
    return selectors.election(request.user, pk)


@router.post("/candidates/{pk}/steps", response={200: CandidateOut, **ERRORS},
             url_name="deliberation_candidate_step", summary="Approve, reject, withdraw or vet again a candidate")
def candidate_step(request, pk: Id, payload: CandidateStepIn):
    return services.vet_candidate(pk, payload.action, actor=request.user, note=payload.note)
