"""The state machines of funds, each an explicit table {(from_state, action): to_state} written by
`gongzhi.core.workflow.transition` into its own append-only log. Who may take which action is
`gongzhi.funds.policies`.

Call for proposals (CONSUL-style phases)::

    informing ─open→ accepting ─close_intake→ reviewing ─start_selection→ selecting ─start_granting→ granting
        ─start_delivery→ delivering ─finish→ finished;   any phase before delivering ─cancel→ cancelled (reason)

Proposal::

    collecting (co-signing households still needed) ─submit→ submitted
    submitted ─review→ feasible (staff: feasibility and price, the amount to fund, a reason)
    submitted ─decline→ declined (reason);      any open state ─withdraw→ withdrawn (the team)
    feasible ─select→ selected (a household vote passed, or a council decision)
    feasible ─reject→ not_selected (the vote failed, or the council chose others)
    selected ─grant→ granted (the money leaves the fund: a ledger row)
    granted ─start→ delivering ─complete→ completed (after the closing review)
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.workflow import Workflow


class CallState(models.TextChoices):
    INFORMING = "informing", _("Informing")
    ACCEPTING = "accepting", _("Accepting proposals")
    REVIEWING = "reviewing", _("Reviewing")
    SELECTING = "selecting", _("Selecting")
    GRANTING = "granting", _("Granting")
    DELIVERING = "delivering", _("Delivering")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class CallAction(models.TextChoices):
    ANNOUNCE = "announce", _("Announce")  # the first row of its log
    OPEN = "open", _("Open for proposals")
    CLOSE_INTAKE = "close_intake", _("Close intake and review")
    START_SELECTION = "start_selection", _("Start selection")
    START_GRANTING = "start_granting", _("Start granting")
    START_DELIVERY = "start_delivery", _("Start delivery")
    FINISH = "finish", _("Finish")
    CANCEL = "cancel", _("Cancel")


S, A = CallState, CallAction

CALL_TRANSITIONS: dict[tuple[str, str], str] = {
    (S.INFORMING, A.OPEN): S.ACCEPTING,
    (S.ACCEPTING, A.CLOSE_INTAKE): S.REVIEWING,
    (S.REVIEWING, A.START_SELECTION): S.SELECTING,
    (S.SELECTING, A.START_GRANTING): S.GRANTING,
    (S.GRANTING, A.START_DELIVERY): S.DELIVERING,
    (S.DELIVERING, A.FINISH): S.FINISHED,
    **{(state, A.CANCEL): S.CANCELLED for state in (S.INFORMING, S.ACCEPTING, S.REVIEWING, S.SELECTING)},
}

CALL_FLOW = Workflow(
    name="call", model="funds.Call", log_model="funds.CallTransition", log_fk="call",
    transitions=CALL_TRANSITIONS, states=CallState, actions=CallAction, reason_required=frozenset({A.CANCEL}),
)


class ProposalState(models.TextChoices):
    COLLECTING = "collecting", _("Collecting co-signatures")
    SUBMITTED = "submitted", _("Submitted")
    FEASIBLE = "feasible", _("Reviewed: feasible")
    DECLINED = "declined", _("Declined")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")
    GRANTED = "granted", _("Granted")
    DELIVERING = "delivering", _("Delivering")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProposalAction(models.TextChoices):
    PROPOSE = "propose", _("Propose")  # the first row of its log
    SUBMIT = "submit", _("Submit")
    REVIEW = "review", _("Record the review")
    DECLINE = "decline", _("Decline")
    SELECT = "select", _("Select")
    REJECT = "reject", _("Not select")
    GRANT = "grant", _("Grant")
    START = "start", _("Start delivery")
    COMPLETE = "complete", _("Complete")
    WITHDRAW = "withdraw", _("Withdraw")


P, PA = ProposalState, ProposalAction

PROPOSAL_TRANSITIONS: dict[tuple[str, str], str] = {
    (P.COLLECTING, PA.SUBMIT): P.SUBMITTED,
    (P.SUBMITTED, PA.REVIEW): P.FEASIBLE,
    (P.SUBMITTED, PA.DECLINE): P.DECLINED,
    (P.FEASIBLE, PA.SELECT): P.SELECTED,
    (P.FEASIBLE, PA.REJECT): P.NOT_SELECTED,
    (P.SELECTED, PA.GRANT): P.GRANTED,
    (P.GRANTED, PA.START): P.DELIVERING,
    (P.DELIVERING, PA.COMPLETE): P.COMPLETED,
    **{(state, PA.WITHDRAW): P.WITHDRAWN for state in (P.COLLECTING, P.SUBMITTED, P.FEASIBLE)},
}

FUNDED_STATES = frozenset({P.GRANTED, P.DELIVERING, P.COMPLETED})
OPEN_PROPOSAL_STATES = frozenset({P.COLLECTING, P.SUBMITTED, P.FEASIBLE, P.SELECTED, P.GRANTED, P.DELIVERING})

PROPOSAL_FLOW = Workflow(
    name="proposal", model="funds.Proposal", log_model="funds.ProposalTransition", log_fk="proposal",
    transitions=PROPOSAL_TRANSITIONS, states=ProposalState, actions=ProposalAction,
    reason_required=frozenset({PA.REVIEW, PA.DECLINE, PA.REJECT, PA.WITHDRAW}),
)
