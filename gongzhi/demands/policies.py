"""Who may do what with a demand: the one place these rules live.

Services call `authorize` (or `can`) to refuse; views, the API, templates and the claim board call `actions`,
`can` and `member_claimable_q` to decide what to show. The table of states (`workflow.FLOW`) says which actions
exist in a state; these rules say which of them this actor may take.

Rules:
* ``route``, ``assign``, ``merge``, ``reject``, ``close``: `demands.assign` in the demand's scope. A demand is
  assigned to someone who handles demands in its scope or to a party member serving its grid (`may_take_on`).
* ``claim``: `demands.handle` in scope, or being the demand's assignee or claimer; or a party member claiming a
  new, unassigned, non-enterprise item of their own grid at the first tier (亮承诺).
* ``start``, ``resolve``, ``return``, ``escalate``, ``request_extension``: `demands.handle` in scope or being the
  assignee or claimer. Escalation, by hand or by the overdue timer, stops at the sub-district (`MAX_LEVEL`).
* ``refer`` (to a joint meeting, level 3): `demands.refer` (a sub-district leader) in scope; the only way a demand
  gets above the sub-district. A unit handling it for the joint meeting (`handling_unit`, e.g. a district
  department) handles it through `demands.handle` anchored at that unit.
* ``decide_extension``: `demands.approve` in scope. ``categorize``: `demands.assign` in scope.
* ``review``, ``reopen``: the submitter (tracking code and phone digits), never a staff account.
* ``comment`` (a public comment): the Open311 client's service account that recorded the demand, or
  `demands.handle` in scope.
* The system (`SYSTEM`) may take every action the table allows.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.accounts.scope import scope_for
from gongzhi.core.errors import NotFound
from gongzhi.core.workflow import SUBMITTER, SYSTEM, is_user
from gongzhi.demands.models import Channel, Demand, EscalationLevel, Priority
from gongzhi.demands.workflow import FLOW, OPEN_STATES, Action, State

ASSIGN_ACTIONS = frozenset({Action.ROUTE, Action.ASSIGN, Action.MERGE, Action.REJECT, Action.CLOSE,
                            Action.CATEGORIZE})
HANDLE_ACTIONS = frozenset({Action.START, Action.RESOLVE, Action.RETURN, Action.ESCALATE})
SUBMITTER_ACTIONS = frozenset({Action.REVIEW, Action.REOPEN})
# Actions that are not transitions of the table but are offered on the demand page.
REQUEST_EXTENSION = "request_extension"
DECIDE_EXTENSION = "decide_extension"
MAX_LEVEL = 2  # the highest tier escalation reaches: the sub-district (EscalationLevel.SUBDISTRICT)


def in_scope(user, demand: Demand, capability: str) -> bool:
    """The demand lies in the user's scope for `capability` (the same rule as `accounts.scope`, in memory)."""
    if not is_user(user):
        return False
    scope = scope_for(user, capability)
    if scope.everything:
        return True
    if any(unit and unit in scope.unit_ids for unit in (demand.member_unit_id, demand.handling_unit_id)):
        return True
    paths = [demand.region.path] + ([demand.grid.path] if demand.grid_id else [])
    return any(scope.covers_path(p) for p in paths)


def is_handler(user, demand: Demand) -> bool:
    return is_user(user) and user.pk in (demand.assignee_id, demand.claimed_by_id)


def may_see(user, demand: Demand) -> bool:
    return is_handler(user, demand) or in_scope(user, demand, C.VIEW_DEMANDS) or member_may_claim(user, demand)


def _member(user):
    return getattr(user, "party_member", None) if is_user(user) and user.is_authenticated else None


def member_claimable_q(user) -> Q:
    """The demands a party member may claim publicly: new, unassigned, non-enterprise items of their grid at the
    first tier. `member_may_claim` is the same rule for one demand."""
    member = _member(user)
    if member is None or not member.grid_id:
        return Q(pk__in=[])
    return (Q(grid_id=member.grid_id, state=State.SUBMITTED, escalation_level=0)
            & ~Q(channel=Channel.ENTERPRISE, member_unit__isnull=False))


def grid_member(user, demand: Demand) -> bool:
    """A party member serving the demand's grid, and the demand is a resident's (not an enterprise's)."""
    member = _member(user)
    return (member is not None and bool(member.grid_id) and member.grid_id == demand.grid_id
            and not demand.is_enterprise)


def may_take_on(user, demand: Demand) -> bool:
    """Someone the demand can be handed to (派单): a person who handles demands in its scope, or a party member
    serving its grid (a resident's demand), who then opens it, claims it and works it as its assignee."""
    return in_scope(user, demand, C.HANDLE_DEMANDS) or grid_member(user, demand)


def member_may_claim(user, demand: Demand) -> bool:
    return grid_member(user, demand) and demand.state == State.SUBMITTED and demand.escalation_level == 0


