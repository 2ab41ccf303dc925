"""Reads for account management, always scoped by the reading manager (see `policies` for the rule).

The queryset of `managed_users` and `policies.manages` state the same rule, once in SQL and once in Python; the tests
check that they agree.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from gongzhi.accounts import policies
from gongzhi.accounts.models import RoleAssignment, User
from gongzhi.accounts.roles import ROLE_CAPABILITIES, ROLE_RANK
from gongzhi.accounts.scope import Scope, has_capability
from gongzhi.core.audit import HistoryRow
from gongzhi.core.crypto import lookup_hashes
from gongzhi.core.errors import NotFound
from gongzhi.core.masking import may_see_personal_data, personal_data_visible


def _assignments_within(actor) -> QuerySet:
    """The role assignments inside the actor's managing scope and rank."""
    allowed = [role for role, r in ROLE_RANK.items() if r <= policies.rank(actor)]
    scope: Scope = policies.manage_scope(actor)
    return scope.filter(RoleAssignment.objects.filter(role__in=allowed))


def managed_users(actor, *, q: str = "", role: str = "", active: str = "") -> QuerySet:
    """The accounts the actor manages, with their roles, optionally searched (username, name, phone) and filtered
    by role and by active ("1") / deactivated ("0")."""
    if not has_capability(actor, policies.MANAGE):
        return User.objects.none()
    users = User.objects.all()
    if not policies.manage_scope(actor).everything:
        inside = _assignments_within(actor)
        users = (users.filter(is_superuser=False, is_staff=False, pk__in=inside.values("user_id"))
                 .exclude(pk__in=RoleAssignment.objects.exclude(pk__in=inside.values("pk")).values("user_id")))
    if q:
        text = Q(username__icontains=q) | Q(display_name__icontains=q)
        if may_see_personal_data(actor):
            text |= Q(phone_hash__in=lookup_hashes(q))  # the phone is encrypted: whole numbers only
        users = users.filter(text)
    if role:
        users = users.filter(role_assignments__role=role).distinct()
    if active in ("0", "1"):
        users = users.filter(is_active=active == "1")
    held = RoleAssignment.objects.select_related("region", "member_unit__region").order_by("role", "pk")
    return users.prefetch_related(Prefetch("role_assignments", queryset=held)).order_by("username")


def managed_user(actor, pk) -> User:
    """One account the actor manages, or NotFound (missing and out of scope look the same)."""
    try:
        user = managed_users(actor).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found."))
    user._role_assignment_cache = list(user.role_assignments.all())  # prefetched: the policies reuse them
    return user


def managed_assignment(actor, pk) -> RoleAssignment:
    """One role assignment of an account the actor manages, or NotFound."""
    try:
        assignment = RoleAssignment.objects.select_related("user", "region", "member_unit__region").get(pk=pk)
    except (RoleAssignment.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found."))
    if not policies.can(actor, assignment.user, "view"):
        raise NotFound(_("Not found."))
    return assignment


def account_history(actor, user, limit: int = 50, *, revealed: bool = False) -> list[HistoryRow]:
    """The audited changes of one account and of its role assignments, newest first (personal data masked unless
    the page is `revealed`, gongzhi.core.reveal)."""
    masked = not personal_data_visible(actor, user, revealed=revealed)
    rows = [HistoryRow(when, User, hid, masked) for when, hid in
            User.history.filter(id=user.pk).values_list("history_date", "history_id")[:limit]]
    rows += [HistoryRow(when, RoleAssignment, hid, masked) for when, hid in
             RoleAssignment.history.filter(user_id=user.pk).values_list("history_date", "history_id")[:limit]]
    rows.sort(key=lambda r: r.when, reverse=True)
    return rows[:limit]


def role_regions(actor):
    """The region nodes a manager may anchor roles at, top-down."""
    from gongzhi.registry.models import Region

    return policies.manage_scope(actor).filter(Region.objects.order_by("path"))


def role_units(actor):
    """The member units a manager may anchor unit roles at."""
    from gongzhi.registry.models import MemberUnit

    return policies.manage_scope(actor).filter(MemberUnit.objects.select_related("region").order_by("name"))


def unit_staff(unit_id, capability: str | None = None) -> list[User]:
    """The active users holding a role anchored at a member unit (a firm's liaisons, a district department's
    staff), optionally only those whose role grants `capability`; each user once."""
    rows = RoleAssignment.objects.filter(member_unit_id=unit_id, user__is_active=True).select_related("user")
    users = [a.user for a in rows if capability is None or capability in ROLE_CAPABILITIES.get(a.role, ())]
    return list({u.pk: u for u in users}.values())
