"""Who may do what with offers, working plans, booking rules and the roster (the offers part).

Staff with `services.view` see the places in their scope; `services.manage` (the sub-district) manages a place in
its scope: what it offers, its working plan, its booking rules and its roster. Only a holder of `services.accept`
whose scope covers the place may be on its roster (any worker on duty accepts any item: 全岗通)."""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.workflow import is_user

VIEW = Capability.VIEW_SERVICES
ACCEPT = Capability.ACCEPT_CASES
MANAGE = Capability.MANAGE_SERVICES


def _covers(user, capability: str, place) -> bool:
    return has_capability(user, capability) and scope_for(user, capability).covers_path(place.region.path)


def may_view(user, place) -> bool:
    return _covers(user, VIEW, place)


def may_manage(actor, place) -> bool:
    """The actor manages this place (the system, e.g. the demo, manages every place)."""
    return not is_user(actor) or _covers(actor, MANAGE, place)


def may_be_on_duty(user, place) -> bool:
    """The user may serve at the counter of this place: `services.accept` in a scope covering it."""
    return is_user(user) and user.is_active and _covers(user, ACCEPT, place)