def has_right(actor, demand: Demand, action: str) -> bool:
    """The actor's right to `action` on this demand, whatever its state (the role and scope part of `can`)."""
    if actor is SYSTEM:
        return True
    if action in SUBMITTER_ACTIONS:
        return actor is SUBMITTER
    if not is_user(actor):
        return False
    if action == REQUEST_EXTENSION:
        return is_handler(actor, demand) or in_scope(actor, demand, C.HANDLE_DEMANDS)
    if action == DECIDE_EXTENSION:
        return in_scope(actor, demand, C.APPROVE_DEMANDS)
    if action in ASSIGN_ACTIONS:
        return in_scope(actor, demand, C.ASSIGN_DEMANDS)
    if action == Action.REFER:
        return in_scope(actor, demand, C.REFER_DEMANDS)
    if action == Action.CLAIM:
        return (is_handler(actor, demand) or in_scope(actor, demand, C.HANDLE_DEMANDS)
                or grid_member(actor, demand))
    if action in HANDLE_ACTIONS:
        return is_handler(actor, demand) or in_scope(actor, demand, C.HANDLE_DEMANDS)
    if action == Action.COMMENT:
        return ((demand.channel == Channel.OPEN311 and demand.recorded_by_id == actor.pk)
                or in_scope(actor, demand, C.HANDLE_DEMANDS))
    return False


def claims_as_member(actor, demand: Demand) -> bool:
    """The actor would claim as a party member of the grid (亮承诺), not as a handler."""
    return (is_user(actor) and not is_handler(actor, demand) and not in_scope(actor, demand, C.HANDLE_DEMANDS)
            and grid_member(actor, demand))


def can(actor, demand: Demand, action: str) -> bool:
    """May `actor` take `action` on `demand` now? (The state table and the actor's rights, both.)"""
    if action == REQUEST_EXTENSION:
        return demand.state in OPEN_STATES and has_right(actor, demand, action)
    if action == DECIDE_EXTENSION:
        return has_right(actor, demand, action)
    if FLOW.target(demand.state, action) is None:
        return False
    if action == Action.ESCALATE and demand.escalation_level >= MAX_LEVEL:
        return False
    if action == Action.REFER and demand.escalation_level >= EscalationLevel.JOINT_MEETING:
        return False
    if action == Action.CLAIM and claims_as_member(actor, demand):
        return member_may_claim(actor, demand)
    return has_right(actor, demand, action)


ORDER = (Action.ROUTE, Action.ASSIGN, Action.CLAIM, Action.START, Action.RESOLVE, Action.RETURN, Action.ESCALATE,
         Action.REJECT, Action.MERGE, Action.CLOSE)


def actions(actor, demand: Demand) -> list[str]:
    """The actions `actor` may take on `demand` now, in the order the demand page shows them."""
    out = [str(a) for a in ORDER if can(actor, demand, a)]
    if Action.ROUTE in out and demand.grid_id is not None:  # an unplaced demand is routed first, a placed one last
        out.remove(Action.ROUTE)
        out.insert(len(out) if Action.ASSIGN not in out else out.index(Action.ASSIGN) + 1, str(Action.ROUTE))
    if can(actor, demand, REQUEST_EXTENSION):
        out.append("extend")
    return out


def authorize(actor, demand: Demand, action: str) -> None:
    """Refuse an action the actor has no right to: NotFound (out of scope and missing look the same). An action
    the actor has the right to but the demand's state does not allow is left to the writer, which explains it."""
    if not has_right(actor, demand, action):
        raise NotFound()


# --- Intake: who may record what ----------------------------------------------------------------------------

PUBLIC_CHANNELS = frozenset({Channel.WEB})


def records_for_others(actor) -> bool:
    """Staff who take demands in for residents (walk-ins, calls, patrols…): whoever handles demands somewhere, or
    a unit liaison for their unit. Anonymous visitors, residents, party members and viewers only report their own
    problem, through the web/H5 channel."""
    if not is_user(actor) or not getattr(actor, "is_authenticated", False):
        return False
    return not scope_for(actor, C.HANDLE_DEMANDS).is_empty or bool(scope_for(actor, C.VIEW_DEMANDS).unit_ids)


def intake_errors(actor, *, channel: str, priority: str, member_unit=None, building=None) -> dict[str, list[str]]:
    """Field errors for a demand `actor` (None when anonymous) would record, by role and scope:

    * anonymous visitors, residents, party members and anyone else who does not record for others: the web/H5
      channel, normal priority, no member unit (enterprise demands come through their liaison);
    * staff: any staff channel and priority, a building inside the scope where they handle demands, and a member
      unit they represent or whose region lies in that scope.
    """
    errors: dict[str, list[str]] = {}
    if not records_for_others(actor):
        if channel not in PUBLIC_CHANNELS:
            errors["channel"] = [_("Residents report through the web/H5 channel.")]
        if priority != Priority.NORMAL:
            errors["priority"] = [_("Only staff set a priority; residents' demands start as normal.")]
        if member_unit is not None:
            errors["member_unit"] = [_("Enterprise demands are recorded by their liaison.")]
        return errors
    handle = scope_for(actor, C.HANDLE_DEMANDS)
    units = scope_for(actor, C.VIEW_DEMANDS).unit_ids
    if member_unit is not None and member_unit.pk not in units and not (
            member_unit.region_id and handle.covers_path(member_unit.region.path)):
        errors["member_unit"] = [_("Choose a member unit in your scope.")]
    if building is not None and not handle.covers_path(building.region.path) and not (
            member_unit is not None and member_unit.building_id == building.pk and "member_unit" not in errors):
        errors["building"] = [_("Choose a building in your scope.")]
    return errors
