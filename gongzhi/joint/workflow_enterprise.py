"""The state machine of a liaison visit's follow-up (the enterprise part), written by
`gongzhi.core.workflow.transition` into `joint.VisitTransition`::

    open ─start→ in_progress ─complete→ done;   open ─complete→ done;   done ─reopen→ in_progress (reason)

A need found on the visit turned into a demand is a step of the log (`raise_demand`) that keeps the state; so is
linking a demand the firm had already made about the need (`link_demand`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.workflow import Workflow


class VisitState(models.TextChoices):
    OPEN = "open", _("To follow up")
    IN_PROGRESS = "in_progress", _("Following up")
    DONE = "done", _("Followed up")


class VisitAction(models.TextChoices):
    RECORD = "record", _("Record the visit")  # the first row of its log
    START = "start", _("Start the follow-up")
    COMPLETE = "complete", _("Finish the follow-up")
    REOPEN = "reopen", _("Reopen the follow-up")
    RAISE_DEMAND = "raise_demand", _("Turn a need into a demand")  # a step that keeps the state
    LINK_DEMAND = "link_demand", _("Link the firm's demand")  # a step that keeps the state


VISIT_TRANSITIONS: dict[tuple[str, str], str] = {
    (VisitState.OPEN, VisitAction.START): VisitState.IN_PROGRESS,
    (VisitState.OPEN, VisitAction.COMPLETE): VisitState.DONE,
    (VisitState.IN_PROGRESS, VisitAction.COMPLETE): VisitState.DONE,
    (VisitState.DONE, VisitAction.REOPEN): VisitState.IN_PROGRESS,
}

VISIT_FLOW = Workflow(
    name="joint_visit",
    model="joint.Visit",
    log_model="joint.VisitTransition",
    log_fk="visit",
    transitions=VISIT_TRANSITIONS,
    states=VisitState,
    actions=VisitAction,
    reason_required=frozenset({VisitAction.REOPEN}),
)
