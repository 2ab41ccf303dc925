"""Who may do what with station load (the load part): everyone with `services.view` sees the load and the health
cabins of the places in their scope; station workers (`services.accept`) record and import the cabin's tallies of
the places in theirs."""

from __future__ import annotations

from gongzhi.accounts.roles import Capability as C
from gongzhi.accounts.scope import has_capability, scope_for

VIEW = C.VIEW_SERVICES
ACCEPT = C.ACCEPT_CASES


def may_record_tallies(user, place=None) -> bool:
    """Whether the user records tallies (at `place`, when given: it must lie in their scope)."""
    if not has_capability(user, ACCEPT):
        return False
    return place is None or scope_for(user, ACCEPT).covers_path(place.region.path)
