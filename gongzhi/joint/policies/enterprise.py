"""Who may do what with liaison visits (the enterprise part): `joint.visit` (building liaisons, the sub-district
administrator) records visits of firms in its scope and follows them up; `joint.view` reads them."""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.joint.workflow_enterprise import VISIT_FLOW, VisitAction

VIEW, VISIT = Capability.VIEW_JOINT, Capability.VISIT_UNITS


def may_record(user) -> bool:
    return has_capability(user, VISIT)


def covers_unit(user, unit) -> bool:
    """The firm lies in the user's `joint.visit` scope (by its region, or as one of the user's own units)."""
    scope = scope_for(user, VISIT)
    return unit.pk in scope.unit_ids or bool(unit.region_id and scope.covers_path(unit.region.path))


def may_follow_up(user, visit) -> bool:
    return covers_unit(user, visit.member_unit)


def actions(user, visit) -> list[str]:
    """The follow-up steps `user` may take on `visit` now (and `raise_demand`)."""
    if not may_follow_up(user, visit):
        return []
    return [*VISIT_FLOW.actions_from(visit.state), VisitAction.RAISE_DEMAND]
