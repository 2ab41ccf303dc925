"""Writes of the councils part: one transaction each, signature ``verb(subject, *, actor, ...)`` with plain values.

A service finds its subject as the actor may see it (`NotFound` outside the scope, like a missing one), asks
`policies.councils` whether the actor may act (`Forbidden`), validates (`ValidationFailed` with field errors) and
writes with the actor recorded by simple-history. An election's and a candidate's state change only through
`gongzhi.core.workflow.transition`, which logs every step.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import scoped
from gongzhi.core.errors import Conflict, Forbidden, NothingChanged, ValidationFailed
from gongzhi.core.workflow import SYSTEM, check_actor, record_creation, snapshot, transition, user_of
from gongzhi.core.workflow import find as _find
from gongzhi.core.workflow import pk_of as _pk
from gongzhi.deliberation.models.councils import (
    PARTY_STATUSES,
    SEAT_TIER,
    Candidate,
    CommitteeMember,
    CommitteeRole,
    Council,
    CouncilSeat,
    DeliberationRules,
    OwnersCommittee,
    OwnersElection,
    PoliticalStatus,
    Relations,
)
from gongzhi.deliberation.models.councils import Opinion as OpinionChoice
from gongzhi.deliberation.policies import councils as policies
from gongzhi.deliberation.selectors import councils as selectors
from gongzhi.deliberation.workflows_councils import (
    CANDIDATE_FLOW,
    ELECTION_FLOW,
    CandidateAction,
    CandidateState,
    ElectionAction,
)
from gongzhi.registry.models import Household, MemberStatus, MemberUnit, PartyMember, PartyOrg, Region

VIEW_REGISTRY = Capability.VIEW_REGISTRY
OUTSIDE = gettext_lazy("Choose one inside your own area.")
NOT_ALLOWED = gettext_lazy("You may not do this.")


# --- helpers ------------------------------------------------------------------------------------------------------



def _require(actor, subject, action: str) -> None:
    if not policies.can(actor, subject, action):
        raise Forbidden(str(NOT_ALLOWED))


def _authorize_step(actor, locked, action: str, flow) -> None:
    """For `transition`'s `authorize`: Forbidden without the right to manage the area; a step the subject's table
    allows but its context does not (vetting outside the election's vetting) is a Conflict; one the table refuses
    is left to `transition` (InvalidTransition)."""
    if not policies.may_manage_area(actor, policies.area_of(locked)):
        raise Forbidden(str(NOT_ALLOWED))
    if not policies.can(actor, locked, action) and flow.target(locked.state, action) is not None:
        raise Conflict(_("Candidates are vetted while the election is vetting, and withdraw before it is held."))


def _errors(e: ValidationError) -> ValidationFailed:
    fields = {k if k != "__all__" else "__all__": [str(m) for m in v] for k, v in e.message_dict.items()}
    return ValidationFailed(_("Please correct the errors below."), field_errors=fields)


def _save(obj, actor, reason: str = "", exclude=None) -> None:
    """Validate (the model's fields and `clean`, as field errors) and save with the actor in the audit trail."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as e:
        raise _errors(e) from None
    obj._history_user = user_of(actor)
    obj._change_reason = reason
    obj.save()


def _managed_area(actor, area) -> None:
    if area is None or not policies.may_manage_area(actor, area):
        raise ValidationFailed.on("area", OUTSIDE)


def _visible(actor, obj, field: str, capability: str = VIEW_REGISTRY) -> None:
    """A registry row the actor names (a unit, an organization, a member, a household) must be one they may see."""
    if obj is None or actor is SYSTEM:
        return
    if not scoped(actor, type(obj), capability).filter(pk=obj.pk).exists():
        raise ValidationFailed.on(field, OUTSIDE)


def _in_area(obj, area, field: str) -> None:
    """A household must live in the area (a council's, an estate's)."""
    if isinstance(obj, Household) and not obj.building.region.path.startswith(area.path):
        raise ValidationFailed.on(field, _("The household lives outside this residential area."))


def _apply(obj, values: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    for name, value in values.items():
        setattr(obj, name, value)


# --- councils and seats -----------------------------------------------------------------------------------------

COUNCIL_FIELDS = ("name", "area", "estate", "shape", "purpose", "founded_on", "is_active")


@transaction.atomic
def create_council(*, actor, name: str, area: Region, shape: str, estate=None, purpose: str = "",
                   founded_on: date | None = None, is_active: bool = True) -> Council:
    """A council of a residential area in the actor's scope (or of one of its estates)."""
    check_actor(actor)
    _require(actor, Council, "create")
    _managed_area(actor, area)
    council = Council(name=(name or "").strip(), area=area, estate=estate, shape=(shape or "").strip().upper(),
                      purpose=purpose, founded_on=founded_on, is_active=is_active)
    _save(council, actor, "created")
    return council


@transaction.atomic
def update_council(council, *, actor, **values) -> Council:
    council = _find(actor, council, Council, selectors.council)
    _require(actor, council, policies.EDIT)
    before = snapshot(council)
    if "shape" in values:
        values["shape"] = (values["shape"] or "").strip().upper()
    _apply(council, values, COUNCIL_FIELDS)
    if snapshot(council) == before:
        raise NothingChanged()
    _managed_area(actor, council.area)
    _check_shape_holds(council)
    _save(council, actor, "edited")
    return council


def _check_shape_holds(council: Council) -> None:
    """A new shape must still have room for the seats already taken."""
    for tier in selectors.tiers(council):
        if tier.expected is not None and tier.seated > tier.expected:
            raise ValidationFailed.on("shape", _(
                "Tier %(tier)s already has %(seated)s seats; the shape allows %(expected)s.")
                % {"tier": tier.number, "seated": tier.seated, "expected": tier.expected})


SEAT_FIELDS = ("kind", "tier", "title", "person_name", "household", "party_member", "member_unit", "party_org",
               "note", "order")


def _check_seat(seat: CouncilSeat, actor) -> None:
    council = seat.council
    if seat.party_member is not None and not seat.person_name.strip():
        seat.person_name = seat.party_member.name
    seat.person_name = seat.person_name.strip()
    holders = [h for h in (seat.person_name, seat.member_unit, seat.party_org) if h]
    if len(holders) != 1:
        raise ValidationFailed.on("person_name", _(
            "A seat has one holder: a person, a member unit or a party organization."))
    if (seat.household or seat.party_member) and not seat.person_name:
        raise ValidationFailed.on("household", _("A household or party member goes with a person holding the seat."))
    for field in ("household", "party_member", "member_unit", "party_org"):
        _visible(actor, getattr(seat, field), field)
    _in_area(seat.household, council.area, "household")
    shape = council.tiers()
    if not seat.tier:
        seat.tier = min(SEAT_TIER.get(seat.kind, len(shape)), len(shape))
    if seat.tier > len(shape):
        raise ValidationFailed.on("tier", _("The shape %(shape)s has %(n)s tiers.") % {
            "shape": council.shape, "n": len(shape)})
    expected = shape[seat.tier - 1]
    taken = council.seats.filter(tier=seat.tier).exclude(pk=seat.pk).count()
    if expected is not None and taken >= expected:
        raise ValidationFailed.on("tier", _(
            "All %(n)s seats of tier %(tier)s of the shape %(shape)s are taken.")
            % {"n": expected, "tier": seat.tier, "shape": council.shape})


@transaction.atomic
def add_seat(council, *, actor, kind: str, tier: int | None = None, title: str = "", person_name: str = "",
             household: Household | None = None, party_member: PartyMember | None = None,
             member_unit: MemberUnit | None = None, party_org: PartyOrg | None = None, note: str = "",
             order: int | None = None) -> CouncilSeat:
    """Seat a holder on a council, within its shape (a tier with a number cannot take more)."""
    council = _find(actor, council, Council, selectors.council)
    _require(actor, council, policies.EDIT)
    Council.objects.select_for_update().filter(pk=council.pk).first()  # one seat at a time: the shape holds
    seat = CouncilSeat(council=council, kind=kind, tier=tier or 0, title=title.strip(), person_name=person_name or "",
                       household=household, party_member=party_member, member_unit=member_unit,
                       party_org=party_org, note=note, order=order if order is not None else council.seats.count())
    _check_seat(seat, actor)
    _save(seat, actor, "seated")
    return seat


@transaction.atomic
def update_seat(seat, *, actor, **values) -> CouncilSeat:
    seat = _find(actor, seat, CouncilSeat, selectors.seat)
    _require(actor, seat.council, policies.EDIT)
    Council.objects.select_for_update().filter(pk=seat.council_id).first()
    before = snapshot(seat)
    values = {k: ("" if v is None else v) if k in ("person_name", "title", "note") else v for k, v in values.items()}
    _apply(seat, values, SEAT_FIELDS)
    if snapshot(seat) == before:
        raise NothingChanged()
    _check_seat(seat, actor)
    _save(seat, actor, "seat edited")
    return seat


@transaction.atomic
def remove_seat(seat, *, actor) -> None:
    seat = _find(actor, seat, CouncilSeat, selectors.seat)
    _require(actor, seat.council, policies.EDIT)
    seat._history_user = user_of(actor)
    seat._change_reason = "unseated"
    seat.delete()


# --- deliberation rules -----------------------------------------------------------------------------------------

@transaction.atomic
def edit_rules(area, *, actor, text: str, title: str = "", change_note: str = "",
               effective_on: date | None = None) -> DeliberationRules:
    """A new version of a residential area's deliberation rules (the versions before it stay as they were). Refused
    when neither the text nor the title changes, and for a date before the version it follows."""
    check_actor(actor)
    area = area if actor is SYSTEM else selectors.rules_area(actor, _pk(area))
    if not policies.may_manage_area(actor, area):
        raise Forbidden(str(NOT_ALLOWED))
    Region.objects.select_for_update().filter(pk=area.pk).first()  # numbers versions one at a time
    latest = selectors.latest_rules(area)
    text = "\n".join(line.rstrip() for line in (text or "").strip().splitlines())
    title = (title or "").strip() or (latest.title if latest else "议事八则")
    if not text:
        raise ValidationFailed.on("text", _("Write the rules."))
    if latest is not None and latest.text == text and latest.title == title:
        raise NothingChanged()
    effective_on = effective_on or timezone.localdate()
    if latest is not None and effective_on < latest.effective_on:
        raise ValidationFailed.on("effective_on", _("A new version cannot come into force before version %(n)s "
                                                    "(%(date)s).") % {"n": latest.number, "date": latest.effective_on})
    rules = DeliberationRules(area=area, number=(latest.number + 1) if latest else 1, title=title, text=text,
                              change_note=(change_note or "").strip(), effective_on=effective_on,
                              created_by=user_of(actor))
    _save(rules, actor, "new version")
    return rules


# --- owners' committees -----------------------------------------------------------------------------------------

COMMITTEE_FIELDS = ("name", "term_number", "term_start", "term_end", "party_work_group_note", "note")


def _check_work_group(actor, committee: OwnersCommittee, members) -> list[PartyMember]:
    members = list(members or [])
    for m in members:
        _visible(actor, m, "party_work_group")
    return members


@transaction.atomic
def create_committee(*, actor, estate, name: str, term_start: date, term_number: int | None = None,
                     term_end: date | None = None, party_work_group=(), party_work_group_note: str = "",
                     note: str = "", election: OwnersElection | None = None) -> OwnersCommittee:
    """An owners' committee term of an estate in the actor's scope (one committee per estate and term)."""
    check_actor(actor)
    _require(actor, OwnersCommittee, "create")
    if estate is None or not policies.may_manage_area(actor, estate.area):
        raise ValidationFailed.on("estate", OUTSIDE)
    if term_number is None:
        term_number = (estate.owners_committees.aggregate(n=models.Max("term_number"))["n"] or 0) + 1
    if estate.owners_committees.filter(term_number=term_number).exists():
        raise ValidationFailed.on("term_number", _("This estate already has a committee for term %(n)s.")
                                  % {"n": term_number})
    committee = OwnersCommittee(estate=estate, name=(name or "").strip(), term_number=term_number,
                                term_start=term_start, term_end=term_end, party_work_group_note=party_work_group_note,
                                note=note, election=election)
    members = _check_work_group(actor, committee, party_work_group)
    _save(committee, actor, "created", exclude=["election"])
    if members:
        committee.party_work_group.set(members)
    return committee


@transaction.atomic
def update_committee(committee, *, actor, party_work_group=None, **values) -> OwnersCommittee:
    committee = _find(actor, committee, OwnersCommittee, selectors.committee)
    _require(actor, committee, policies.EDIT)
    before = snapshot(committee)
    if values.get("term_number", 0) is None:  # left empty on the form: the term stays
        values.pop("term_number")
    _apply(committee, values, COMMITTEE_FIELDS)
    group_changed = party_work_group is not None and (
        {m.pk for m in party_work_group} != set(committee.party_work_group.values_list("pk", flat=True)))
    if snapshot(committee) == before and not group_changed:
        raise NothingChanged()
    if committee.term_number != before["term_number"] and committee.estate.owners_committees.filter(
            term_number=committee.term_number).exclude(pk=committee.pk).exists():
        raise ValidationFailed.on("term_number", _("This estate already has a committee for term %(n)s.")
                                  % {"n": committee.term_number})
    members = _check_work_group(actor, committee, party_work_group) if group_changed else None
    _save(committee, actor, "edited", exclude=["election"])
    if members is not None:
        committee.party_work_group.set(members)
    return committee


def _check_member(member: CommitteeMember, actor) -> None:
    member.name = (member.name or "").strip() or (member.party_member.name if member.party_member else "")
    if not member.name:
        raise ValidationFailed.on("name", _("Give the member's name."))
    if member.party_member is not None:
        member.is_party_member = True
    for field in ("household", "party_member"):
        _visible(actor, getattr(member, field), field)
    _in_area(member.household, member.committee.estate.area, "household")
    if member.role == CommitteeRole.DIRECTOR and member.committee.members.filter(
            role=CommitteeRole.DIRECTOR).exclude(pk=member.pk).exists():
        raise ValidationFailed.on("role", _("The committee already has a director."))


@transaction.atomic
def add_committee_member(committee, *, actor, name: str = "", role: str = CommitteeRole.MEMBER,
                         household: Household | None = None, party_member: PartyMember | None = None,
                         is_party_member: bool = False, skills: str = "") -> CommitteeMember:
    committee = _find(actor, committee, OwnersCommittee, selectors.committee)
    _require(actor, committee, policies.EDIT)
    OwnersCommittee.objects.select_for_update().filter(pk=committee.pk).first()  # one director
    member = CommitteeMember(committee=committee, role=role, name=name, household=household,
                             party_member=party_member, is_party_member=is_party_member, skills=skills)
    _check_member(member, actor)
    _save(member, actor, "joined", exclude=["candidate"])
    return member


@transaction.atomic
def remove_committee_member(member, *, actor) -> None:
    member = _find(actor, member, CommitteeMember, selectors.committee_member)
    _require(actor, member.committee, policies.EDIT)
    member._history_user = user_of(actor)
    member._change_reason = "left"
    member.delete()


# --- elections ----------------------------------------------------------------------------------------------------

def _election(actor, election) -> OwnersElection:
    return _find(actor, election, OwnersElection, selectors.election)


@transaction.atomic
def create_election(*, actor, estate, title: str, seats: int = 5, term_number: int | None = None) -> OwnersElection:
    """Prepare the election of an estate's owners' committee (the next term unless said otherwise)."""
    check_actor(actor)
    _require(actor, OwnersElection, "create")
    if estate is None or not policies.may_manage_area(actor, estate.area):
        raise ValidationFailed.on("estate", OUTSIDE)
    if term_number is None:
        term_number = (estate.owners_committees.aggregate(n=models.Max("term_number"))["n"] or 0) + 1
    if estate.owners_committees.filter(term_number=term_number).exists():
        raise ValidationFailed.on("term_number", _("This estate already has a committee for term %(n)s.")
                                  % {"n": term_number})
    election = OwnersElection(estate=estate, title=(title or "").strip(), seats=seats, term_number=term_number)
    _save(election, actor, ElectionAction.PREPARE)
    record_creation(election, ElectionAction.PREPARE, workflow=ELECTION_FLOW, actor=actor)
    return election


CANDIDATE_FIELDS = ("name", "gender", "birth_year", "household", "party_member", "political_status", "occupation",
                    "skills", "building_leader_opinion", "building_leader_note", "residents_opinion",
                    "keeps_hallway_clear", "neighbour_relations", "vetting_note")
PARTY_STATUS_OF_MEMBER = {MemberStatus.FULL: PoliticalStatus.PARTY_MEMBER,
                          MemberStatus.PROBATIONARY: PoliticalStatus.PROBATIONARY}


def _check_candidate(candidate: Candidate, actor) -> None:
    if candidate.party_member is not None:
        candidate.name = (candidate.name or "").strip() or candidate.party_member.name
        candidate.political_status = PARTY_STATUS_OF_MEMBER.get(candidate.party_member.status,
                                                                PoliticalStatus.PARTY_MEMBER)
    candidate.name = (candidate.name or "").strip()
    if not candidate.name:
        raise ValidationFailed.on("name", _("Give the candidate's name."))
    for field in ("household", "party_member"):
        _visible(actor, getattr(candidate, field), field)
    _in_area(candidate.household, candidate.election.estate.area, "household")
    if candidate.household is not None and candidate.household.building.estate_id != candidate.election.estate_id:
        raise ValidationFailed.on("household", _("Candidates are owners of the estate: choose a household in it."))


@transaction.atomic
def nominate(election, *, actor, name: str = "", **values) -> Candidate:
    """A candidate for the election, while it is preparing or vetting; vetted afterwards (`vet_candidate`)."""
    election = _election(actor, election)
    _require(actor, election, policies.NOMINATE)
    candidate = Candidate(election=election, name=name)
    _apply(candidate, values, CANDIDATE_FIELDS)
    _check_candidate(candidate, actor)
    _save(candidate, actor, CandidateAction.NOMINATE)
    record_creation(candidate, CandidateAction.NOMINATE, workflow=CANDIDATE_FLOW, actor=actor)
    return candidate


@transaction.atomic
def update_candidate(candidate, *, actor, **values) -> Candidate:
    """Fill in or correct the vetting checklist of a candidate awaiting vetting."""
    candidate = _find(actor, candidate, Candidate, selectors.candidate)
    _require(actor, candidate, policies.EDIT)
    before = snapshot(candidate)
    _apply(candidate, values, CANDIDATE_FIELDS)
    _check_candidate(candidate, actor)
    if snapshot(candidate) == before:
        raise NothingChanged()
    _save(candidate, actor, "checklist")
    return candidate


def checklist_gaps(candidate: Candidate) -> dict[str, str]:
    """What the 004 checklist still lacks for this candidate: {field: message}."""
    gaps = {}
    if not candidate.building_leader_opinion:
        gaps["building_leader_opinion"] = _("Ask the building leader (楼组长) for an opinion.")
    if candidate.keeps_hallway_clear is None:
        gaps["keeps_hallway_clear"] = _("Check the hallway for clutter.")
    if not candidate.neighbour_relations:
        gaps["neighbour_relations"] = _("Note how the candidate gets on with neighbours.")
    if not candidate.birth_year:
        gaps["birth_year"] = _("Give the year of birth.")
    return gaps


def concerns(candidate: Candidate) -> list[str]:
    """What speaks against a candidate on the checklist (approving them anyway takes a note saying why)."""
    found = []
    if candidate.building_leader_opinion == OpinionChoice.OPPOSE:
        found.append(str(_("The building leader opposes.")))
    if candidate.keeps_hallway_clear is False:
        found.append(str(_("Keeps clutter in the hallway.")))
    if candidate.neighbour_relations == Relations.POOR:
        found.append(str(_("Poor relations with neighbours.")))
    return found


def vet_candidate(candidate, action: str, *, actor, note: str = "") -> Candidate:
    """Approve (a complete checklist; with concerns only with a note saying why), reject (with a reason), withdraw
    (with a reason) or vet again a candidate, through the candidate workflow."""
    candidate = _find(actor, candidate, Candidate, selectors.candidate)

    def authorize(locked):
        locked.election = candidate.election
        _authorize_step(actor, locked, action, CANDIDATE_FLOW)
        if action == CandidateAction.APPROVE and CANDIDATE_FLOW.target(locked.state, action):
            gaps = checklist_gaps(locked)
            if gaps:
                raise ValidationFailed(_("The vetting checklist is not complete."), field_errors={
                    k: [v] for k, v in gaps.items()})
            if concerns(locked) and not (note or "").strip():
                raise ValidationFailed.on("note", _("The checklist raises concerns (%(list)s): say why you approve.")
                                          % {"list": " ".join(concerns(locked))})

    changes = {}
    if action in (CandidateAction.APPROVE, CandidateAction.REJECT) and (note or "").strip():
        changes["vetting_note"] = note.strip()
    return transition(candidate, action, workflow=CANDIDATE_FLOW, actor=actor, note=note, authorize=authorize,
                      **changes)


def _step(election, action: str, *, actor, note: str = "", check=None, **changes) -> OwnersElection:
    election = _election(actor, election)

    def authorize(locked):
        _authorize_step(actor, locked, action, ELECTION_FLOW)
        if check and ELECTION_FLOW.target(locked.state, action):
            check(locked)

    return transition(election, action, workflow=ELECTION_FLOW, actor=actor, note=note, authorize=authorize,
                      **changes)


def open_vetting(election, *, actor, note: str = "") -> OwnersElection:
    """Close the nominations' first round and start vetting (there must be candidates)."""
    def check(locked):
        if not locked.candidates.exists():
            raise ValidationFailed(_("Nominate the candidates first."))

    return _step(election, ElectionAction.OPEN_VETTING, actor=actor, note=note, check=check)


def cancel_election(election, *, actor, note: str) -> OwnersElection:
    return _step(election, ElectionAction.CANCEL, actor=actor, note=note, cancel_reason=(note or "").strip())


def hold_election(election, *, actor, held_on: date, place: str = "", notary_present: bool = False,
                  notary: str = "", note: str = "") -> OwnersElection:
    """Record the election meeting: when, where, whether a notary was present (seed 002's election was notarized).
    Every candidate must have been vetted, and at least as many approved as there are seats."""
    today = timezone.localdate()

    def check(locked):
        if held_on is None or held_on > today:
            raise ValidationFailed.on("held_on", _("Give the date the election was held (not a future one)."))
        if notary_present is False and (notary or "").strip():
            raise ValidationFailed.on("notary", _("Name a notary office only when a notary was present."))
        waiting = locked.candidates.filter(state=CandidateState.PROPOSED).count()
        if waiting:
            raise ValidationFailed(_("%(n)s candidates still await vetting.") % {"n": waiting})
        approved = locked.candidates.filter(state=CandidateState.APPROVED).count()
        if approved < locked.seats:
            raise ValidationFailed(_("Only %(approved)s candidates are approved for %(seats)s seats.")
                                   % {"approved": approved, "seats": locked.seats})

    return _step(election, ElectionAction.HOLD, actor=actor, note=note, check=check, held_on=held_on,
                 place=(place or "").strip(), notary_present=bool(notary_present), notary=(notary or "").strip())


@transaction.atomic
def record_result(election, *, actor, elected: dict[int, str], owners_outcome: str, committee_name: str = "",
                  term_start: date | None = None, term_end: date | None = None, votes: dict[int, int] | None = None,
                  turnout_share=None, approval_share=None, result_note: str = "") -> OwnersElection:
    """The result: who was elected to which role ({candidate id: director | deputy | member}; one director, no more
    than the seats, approved candidates only) and the outcome of the owners' formal vote (recorded, not run here).
    Creates the committee's new term with the elected as its members, party members flagged."""
    try:
        votes = {int(k): int(v) for k, v in (votes or {}).items() if v not in (None, "")}
    except (TypeError, ValueError):
        raise ValidationFailed.on("votes", _("Votes are whole numbers.")) from None
    election_ = _election(actor, election)
    if not (owners_outcome or "").strip():
        raise ValidationFailed.on("owners_outcome", _("Record the outcome of the owners' vote."))
    candidates = {c.pk: c for c in election_.candidates.select_related("party_member", "household")}
    roles = {}
    for pk, role in (elected or {}).items():
        c = candidates.get(int(pk))
        if c is None or c.state != CandidateState.APPROVED:
            raise ValidationFailed.on("elected", _("Only approved candidates of this election can be elected."))
        if role not in CommitteeRole.values:
            raise ValidationFailed.on("elected", _("Choose a role for each elected candidate."))
        roles[c.pk] = role
    if not roles:
        raise ValidationFailed.on("elected", _("Say who was elected."))
    if len(roles) > election_.seats:
        raise ValidationFailed.on("elected", _("More elected than the %(n)s seats.") % {"n": election_.seats})
    if list(roles.values()).count(CommitteeRole.DIRECTOR) != 1:
        raise ValidationFailed.on("elected", _("Exactly one director is elected."))
    for pk, n in votes.items():
        if pk not in candidates or n < 0:
            raise ValidationFailed.on("votes", _("Votes are counted for this election's candidates."))

    recorded = _step(election_, ElectionAction.RECORD, actor=actor, owners_outcome=owners_outcome.strip(),
                     turnout_share=turnout_share, approval_share=approval_share,
                     result_note=(result_note or "").strip())
    try:
        with transaction.atomic():
            committee = create_committee(
                actor=actor, estate=recorded.estate, term_number=recorded.term_number,
                name=(committee_name or "").strip() or _("%(estate)s owners' committee (term %(n)s)") % {
                    "estate": recorded.estate.name, "n": recorded.term_number},
                term_start=term_start or recorded.held_on or timezone.localdate(), term_end=term_end,
                election=recorded)
    except IntegrityError:
        raise Conflict(_("This estate already has a committee for term %(n)s.") % {"n": recorded.term_number})
    order = {CommitteeRole.DIRECTOR: 0, CommitteeRole.DEPUTY: 1, CommitteeRole.MEMBER: 2}
    for pk, role in sorted(roles.items(), key=lambda item: (order[item[1]], item[0])):
        c = candidates[pk]
        member = CommitteeMember(committee=committee, role=role, name=c.name, household=c.household,
                                 party_member=c.party_member, is_party_member=c.political_status in PARTY_STATUSES,
                                 candidate=c, skills=c.skills)
        _save(member, actor, "elected")
    for c in candidates.values():
        c.elected, c.elected_role = c.pk in roles, roles.get(c.pk, "")
        c.votes = votes.get(c.pk, c.votes)
        c._history_user, c._change_reason = user_of(actor), "result"
        c.save(update_fields=["elected", "elected_role", "votes"])
    return recorded
