"""Organization life: the coverage part's policies. Services call these to refuse; views, templates and the API
call them to decide what to show. No other module repeats these rules.

* Coverage (the figures, the uncovered list, the trend, joint coverage and instructor assignments) is seen by
  whoever's ``orglife.view`` scope covers the unit's region (the sub-district's and areas' staff, the district
  viewer).
* Staff with ``orglife.manage`` over a unit's region (the sub-district) record that a 联合党委 takes the unit in,
  assign a 党建指导员 to it, and end either.

`SYSTEM` has every right.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.errors import Forbidden
from gongzhi.core.workflow import SYSTEM, is_user

VIEW = Capability.VIEW_ORGLIFE
MANAGE = Capability.MANAGE_ORGLIFE


def _covers(actor, capability: str, region) -> bool:
    return actor is SYSTEM or (is_user(actor) and region is not None
                               and scope_for(actor, capability).covers_path(region.path))


def sees_any(actor) -> bool:
    return actor is SYSTEM or has_capability(actor, VIEW)


def require_view(actor) -> None:
    if not sees_any(actor):
        raise Forbidden(_("You do not have permission to do this."))


def manages_any(actor) -> bool:
    return actor is SYSTEM or has_capability(actor, MANAGE)


def require_manage(actor) -> None:
    if not manages_any(actor):
        raise Forbidden(_("You do not have permission to do this."))


def manages_unit(actor, unit) -> bool:
    """Record coverage of `unit` (a joint committee taking it in, an instructor assigned)."""
    return _covers(actor, MANAGE, unit.region)


def manages_org(actor, org) -> bool:
    return _covers(actor, MANAGE, org.region)


def may_end(actor, row) -> bool:
    """End a joint coverage or an instructor's term: a manager of the unit, while it is not ended yet."""
    ended = getattr(row, "until", None) if hasattr(row, "until") else getattr(row, "ended_on", None)
    return ended is None and manages_unit(actor, row.unit)
