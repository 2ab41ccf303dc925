"""The state machines of the councils part: owners' committee elections and the vetting of their candidates, each an
explicit table {(from_state, action): to_state} written by `gongzhi.core.workflow.transition`.

Owners' committee election (业委会选举; after seed 004's 长一居民区 and seed 002's 西藏南路国际广场)::

    preparing ─open_vetting→ vetting ─hold→ held ─record→ recorded
        └──────────────┴───────────┴─cancel→ cancelled (with a reason)

*preparing*: candidates are nominated; *vetting*: each is vetted against the checklist (the 楼组长's opinion,
conduct such as hallway clutter, neighbours, political status, age, skills); *held*: the election meeting took
place (date, place, whether a notary was present); *recorded*: its result is in (who was elected to which role,
and the outcome of the owners' formal vote by area share, which is held outside the platform), and the new
committee's term exists.

Candidate (候选人)::

    proposed ─approve→ approved ─withdraw→ withdrawn (with a reason)
        └reject→ rejected (with a reason) ─reconsider→ proposed

Who may take which action, and when (vetting only while the election is vetting), is
`gongzhi.deliberation.policies.councils`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.workflow import Workflow


class ElectionState(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    VETTING = "vetting", _("Vetting candidates")
    HELD = "held", _("Election held")
    RECORDED = "recorded", _("Result recorded")
    CANCELLED = "cancelled", _("Cancelled")


class ElectionAction(models.TextChoices):
    OPEN_VETTING = "open_vetting", _("Start vetting the candidates")
    HOLD = "hold", _("Record the election meeting")
    RECORD = "record", _("Record the result")
    CANCEL = "cancel", _("Cancel the election")
    PREPARE = "prepare", _("Prepare the election")  # the first row of its log


ES, EA = ElectionState, ElectionAction

ELECTION_TRANSITIONS: dict[tuple[str, str], str] = {
    (ES.PREPARING, EA.OPEN_VETTING): ES.VETTING,
    (ES.VETTING, EA.HOLD): ES.HELD,
    (ES.HELD, EA.RECORD): ES.RECORDED,
    (ES.PREPARING, EA.CANCEL): ES.CANCELLED,
    (ES.VETTING, EA.CANCEL): ES.CANCELLED,
    (ES.HELD, EA.CANCEL): ES.CANCELLED,
}

OPEN_ELECTION_STATES = frozenset({ES.PREPARING, ES.VETTING, ES.HELD})

ELECTION_FLOW = Workflow(
    name="owners_election", model="deliberation.OwnersElection", log_model="deliberation.OwnersElectionTransition",
    log_fk="election", transitions=ELECTION_TRANSITIONS, states=ElectionState, actions=ElectionAction,
    reason_required=frozenset({EA.CANCEL}),
)


class CandidateState(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting vetting")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CandidateAction(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Do not approve")
    WITHDRAW = "withdraw", _("Withdraw")
    RECONSIDER = "reconsider", _("Vet again")
    NOMINATE = "nominate", _("Nominate")  # the first row of its log


CS, CA = CandidateState, CandidateAction

CANDIDATE_TRANSITIONS: dict[tuple[str, str], str] = {
    (CS.PROPOSED, CA.APPROVE): CS.APPROVED,
    (CS.PROPOSED, CA.REJECT): CS.REJECTED,
    (CS.APPROVED, CA.WITHDRAW): CS.WITHDRAWN,
    (CS.REJECTED, CA.RECONSIDER): CS.PROPOSED,
}

CANDIDATE_FLOW = Workflow(
    name="election_candidate", model="deliberation.Candidate", log_model="deliberation.CandidateTransition",
    log_fk="candidate", transitions=CANDIDATE_TRANSITIONS, states=CandidateState, actions=CandidateAction,
    reason_required=frozenset({CA.REJECT, CA.WITHDRAW}),
)
