"""The state machines of the votes part: votes (表决) and resident conventions (居民公约), each an explicit table
{(from_state, action): to_state} written by `gongzhi.core.workflow.transition` into its own append-only log.

Vote::

    draft ─open→ open ─close→ closed (the result is computed as it closes)
      └cancel→ cancelled     └cancel→ cancelled (with a reason)

Ballots are not transitions: a ballot is a receipt (who voted) and, apart from it, a choice (what was chosen; for
a secret vote with no link to the receipt). Closing counts the choices into the vote's result.

Resident convention::

    draft ─adopt→ adopted ─amend→ amending ─adopt→ adopted
                    └repeal→ repealed (with a reason)

`adopt` needs a closed vote that passed on the version being adopted; `amend` starts a new version while the
adopted one stays in force until the amendment is adopted in turn.
Who may take which action is `gongzhi.deliberation.policies.votes`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.workflow import Workflow


class VoteState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Voting")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class VoteAction(models.TextChoices):
    OPEN = "open", _("Open the vote")
    CLOSE = "close", _("Close and count")
    CANCEL = "cancel", _("Cancel the vote")
    PREPARE = "prepare", _("Prepare")  # the first row of its log (from no state)


VS, VA = VoteState, VoteAction

VOTE_TRANSITIONS: dict[tuple[str, str], str] = {
    (VS.DRAFT, VA.OPEN): VS.OPEN,
    (VS.DRAFT, VA.CANCEL): VS.CANCELLED,
    (VS.OPEN, VA.CLOSE): VS.CLOSED,
    (VS.OPEN, VA.CANCEL): VS.CANCELLED,
}

VOTE_FLOW = Workflow(
    name="vote", model="deliberation.Vote", log_model="deliberation.VoteTransition", log_fk="vote",
    transitions=VOTE_TRANSITIONS, states=VoteState, actions=VoteAction,
    reason_required=frozenset({VA.CANCEL}),
)


class ConventionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    AMENDING = "amending", _("Being amended")
    REPEALED = "repealed", _("Repealed")


class ConventionAction(models.TextChoices):
    ADOPT = "adopt", _("Adopt")
    AMEND = "amend", _("Amend")
    REPEAL = "repeal", _("Repeal")
    DRAFT = "draft", _("Draft")  # the first row of its log (from no state)


CS, CA = ConventionState, ConventionAction

CONVENTION_TRANSITIONS: dict[tuple[str, str], str] = {
    (CS.DRAFT, CA.ADOPT): CS.ADOPTED,
    (CS.ADOPTED, CA.AMEND): CS.AMENDING,
    (CS.AMENDING, CA.ADOPT): CS.ADOPTED,
    (CS.ADOPTED, CA.REPEAL): CS.REPEALED,
}

# A convention is in force (published, signed) while adopted, and still while an amendment is drafted.
IN_FORCE_STATES = frozenset({CS.ADOPTED, CS.AMENDING})
# Its text may be revised (a new version) while drafted or amended.
EDITABLE_STATES = frozenset({CS.DRAFT, CS.AMENDING})

CONVENTION_FLOW = Workflow(
    name="resident_convention", model="deliberation.ResidentConvention",
    log_model="deliberation.ConventionTransition", log_fk="convention",
    transitions=CONVENTION_TRANSITIONS, states=ConventionState, actions=ConventionAction,
    reason_required=frozenset({CA.REPEAL}),
)
