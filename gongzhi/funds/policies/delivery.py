"""Who may do what in the delivery of a granted proposal. Services call `can` to refuse; views, templates and the
API call `can`/`actions` to decide what to show. No other module repeats these rules.

* The delivery is recorded (milestones, spending with receipts, progress, photos, the closing review and
  completion) by the staff whose ``funds.manage`` scope covers the fund's region (`manages`): the area's
  secretary for its autonomy fund, the sub-district for all.
* The proposing team's user, when an account submitted the proposal (`is_team`), may add photos and report the
  progress of its own project, and sees its delivery page.
* Delivery is recorded while the proposal is granted or being delivered (the first record starts the delivery);
  photos may still be added once it is completed (the after photos); completion needs delivery under way.

`SYSTEM` may do everything.
"""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import scope_for
from gongzhi.core.workflow import SYSTEM, is_user
from gongzhi.funds.workflow import ProposalState

VIEW = Capability.VIEW_FUNDS
MANAGE = Capability.MANAGE_FUNDS

# actions of the delivery (none of them but COMPLETE changes the proposal's state by itself)
MILESTONE = "milestone"  # add, edit and mark milestones done
SPEND = "spend"  # record spending and attach receipt scans
PROGRESS = "progress"  # report progress and beneficiaries reached
PHOTO = "photo"  # add before/during/after photos
REVIEW = "review"  # schedule the closing review meeting
COMPLETE = "complete"  # the closing review held: complete the project, return the unspent rest
ACTIONS = (MILESTONE, SPEND, PROGRESS, PHOTO, REVIEW, COMPLETE)
TEAM_ACTIONS = frozenset({PROGRESS, PHOTO})

RECORDING_STATES = frozenset({ProposalState.GRANTED, ProposalState.DELIVERING})
STATES: dict[str, frozenset] = {
    MILESTONE: RECORDING_STATES,
    SPEND: RECORDING_STATES,
    PROGRESS: RECORDING_STATES,
    PHOTO: RECORDING_STATES | {ProposalState.COMPLETED},
    REVIEW: frozenset({ProposalState.DELIVERING}),
    COMPLETE: frozenset({ProposalState.DELIVERING}),
}


def region_path(proposal) -> str:
    return proposal.call.fund.region.path


def manages(actor, proposal) -> bool:
    """Staff whose funds.manage scope covers the proposal's fund."""
    if actor is SYSTEM:
        return True
    return is_user(actor) and scope_for(actor, MANAGE).covers_path(region_path(proposal))


def is_team(actor, proposal) -> bool:
    """The account that submitted the proposal for its team."""
    return is_user(actor) and actor.is_active and proposal.submitted_by_id is not None and \
        proposal.submitted_by_id == actor.pk


def sees(actor, proposal) -> bool:
    if actor is SYSTEM:
        return True
    return is_user(actor) and (scope_for(actor, VIEW).covers_path(region_path(proposal)) or is_team(actor, proposal))


def allowed(actor, proposal, action: str) -> bool:
    """The actor's right to `action` on the proposal's delivery, whatever its state."""
    if manages(actor, proposal):
        return True
    return action in TEAM_ACTIONS and is_team(actor, proposal)


def state_allows(proposal, action: str) -> bool:
    return proposal.state in STATES.get(action, ())


def can(actor, proposal, action: str) -> bool:
    return state_allows(proposal, action) and allowed(actor, proposal, action)


def actions(actor, proposal) -> list[str]:
    """The delivery actions this actor may take on the proposal now."""
    return [a for a in ACTIONS if can(actor, proposal, a)]

