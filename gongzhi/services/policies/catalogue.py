"""Who may do what with the service catalogue. Services call these to refuse; views, templates and the API call them
to decide what to show.

* The catalogue is public: anyone (no account) reads the active items on the H5 pages and the public API.
* Staff with ``services.view`` see the city-wide items and the own items of the regions in (or above) their scope,
  inactive ones too.
* ``services.manage`` (the sub-district) creates and edits items and categories and (de)activates items: the
  city-wide items (kept simple: any catalogue manager), and the own items of the regions in its scope.
"""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.workflow import SYSTEM, is_user

VIEW = Capability.VIEW_SERVICES
MANAGE = Capability.MANAGE_SERVICES


def manages_catalogue(actor) -> bool:
    """The actor manages the catalogue at all (categories, city-wide items)."""
    return actor is SYSTEM or (is_user(actor) and has_capability(actor, MANAGE))


def may_place(actor, region) -> bool:
    """The actor may own an item at `region` (None: the city-wide catalogue)."""
    if not manages_catalogue(actor):
        return False
    if actor is SYSTEM or region is None:
        return True
    return scope_for(actor, MANAGE).covers_path(region.path)


def manages(actor, item) -> bool:
    """The actor may edit (and deactivate) this item."""
    return may_place(actor, item.region if item.region_id else None)
