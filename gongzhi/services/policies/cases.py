"""Who may do what with one-window cases (一口受理). Services call these to refuse; views, templates and the API
call them to decide what to show. No other module repeats these rules.

* Cases are seen by whoever's ``services.view`` scope covers the case's place.
* Station workers (``services.accept`` over the place: area secretaries, the sub-district) open a case at a place
  for any active catalogue item (全岗通: the place need not offer it), take the supplied materials, complete an
  accepted case on the spot, forward it to the back office, make it ready for pickup, hand it over (pick up),
  withdraw it, and log remote sessions.
* The back office (``services.backoffice`` over the place: the sub-district) receives forwarded cases, sends them
  back for materials, and completes, makes ready or refuses the cases it handles (``processing``).
* Each action also needs the case's state to allow it (`gongzhi.services.workflow.CASE_FLOW`).

`SYSTEM` has every right. `can(actor, case, action)` answers for one action; `actions(actor, case)` lists them.
"""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.workflow import SYSTEM, is_user
from gongzhi.services.workflow import CASE_FLOW, CaseAction, CaseState

VIEW = Capability.VIEW_SERVICES
ACCEPT = Capability.ACCEPT_CASES
BACK_OFFICE = Capability.BACK_OFFICE

# the back office's own steps; complete and make_ready are the back office's on a processing case, the
# counter's on an accepted one
BACK_OFFICE_ACTIONS = frozenset({CaseAction.RECEIVE, CaseAction.SEND_BACK, CaseAction.REJECT})
SHARED_ACTIONS = frozenset({CaseAction.COMPLETE, CaseAction.MAKE_READY})
# the order buttons are shown in
ACTION_ORDER = (CaseAction.SUPPLY, CaseAction.COMPLETE, CaseAction.FORWARD, CaseAction.MAKE_READY,
                CaseAction.PICK_UP, CaseAction.RECEIVE, CaseAction.SEND_BACK, CaseAction.REJECT, CaseAction.WITHDRAW)


def _covers(actor, capability: str, place) -> bool:
    return actor is SYSTEM or (is_user(actor) and scope_for(actor, capability).covers_path(place.region.path))


def sees(actor, case) -> bool:
    """The actor may see the case."""
    return _covers(actor, VIEW, case.place)


def at_counter(actor, place) -> bool:
    """The actor works the counter of this place (opens cases there for any item)."""
    return _covers(actor, ACCEPT, place)


def accepts_any(actor) -> bool:
    return actor is SYSTEM or has_capability(actor, ACCEPT)


def in_back_office(actor, case) -> bool:
    """The actor is the back office for this case's place."""
    return _covers(actor, BACK_OFFICE, case.place)


def back_office_any(actor) -> bool:
    return actor is SYSTEM or has_capability(actor, BACK_OFFICE)


def can(actor, case, action: str) -> bool:
    """The actor may take `action` on `case` now (its state allows it and it is the actor's side's step)."""
    if actor is None or CASE_FLOW.target(case.state, action) is None:
        return False
    if action in BACK_OFFICE_ACTIONS:
        return in_back_office(actor, case)
    if action in SHARED_ACTIONS and case.state == CaseState.PROCESSING:
        return in_back_office(actor, case)
    return at_counter(actor, case.place)


def actions(actor, case) -> list[str]:
    """What the actor may do with `case` now, in a stable order."""
    return [a for a in ACTION_ORDER if can(actor, case, a)]


def may_log_remote(actor, case) -> bool:
    """Remote assistance (video or phone) is logged by the counter's staff on a case of their place."""
    return at_counter(actor, case.place)
