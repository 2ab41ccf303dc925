"""Who may do what with a platform's sessions and decisions. Services call these to refuse; views, templates and
the API call them to decide what to show. No other module repeats these rules.

* Sessions, their agendas, attendance, minutes and decisions are seen by whoever's ``joint.view`` scope covers the
  platform's region (`sees`); a decision also by the staff of its owner unit (a district department's staff see
  the decisions their department owns, `owns`).
* ``joint.manage`` over the platform's region (the sub-district's leaders and staff, `manages`) plans, holds,
  minutes and cancels sessions, builds their agendas, signs attendees in and records decisions.
* A decision is started and completed by its owner unit's staff or by the managers; only the managers cancel
  it. A decision that handed a referred demand to its owner unit is completed by the demand's resolution (the
  system), never by hand.
"""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.workflow import SYSTEM, is_user
from gongzhi.joint.workflow import (
    DECISION_FLOW,
    SESSION_FLOW,
    DecisionAction,
    SessionAction,
    SessionState,
)

VIEW = Capability.VIEW_JOINT
MANAGE = Capability.MANAGE_JOINT

# actions on a session besides its workflow's (they keep its state)
AGENDA = "agenda"  # add items to the agenda
SIGN_IN = "sign_in"  # sign attendees in at the desk
MINUTES = "minutes"  # write the minutes (before they are published)
DECIDE = "decide"  # record a decision
SESSION_ACTIONS = (AGENDA, SIGN_IN, MINUTES, DECIDE, SessionAction.HOLD, SessionAction.PUBLISH_MINUTES,
                   SessionAction.CANCEL)
SESSION_STATES = {
    AGENDA: frozenset({SessionState.PLANNED, SessionState.HELD}),
    SIGN_IN: frozenset({SessionState.PLANNED, SessionState.HELD}),
    MINUTES: frozenset({SessionState.HELD}),
    DECIDE: frozenset({SessionState.HELD}),
}
DECISION_ACTIONS = (DecisionAction.START, DecisionAction.COMPLETE, DecisionAction.CANCEL)
OWNER_ACTIONS = frozenset({DecisionAction.START, DecisionAction.COMPLETE})


def _path(platform) -> str:
    return platform.region.path


def may_view(user) -> bool:
    return has_capability(user, VIEW)


def may_manage_any(user) -> bool:
    return has_capability(user, MANAGE)


def sees_platform(actor, platform) -> bool:
    if actor is SYSTEM:
        return True
    return is_user(actor) and scope_for(actor, VIEW).covers_path(_path(platform))


def manages(actor, platform) -> bool:
    """joint.manage over the platform's region."""
    if actor is SYSTEM:
        return True
    return is_user(actor) and scope_for(actor, MANAGE).covers_path(_path(platform))


def owns(actor, decision) -> bool:
    """The actor works for the decision's owner unit (anchored at it with joint.view, e.g. a district department)."""
    return is_user(actor) and decision.owner_unit_id in scope_for(actor, VIEW).unit_ids


def session_state_allows(session, action: str) -> bool:
    if action in SESSION_STATES:
        return session.state in SESSION_STATES[action]
    return SESSION_FLOW.target(session.state, action) is not None


def can_session(actor, session, action: str) -> bool:
    return session_state_allows(session, action) and manages(actor, session.platform)


def session_actions(actor, session) -> list[str]:
    return [str(a) for a in SESSION_ACTIONS if can_session(actor, session, a)]


def handed_demand(decision) -> bool:
    """The decision handed a referred demand to its owner unit (the demand's resolution completes it)."""
    return decision.agenda_item_id is not None and decision.agenda_item.demand_id is not None


def has_decision_right(actor, decision, action: str) -> bool:
    if manages(actor, decision.session.platform):
        return True
    return action in OWNER_ACTIONS and owns(actor, decision)


def can_decision(actor, decision, action: str) -> bool:
    if DECISION_FLOW.target(decision.state, action) is None:
        return False
    if action == DecisionAction.COMPLETE and handed_demand(decision) and actor is not SYSTEM:
        return False
    return has_decision_right(actor, decision, action)


def decision_actions(actor, decision) -> list[str]:
    return [str(a) for a in DECISION_ACTIONS if can_decision(actor, decision, a)]
