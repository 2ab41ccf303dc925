"""Who may do what with calls for proposals and their proposals. Services call these to refuse; views, templates
and the API call them to decide what to show. No other module repeats these rules.

* Calls and proposals are seen by whoever's ``funds.view`` scope covers the call's fund's region.
* ``funds.manage`` over that region (the area's secretary, the sub-district) creates and edits calls, moves their
  phases, enters proposals for teams, reviews, declines, puts proposals to a household vote, records a council's
  decision, withdraws a proposal and records the co-signatures households gave on paper while it collects them.
* A grant is booked by whoever may grant from the fund (`gongzhi.funds.policies.ledger.may_grant`).
* Each step also needs the call's phase and the proposal's state: reviewing in the call's reviewing phase,
  selecting in its selecting phase (by the method the call chose), granting in its granting phase.
* Residents (H5, `SUBMITTER` with a phone proven by SMS code) submit proposals while the call accepts them and
  co-sign those still collecting households; the services check the phone.

`SYSTEM` has every right. `can(actor, subject, action)` answers for one action; `actions(actor, subject)` lists
them (the API's ``actions`` field, the buttons of the pages).
"""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.workflow import SYSTEM, is_user
from gongzhi.deliberation.workflows_votes import VoteState
from gongzhi.funds.models import Call, Proposal, SelectionMethod
from gongzhi.funds.policies import ledger as ledger_policies
from gongzhi.funds.workflow import CALL_FLOW, CallAction, CallState, ProposalState

VIEW = Capability.VIEW_FUNDS
MANAGE = Capability.MANAGE_FUNDS

EDITABLE_PHASES = frozenset({CallState.INFORMING, CallState.ACCEPTING})
# proposal actions beyond the workflow's own names
PROPOSAL_ACTIONS = ("review", "decline", "put_to_vote", "apply_vote_result", "decide", "grant", "withdraw")


def _region(subject):
    call = subject.call if isinstance(subject, Proposal) else subject
    return call.fund.region


def sees(actor, subject) -> bool:
    """The actor may see the call (or the proposal's call)."""
    return actor is SYSTEM or (is_user(actor) and scope_for(actor, VIEW).covers_path(_region(subject).path))


def manages(actor, subject) -> bool:
    """The actor runs calls where this call's fund is (``funds.manage`` over its region)."""
    return actor is SYSTEM or (is_user(actor) and scope_for(actor, MANAGE).covers_path(_region(subject).path))


def manages_any(actor) -> bool:
    return actor is SYSTEM or has_capability(actor, MANAGE)


def manages_fund(actor, fund) -> bool:
    """May open a call on this fund."""
    return actor is SYSTEM or (is_user(actor) and scope_for(actor, MANAGE).covers_path(fund.region.path))


def why_not_phase(call: Call, action: str) -> str:
    """Why the call cannot take this phase action now ("" when it can): a phase ends once its proposals are dealt
    with (reviewed before selection, selected or not before granting, granted before delivery)."""
    from django.utils.translation import gettext as _

    if CALL_FLOW.target(call.state, action) is None:
        return _("This cannot be done in the current phase.")
    waiting = {
        CallAction.START_SELECTION: ((ProposalState.SUBMITTED,), _("Review or decline every submitted proposal "
                                                                   "first.")),
        CallAction.START_GRANTING: ((ProposalState.FEASIBLE,), _("Select or reject every reviewed proposal first.")),
        CallAction.START_DELIVERY: ((ProposalState.SELECTED,), _("Grant every selected proposal first.")),
    }.get(action)
    if waiting and call.proposals.filter(state__in=waiting[0]).exists():
        return waiting[1]
    return ""


def _call_can(actor, call: Call, action: str) -> bool:
    if action == "view":
        return sees(actor, call)
    if not manages(actor, call):
        return False
    if action == "edit":
        return call.state in EDITABLE_PHASES
    if action == "propose":
        return call.state == CallState.ACCEPTING
    if action in CallAction.values:
        return CALL_FLOW.target(call.state, action) is not None and not why_not_phase(call, action)
    return False


def _proposal_can(actor, proposal: Proposal, action: str) -> bool:
    call, state = proposal.call, proposal.state
    if action == "view":
        return sees(actor, proposal)
    if action == "grant":
        return (call.state == CallState.GRANTING and state == ProposalState.SELECTED
                and (actor is SYSTEM or (is_user(actor) and ledger_policies.may_grant(actor, call.fund))))
    if not manages(actor, proposal):
        return False
    if action in ("review", "decline"):
        return call.state == CallState.REVIEWING and state == ProposalState.SUBMITTED
    selecting = call.state == CallState.SELECTING and state == ProposalState.FEASIBLE
    if action == "put_to_vote":
        return (selecting and call.selection == SelectionMethod.HOUSEHOLD_VOTE
                and (proposal.vote_id is None or proposal.vote.state == VoteState.CANCELLED))
    if action == "apply_vote_result":
        return selecting and proposal.vote_id is not None and proposal.vote.state == VoteState.CLOSED
    if action == "decide":
        return selecting and call.selection == SelectionMethod.COUNCIL
    if action == "withdraw":
        return state in (ProposalState.COLLECTING, ProposalState.SUBMITTED, ProposalState.FEASIBLE)
    if action == "cosign":  # a household's co-signature given on paper
        return takes_cosigns(proposal)
    return False


def can(actor, subject, action: str) -> bool:
    """The actor may take `action` on `subject` (a Call or a Proposal) now."""
    if actor is None:
        return False
    if isinstance(subject, Call):
        return _call_can(actor, subject, action)
    if isinstance(subject, Proposal):
        return _proposal_can(actor, subject, action)
    return False


def actions(actor, subject) -> list[str]:
    """What the actor may do with `subject` now, in a stable order."""
    if isinstance(subject, Call):
        names = ["edit", "propose", *(a for a in CALL_FLOW.actions_from(subject.state))]
    else:
        names = list(PROPOSAL_ACTIONS)
    return [a for a in names if can(actor, subject, a)]


def takes_cosigns(proposal: Proposal) -> bool:
    """Households may co-sign the proposal (on H5, or recorded by staff)."""
    return proposal.state == ProposalState.COLLECTING and proposal.call.state == CallState.ACCEPTING


def accepts_proposals(call: Call) -> bool:
    return call.state == CallState.ACCEPTING
