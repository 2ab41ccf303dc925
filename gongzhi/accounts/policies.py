"""Who may manage which accounts. Services ask `can` before they write; views and templates ask `actions` what to show.

An account manager (a sub-district administrator; a system administrator or superuser for everything) manages a user
when every role the user holds lies inside the manager's scope and ranks no higher than the manager's own managing
role. A user with a role elsewhere, a district or system role, or a Django staff flag belongs to someone higher up:
for this manager they do not exist (the selectors answer 404).

Subjects and their actions:
- `None` (the user list): "list", "create";
- a `User`: "view", "edit", "reset_password", "deactivate", "reactivate", "grant_role";
- a `RoleAssignment`: "grant" (an unsaved one: may it be created?), "remove".

Nobody changes their own roles or active state here (no self-promotion, no locking oneself out), and a manager whose
scope is not everything cannot remove a user's last role (the user would leave every manager's sight): deactivate
the account instead.
"""

from __future__ import annotations

from gongzhi.accounts.roles import ROLE_CAPABILITIES, ROLE_RANK, Capability
from gongzhi.accounts.scope import Scope, assignments, has_capability, scope_for

MANAGE = Capability.MANAGE_ACCOUNTS
TOP_RANK = max(ROLE_RANK.values())


def manage_scope(actor) -> Scope:
    return scope_for(actor, MANAGE)


def rank(actor) -> int:
    """The rank of the actor's highest managing role: the highest role they may grant."""
    if not has_capability(actor, MANAGE):
        return -1
    if actor.is_superuser:
        return TOP_RANK
    return max(ROLE_RANK.get(a.role, -1) for a in assignments(actor) if MANAGE in ROLE_CAPABILITIES.get(a.role, ()))


def grantable_roles(actor) -> list[str]:
    """The roles the actor may grant (anywhere inside their scope)."""
    top = rank(actor)
    return [role for role, r in ROLE_RANK.items() if r <= top]


def _anchor_path(assignment) -> str | None:
    if assignment.region_id:
        return assignment.region.path
    if assignment.member_unit_id:
        return assignment.member_unit.region.path
    return None


def within(actor, assignment) -> bool:
    """Does the role assignment (saved or not) lie inside what the actor manages: its scope and its rank?"""
    if ROLE_RANK.get(assignment.role, TOP_RANK + 1) > rank(actor):
        return False
    scope = manage_scope(actor)
    if scope.everything:
        return True
    if assignment.member_unit_id and assignment.member_unit_id in scope.unit_ids:
        return True
    path = _anchor_path(assignment)
    return path is not None and scope.covers_path(path)


def manages(actor, user) -> bool:
    """Is `user` one of the accounts the actor manages?"""
    if not has_capability(actor, MANAGE):
        return False
    if manage_scope(actor).everything:
        return True
    if user.is_superuser or user.is_staff:
        return False
    held = assignments(user)
    return bool(held) and all(within(actor, a) for a in held)


def actions(actor, subject) -> set[str]:
    from gongzhi.accounts.models import RoleAssignment, User

    if not has_capability(actor, MANAGE):
        return set()
    if subject is None:
        return {"list", "create"}
    if isinstance(subject, User):
        if not manages(actor, subject):
            return set()
        found = {"view", "edit"}
        if subject.pk != actor.pk:
            found |= {"reset_password", "grant_role", "reactivate" if not subject.is_active else "deactivate"}
        return found
    if isinstance(subject, RoleAssignment):
        user = subject.user
        if user.pk == actor.pk or not manages(actor, user) or not within(actor, subject):
            return set()
        if subject.pk is None:
            return {"grant"}
        if len(assignments(user)) > 1 or manage_scope(actor).everything:
            return {"remove"}
        return set()
    return set()


def can(actor, subject, action: str) -> bool:
    return action in actions(actor, subject)
