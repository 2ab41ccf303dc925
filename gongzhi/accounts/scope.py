"""The one scoping mechanism: every list, detail page, export and API endpoint goes through here.

A user's scope for a capability is the union of the region subtrees and member units of the
role assignments whose role grants that capability. Scoped models declare how they reach a
region path (`scope_region_lookups`) and, optionally, a member unit (`scope_unit_lookups`).
An object outside the scope is reported exactly like a missing one: `NotFound`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from gongzhi.accounts.roles import ROLE_CAPABILITIES, Role
from gongzhi.core.errors import Forbidden, NotFound


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    region_paths: tuple[str, ...] = ()
    unit_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.region_paths or self.unit_ids)

    def covers_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.region_paths)

    def q(self, model: type[Model]) -> Q:
        """A filter selecting the rows of `model` inside this scope."""
        if self.everything:
            return Q()
        parts: list[Q] = []
        for lookup in getattr(model, "scope_region_lookups", ()):
            parts.extend(Q(**{f"{lookup}__startswith": path}) for path in self.region_paths)
        if self.unit_ids:
            parts.extend(Q(**{f"{lookup}__in": self.unit_ids}) for lookup in getattr(model, "scope_unit_lookups", ()))
        if not parts:
            return Q(pk__in=[])
        return reduce(or_, parts)

    def filter(self, queryset: QuerySet) -> QuerySet:
        if self.everything:
            return queryset
        qs = queryset.filter(self.q(queryset.model))
        # Only models reached through a many-valued relation can repeat rows.
        return qs.distinct() if getattr(queryset.model, "scope_needs_distinct", False) else qs


def assignments(user):
    """The user's role assignments (regions selected), loaded once per user object."""
    cache = getattr(user, "_role_assignment_cache", None)
    if cache is None:
        cache = list(user.role_assignments.select_related("region"))
        user._role_assignment_cache = cache
    return cache


def roles_of(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return {a.role for a in assignments(user)}


def has_capability(user, capability: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(capability in ROLE_CAPABILITIES.get(a.role, ()) for a in assignments(user))


def scope_for(user, capability: str) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    paths: set[str] = set()
    units: set[int] = set()
    for a in assignments(user):
        if capability not in ROLE_CAPABILITIES.get(a.role, ()):
            continue
        if a.role == Role.SYSTEM_ADMIN:
            return Scope(everything=True)
        if a.region_id:
            paths.add(a.region.path)
        if a.member_unit_id:
            units.add(a.member_unit_id)
    # Drop paths already covered by a shorter one.
    kept = tuple(sorted(p for p in paths if not any(p != q and p.startswith(q) for q in paths)))
    return Scope(region_paths=kept, unit_ids=frozenset(units))


def require_capability(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise Forbidden(_("You do not have permission to do this."))


def scoped(user, queryset_or_model, capability: str) -> QuerySet:
    """The rows the user may see (or edit, with an edit capability)."""
    qs = queryset_or_model if isinstance(queryset_or_model, QuerySet) else queryset_or_model._default_manager.all()
    return scope_for(user, capability).filter(qs)


def access(user, queryset_or_model, capability: str, **lookup):
    """One object inside the user's scope, or NotFound (missing and out-of-scope look the same)."""
    qs = scoped(user, queryset_or_model, capability)
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found."))
