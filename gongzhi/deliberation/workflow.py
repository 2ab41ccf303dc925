"""The state machines of deliberation, each an explicit table {(from_state, action): to_state} written by
`gongzhi.core.workflow.transition` into its own append-only log. Further tables of the module (votes, elections,
grid micro-items …) live beside their models in `gongzhi.deliberation.workflows_*` modules and are listed in the
part manifests (`gongzhi.deliberation.manifest`).

Topic (议题)::

    proposed ─accept→ accepted ─hear→ hearing ─coordinate→ coordination ─decide→ decided
        └decline→ declined (with a reason)
    decided ─implement→ implementing ─review→ reviewed ─close→ closed

The three meetings (三会制度) follow it: the hearing (事前听证) before the decision, the coordination meeting
(事中协调) while it is worked out and carried out, the review meeting (事后评议) after it.

Meeting: scheduled ─hold→ held ─publish_minutes→ minuted; scheduled ─cancel→ cancelled (with a reason).
Who may take which action is `gongzhi.deliberation.policies`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.workflow import Workflow


class TopicState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    HEARING = "hearing", _("Hearing")
    COORDINATION = "coordination", _("Coordination")
    DECIDED = "decided", _("Decided")
    IMPLEMENTING = "implementing", _("Implementing")
    REVIEWED = "reviewed", _("Reviewed")
    CLOSED = "closed", _("Closed")


class TopicAction(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    DECLINE = "decline", _("Decline")
    HEAR = "hear", _("Open the hearing")
    COORDINATE = "coordinate", _("Move to coordination")
    DECIDE = "decide", _("Record the decision")
    IMPLEMENT = "implement", _("Start implementing")
    REVIEW = "review", _("Record the review")
    CLOSE = "close", _("Close")
    # how a topic came to be: the first row of its log (from no state)
    PROPOSE = "propose", _("Propose")


S, A = TopicState, TopicAction

TOPIC_TRANSITIONS: dict[tuple[str, str], str] = {
    (S.PROPOSED, A.ACCEPT): S.ACCEPTED,
    (S.PROPOSED, A.DECLINE): S.DECLINED,
    (S.ACCEPTED, A.HEAR): S.HEARING,
    (S.HEARING, A.COORDINATE): S.COORDINATION,
    (S.COORDINATION, A.DECIDE): S.DECIDED,
    (S.DECIDED, A.IMPLEMENT): S.IMPLEMENTING,
    (S.IMPLEMENTING, A.REVIEW): S.REVIEWED,
    (S.REVIEWED, A.CLOSE): S.CLOSED,
}

OPEN_TOPIC_STATES = frozenset(set(S.values) - {S.DECLINED, S.CLOSED})

TOPIC_FLOW = Workflow(
    name="topic", model="deliberation.Topic", log_model="deliberation.TopicTransition", log_fk="topic",
    transitions=TOPIC_TRANSITIONS, states=TopicState, actions=TopicAction,
    reason_required=frozenset({A.DECLINE}),
)


class MeetingState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    MINUTED = "minuted", _("Minutes published")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingAction(models.TextChoices):
    HOLD = "hold", _("Hold the meeting")
    PUBLISH_MINUTES = "publish_minutes", _("Publish the minutes")
    CANCEL = "cancel", _("Cancel")
    SCHEDULE = "schedule", _("Schedule")  # the first row of its log


MS, MA = MeetingState, MeetingAction

MEETING_TRANSITIONS: dict[tuple[str, str], str] = {
    (MS.SCHEDULED, MA.HOLD): MS.HELD,
    (MS.SCHEDULED, MA.CANCEL): MS.CANCELLED,
    (MS.HELD, MA.PUBLISH_MINUTES): MS.MINUTED,
}

MEETING_FLOW = Workflow(
    name="meeting", model="deliberation.Meeting", log_model="deliberation.MeetingTransition", log_fk="meeting",
    transitions=MEETING_TRANSITIONS, states=MeetingState, actions=MeetingAction,
    reason_required=frozenset({MA.CANCEL}),
)


# --- Decisions of a meeting's minutes --------------------------------------------------------------------------
# A decision (决定事项) recorded in a meeting's minutes has an owner and a deadline and is tracked to done:
# open ─complete→ done ─reopen→ open. An open decision past its deadline is overdue (shown, not a state).

class DecisionState(models.TextChoices):
    OPEN = "open", _("Being carried out")
    DONE = "done", _("Done")


class DecisionAction(models.TextChoices):
    COMPLETE = "complete", _("Mark done")
    REOPEN = "reopen", _("Reopen")
    RECORD = "record", _("Recorded in the minutes")  # the first row of its log


DS, DA = DecisionState, DecisionAction

DECISION_TRANSITIONS: dict[tuple[str, str], str] = {
    (DS.OPEN, DA.COMPLETE): DS.DONE,
    (DS.DONE, DA.REOPEN): DS.OPEN,
}

DECISION_FLOW = Workflow(
    name="decision", model="deliberation.Decision", log_model="deliberation.DecisionTransition",
    log_fk="decision", transitions=DECISION_TRANSITIONS, states=DecisionState, actions=DecisionAction,
    reason_required=frozenset({DA.REOPEN}),
)
