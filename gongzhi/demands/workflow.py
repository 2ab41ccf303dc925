"""The demand lifecycle as one explicit transition table: {(from_state, action): to_state}.

    submitted ─assign→ assigned ─claim→ claimed ─start→ in_progress ─resolve→ resolved ─review→ reviewed ─close→ closed
        │ claim (a party member of the grid, 亮承诺)  ↑                                   │ reopen (unsatisfied, once)
        └──────────────────────────────────────────┘                         reopened ←┘ ─start→ in_progress
    return (wrong routing, reason) → returned ─assign→ assigned (after re-routing)
    reject (reason) → rejected ─close→ closed          merge → merged (terminal; followers keep being told)
    escalate → escalated (one tier up: area → sub-district, and no higher) ─assign/claim→ …
    resolved ─escalate→ escalated (a second unsatisfied review); resolved ─close→ closed (no review in time)
    refer (a sub-district leader, with the reason) → escalated at level 3: an agenda item of a joint meeting, whose
    decision assigns it to a unit (a district department) ─assign→ assigned ─claim→ …

Who may take which action: `gongzhi.demands.policies`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongzhi.core.workflow import Workflow


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ASSIGNED = "assigned", _("Assigned")
    CLAIMED = "claimed", _("Claimed")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    REVIEWED = "reviewed", _("Reviewed")
    CLOSED = "closed", _("Closed")
    RETURNED = "returned", _("Returned")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged")
    ESCALATED = "escalated", _("Escalated")
    REOPENED = "reopened", _("Reopened")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    ASSIGN = "assign", _("Assign")
    CLAIM = "claim", _("Claim")
    START = "start", _("Start work")
    RESOLVE = "resolve", _("Resolve")
    REVIEW = "review", _("Review (satisfied)")
    CLOSE = "close", _("Close")
    RETURN = "return", _("Return")
    REJECT = "reject", _("Reject")
    MERGE = "merge", _("Merge")
    ESCALATE = "escalate", _("Escalate")
    REFER = "refer", _("Refer to a joint meeting")
    REOPEN = "reopen", _("Reopen (unsatisfied)")
    # actions that keep the state but change who or what is responsible; logged like every other action
    ROUTE = "route", _("Route to a grid")
    EXTEND = "extend", _("Deadline extension decided")
    CATEGORIZE = "categorize", _("Category set")
    COMMENT = "comment", _("Public comment")


S, A = State, Action

TRANSITIONS: dict[tuple[str, str], str] = {
    # assign: route to a person or a professional team (again after a return, or at a higher tier)
    (S.SUBMITTED, A.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, A.ASSIGN): S.ASSIGNED,  # re-assign
    (S.RETURNED, A.ASSIGN): S.ASSIGNED,
    (S.ESCALATED, A.ASSIGN): S.ASSIGNED,
    # claim: the assignee (or a team) takes it on; a party member claims an unassigned item of their grid
    (S.SUBMITTED, A.CLAIM): S.CLAIMED,
    (S.ASSIGNED, A.CLAIM): S.CLAIMED,
    (S.ESCALATED, A.CLAIM): S.CLAIMED,
    (S.CLAIMED, A.START): S.IN_PROGRESS,
    (S.REOPENED, A.START): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.RESOLVE): S.RESOLVED,
    (S.RESOLVED, A.REVIEW): S.REVIEWED,
    (S.RESOLVED, A.REOPEN): S.REOPENED,
    (S.REVIEWED, A.CLOSE): S.CLOSED,
    (S.RESOLVED, A.CLOSE): S.CLOSED,
    (S.REJECTED, A.CLOSE): S.CLOSED,
    # return: wrong routing, back to the dispatcher
    (S.ASSIGNED, A.RETURN): S.RETURNED,
    (S.CLAIMED, A.RETURN): S.RETURNED,
    (S.ESCALATED, A.RETURN): S.RETURNED,
    (S.SUBMITTED, A.REJECT): S.REJECTED,
    (S.RETURNED, A.REJECT): S.REJECTED,
    (S.SUBMITTED, A.MERGE): S.MERGED,
    (S.ASSIGNED, A.MERGE): S.MERGED,
    (S.RETURNED, A.MERGE): S.MERGED,
    (S.ESCALATED, A.MERGE): S.MERGED,
    # escalate one tier up (the level cap is a guard in the service)
    (S.SUBMITTED, A.ESCALATE): S.ESCALATED,
    (S.ASSIGNED, A.ESCALATE): S.ESCALATED,
    (S.CLAIMED, A.ESCALATE): S.ESCALATED,
    (S.IN_PROGRESS, A.ESCALATE): S.ESCALATED,
    (S.RETURNED, A.ESCALATE): S.ESCALATED,
    (S.REOPENED, A.ESCALATE): S.ESCALATED,
    (S.ESCALATED, A.ESCALATE): S.ESCALATED,
    (S.RESOLVED, A.ESCALATE): S.ESCALATED,  # a second unsatisfied review
    # refer: a sub-district leader puts it before a joint meeting (the next session's agenda); never by timer
    (S.SUBMITTED, A.REFER): S.ESCALATED,
    (S.ASSIGNED, A.REFER): S.ESCALATED,
    (S.CLAIMED, A.REFER): S.ESCALATED,
    (S.IN_PROGRESS, A.REFER): S.ESCALATED,
    (S.RETURNED, A.REFER): S.ESCALATED,
    (S.REOPENED, A.REFER): S.ESCALATED,
    (S.ESCALATED, A.REFER): S.ESCALATED,
    # route: place an unplaced (or returned) demand on a grid; the state stays
    (S.SUBMITTED, A.ROUTE): S.SUBMITTED,
    (S.RETURNED, A.ROUTE): S.RETURNED,
}

# Actions whose note (the reason) is required.
REASON_REQUIRED = frozenset({A.RETURN, A.REJECT, A.REOPEN, A.REFER})

# States in which work is still owed (deadlines run, the overdue job looks at them).
OPEN_STATES = frozenset(
    {S.SUBMITTED, S.ASSIGNED, S.CLAIMED, S.IN_PROGRESS, S.RETURNED, S.ESCALATED, S.REOPENED}
)
FINAL_STATES = frozenset({S.CLOSED, S.MERGED})

# A deadline extension is decided on an open demand; the category may be set until the demand is archived.
for _state in OPEN_STATES:
    TRANSITIONS[(_state, A.EXTEND)] = _state
for _state in set(State.values) - FINAL_STATES:
    TRANSITIONS[(_state, A.CATEGORIZE)] = _state
    TRANSITIONS[(_state, A.COMMENT)] = _state  # a public comment (an Open311 client's update) keeps the state


FLOW = Workflow(
    name="demand",
    model="demands.Demand",
    log_model="demands.DemandTransition",
    log_fk="demand",
    transitions=TRANSITIONS,
    states=State,
    actions=Action,
    reason_required=REASON_REQUIRED,
    refuse_unchanged=frozenset({A.ROUTE, A.ASSIGN, A.CATEGORIZE}),
    on_commit="gongzhi.demands.notify:after_transition",
    record_fields=lambda demand: {"escalation_level": demand.escalation_level},
)


def overdue_q(today) -> Q:
    """Open demands past their resolution deadline, or past their first-response deadline without a response."""
    return Q(state__in=OPEN_STATES) & (
        Q(due_on__lt=today) | Q(first_response_at__isnull=True, response_due_on__lt=today)
    )


def is_late(demand, today) -> bool:
    """`overdue_q` for one demand in memory: open and past a deadline today (whether or not the hourly check has
    flagged it yet)."""
    if demand.state not in OPEN_STATES:
        return False
    if demand.due_on is not None and demand.due_on < today:
        return True
    return demand.first_response_at is None and demand.response_due_on is not None and demand.response_due_on < today
