"""The state machines of organization life, each an explicit table {(from_state, action): to_state} written by
`gongzhi.core.workflow.transition` into its own append-only log. Who may take which action is
`gongzhi.orglife.policies`.

Award round (one round of a scheme, e.g. 金银奖 第七轮)::

    draft ─open→ assessing (criteria fixed, weights sum to 100; eligible organizations self-assess with evidence)
    assessing ─review→ reviewing (the panel scores; indicators still follow the data)
    reviewing ─return→ assessing (reason)
    reviewing ─publish→ published (indicator values and scores frozen; tiers by cut-offs; the honour roll)

Award entry (one eligible organization in a round)::

    pending ─submit→ submitted (self-assessment with its evidence handed in)
    submitted ─return→ pending (reason: evidence missing or unclear)
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.workflow import Workflow


class RoundState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ASSESSING = "assessing", _("Self-assessment")
    REVIEWING = "reviewing", _("Reviewing")
    PUBLISHED = "published", _("Published")


class RoundAction(models.TextChoices):
    CREATE = "create", _("Create")  # the first row of its log
    OPEN = "open", _("Open for self-assessment")
    REVIEW = "review", _("Start the review")
    RETURN = "return", _("Return to self-assessment")
    PUBLISH = "publish", _("Publish the results")


ROUND_TRANSITIONS: dict[tuple[str, str], str] = {
    (RoundState.DRAFT, RoundAction.OPEN): RoundState.ASSESSING,
    (RoundState.ASSESSING, RoundAction.REVIEW): RoundState.REVIEWING,
    (RoundState.REVIEWING, RoundAction.RETURN): RoundState.ASSESSING,
    (RoundState.REVIEWING, RoundAction.PUBLISH): RoundState.PUBLISHED,
}

ROUND_FLOW = Workflow(
    name="award_round",
    model="orglife.AwardRound",
    log_model="orglife.AwardRoundTransition",
    log_fk="round",
    transitions=ROUND_TRANSITIONS,
    states=RoundState,
    actions=RoundAction,
    reason_required=frozenset({RoundAction.RETURN}),
)


class EntryState(models.TextChoices):
    PENDING = "pending", _("Self-assessment pending")
    SUBMITTED = "submitted", _("Self-assessment submitted")


class EntryAction(models.TextChoices):
    ENTER = "enter", _("Enter the round")  # the first row of its log
    SUBMIT = "submit", _("Submit the self-assessment")
    RETURN = "return", _("Return the self-assessment")


ENTRY_TRANSITIONS: dict[tuple[str, str], str] = {
    (EntryState.PENDING, EntryAction.SUBMIT): EntryState.SUBMITTED,
    (EntryState.SUBMITTED, EntryAction.RETURN): EntryState.PENDING,
}

ENTRY_FLOW = Workflow(
    name="award_entry",
    model="orglife.AwardEntry",
    log_model="orglife.AwardEntryTransition",
    log_fk="entry",
    transitions=ENTRY_TRANSITIONS,
    states=EntryState,
    actions=EntryAction,
    reason_required=frozenset({EntryAction.RETURN}),
)
