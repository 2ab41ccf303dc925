"""Who may do what in the councils part. Services call `can` to refuse; views and templates call it (and
`actions`) to decide what to show.

Everything here belongs to a residential area (a council, the rules, an estate's owners' committee and elections):
*viewing* needs `deliberation.view` with the area in scope, *managing* (creating, editing, seating, vetting,
recording) `deliberation.manage` with the area in scope: the area's secretary and the sub-district's staff.
`SYSTEM` (the demo street) may do everything.

Subjects and actions:
- a model class: "list" (view), "create" (manage somewhere);
- a Council, DeliberationRules, OwnersCommittee, OwnersElection, Candidate: "view", "edit";
- an OwnersElection: its workflow actions (`ELECTION_FLOW`), allowed by its state; "nominate" while preparing or
  vetting;
- a Candidate: its workflow actions (`CANDIDATE_FLOW`); vetting ("approve", "reject", "reconsider") only while the
  election is vetting, "withdraw" until the election is held; "edit" (the checklist) while it awaits vetting.
"""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models.councils import (
    Candidate,
    CommitteeMember,
    Council,
    CouncilSeat,
    DeliberationRules,
    OwnersCommittee,
    OwnersElection,
)
from gongzhi.deliberation.workflows_councils import (
    CANDIDATE_FLOW,
    ELECTION_FLOW,
    CandidateAction,
    CandidateState,
    ElectionState,
)

VIEW, MANAGE = Capability.VIEW_DELIBERATION, Capability.MANAGE_DELIBERATION
EDIT, NOMINATE = "edit", "nominate"


def area_of(subject):
    """The residential area (a Region) a councils-part object belongs to."""
    if isinstance(subject, (Council, DeliberationRules)):
        return subject.area
    if isinstance(subject, CouncilSeat):
        return subject.council.area
    if isinstance(subject, (OwnersCommittee, OwnersElection)):
        return subject.estate.area
    if isinstance(subject, CommitteeMember):
        return subject.committee.estate.area
    if isinstance(subject, Candidate):
        return subject.election.estate.area
    return subject  # a Region


def may_manage_area(actor, area) -> bool:
    return actor is SYSTEM or (area is not None and scope_for(actor, MANAGE).covers_path(area.path))


def may_view_area(actor, area) -> bool:
    return actor is SYSTEM or (area is not None and scope_for(actor, VIEW).covers_path(area.path))


def _election_allows(election: OwnersElection, action: str) -> bool:
    if action == NOMINATE:
        return election.state in (ElectionState.PREPARING, ElectionState.VETTING)
    return ELECTION_FLOW.target(election.state, action) is not None


def _candidate_allows(candidate: Candidate, action: str) -> bool:
    election = candidate.election.state
    if action == EDIT:
        return candidate.state == CandidateState.PROPOSED and election in (ElectionState.PREPARING,
                                                                           ElectionState.VETTING)
    if CANDIDATE_FLOW.target(candidate.state, action) is None:
        return False
    if action == CandidateAction.WITHDRAW:
        return election in (ElectionState.PREPARING, ElectionState.VETTING)
    return election == ElectionState.VETTING


def can(actor, subject, action: str) -> bool:
    if actor is SYSTEM:
        if isinstance(subject, OwnersElection):
            return _election_allows(subject, action) or action in ("view", EDIT)
        if isinstance(subject, Candidate):
            return _candidate_allows(subject, action) or action == "view"
        return True
    if isinstance(subject, type):
        if action == "list":
            return has_capability(actor, VIEW)
        return action == "create" and has_capability(actor, MANAGE)
    area = area_of(subject)
    if action == "view":
        return may_view_area(actor, area)
    if not may_manage_area(actor, area):
        return False
    if isinstance(subject, OwnersElection) and action != EDIT:
        return _election_allows(subject, action)
    if isinstance(subject, OwnersElection):
        return subject.state in (ElectionState.PREPARING, ElectionState.VETTING)
    if isinstance(subject, Candidate):
        return _candidate_allows(subject, action)
    return action == EDIT


def actions(actor, subject) -> list[str]:
    """The workflow actions `can` allows on an election or a candidate, in table order."""
    flow = ELECTION_FLOW if isinstance(subject, OwnersElection) else CANDIDATE_FLOW
    return [a for a in flow.actions_from(subject.state) if can(actor, subject, a)]
