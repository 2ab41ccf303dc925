"""The project lifecycle as one explicit transition table: {(from_state, action): to_state}.

    proposed ─agree→ agreed ─start→ in_progress ─complete→ completed ─evaluate→ evaluated
        └decline→ declined        agreed / in_progress ─cancel→ cancelled

A claim creates a `proposed` project (a unit claims a need, a community claims a resource, or the global mode
proposes a pair); `agree` is the other side's confirmation. Who may act is checked in services.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    EVALUATED = "evaluated", _("Evaluated")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class ProjectAction(models.TextChoices):
    AGREE = "agree", _("Confirm")
    DECLINE = "decline", _("Decline")
    START = "start", _("Start")
    COMPLETE = "complete", _("Complete")
    EVALUATE = "evaluate", _("Evaluate")
    CANCEL = "cancel", _("Cancel")


S, A = ProjectState, ProjectAction

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.PROPOSED, A.AGREE): S.AGREED,
    (S.PROPOSED, A.DECLINE): S.DECLINED,
    (S.AGREED, A.START): S.IN_PROGRESS,
    (S.AGREED, A.CANCEL): S.CANCELLED,
    (S.IN_PROGRESS, A.COMPLETE): S.COMPLETED,
    (S.IN_PROGRESS, A.CANCEL): S.CANCELLED,
    (S.COMPLETED, A.EVALUATE): S.EVALUATED,
}

# States holding a resource's capacity and counting towards a provider's load.
ACTIVE_STATES = frozenset({S.PROPOSED, S.AGREED, S.IN_PROGRESS})
# States in which a need counts as met.
DONE_STATES = frozenset({S.COMPLETED, S.EVALUATED})
LIVE_STATES = ACTIVE_STATES | DONE_STATES  # everything but declined / cancelled


def target_state(state: str, action: str) -> str | None:
    return TRANSITIONS.get((state, action))


def allowed_actions(state: str) -> list[str]:
    return [a for (s, a) in TRANSITIONS if s == state]
