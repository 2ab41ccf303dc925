"""The state machines of joint building, each an explicit table {(from_state, action): to_state} written by
`gongzhi.core.workflow.transition` into its own append-only log. Who may take which action is
`gongzhi.joint.policies`.

Session of a joint meeting (联席会议)::

    planned ─hold→ held (attendance signed in) ─publish_minutes→ minuted;   planned ─cancel→ cancelled (reason)

Decision (决议) of a session, owned by a unit (a district department, a hospital, the sub-district …) with a
deadline::

    open ─start→ in_progress ─complete→ done (its outcome);   open ─complete→ done
    open / in_progress ─cancel→ cancelled (reason)
A decision that handed a referred demand to its owner unit is completed by the system when that demand is resolved.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.workflow import Workflow


class SessionState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    MINUTED = "minuted", _("Minutes published")
    CANCELLED = "cancelled", _("Cancelled")


class SessionAction(models.TextChoices):
    PLAN = "plan", _("Plan the session")  # the first row of its log
    HOLD = "hold", _("Hold")
    PUBLISH_MINUTES = "publish_minutes", _("Publish the minutes")
    CANCEL = "cancel", _("Cancel")


SESSION_TRANSITIONS: dict[tuple[str, str], str] = {
    (SessionState.PLANNED, SessionAction.HOLD): SessionState.HELD,
    (SessionState.HELD, SessionAction.PUBLISH_MINUTES): SessionState.MINUTED,
    (SessionState.PLANNED, SessionAction.CANCEL): SessionState.CANCELLED,
}

SESSION_FLOW = Workflow(
    name="joint_session",
    model="joint.Session",
    log_model="joint.SessionTransition",
    log_fk="session",
    transitions=SESSION_TRANSITIONS,
    states=SessionState,
    actions=SessionAction,
    reason_required=frozenset({SessionAction.CANCEL}),
)


class DecisionState(models.TextChoices):
    OPEN = "open", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class DecisionAction(models.TextChoices):
    DECIDE = "decide", _("Decide")  # the first row of its log
    START = "start", _("Start")
    COMPLETE = "complete", _("Complete")
    CANCEL = "cancel", _("Cancel")


DECISION_TRANSITIONS: dict[tuple[str, str], str] = {
    (DecisionState.OPEN, DecisionAction.START): DecisionState.IN_PROGRESS,
    (DecisionState.OPEN, DecisionAction.COMPLETE): DecisionState.DONE,
    (DecisionState.IN_PROGRESS, DecisionAction.COMPLETE): DecisionState.DONE,
    (DecisionState.OPEN, DecisionAction.CANCEL): DecisionState.CANCELLED,
    (DecisionState.IN_PROGRESS, DecisionAction.CANCEL): DecisionState.CANCELLED,
}
DECISION_OPEN_STATES = frozenset({DecisionState.OPEN, DecisionState.IN_PROGRESS})

DECISION_FLOW = Workflow(
    name="joint_decision",
    model="joint.Decision",
    log_model="joint.DecisionTransition",
    log_fk="decision",
    transitions=DECISION_TRANSITIONS,
    states=DecisionState,
    actions=DecisionAction,
    reason_required=frozenset({DecisionAction.CANCEL}),
)
