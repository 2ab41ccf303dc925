"""Who may do what with meetings, requirements and study records. Services call these to refuse; views,
templates and the API call them to decide what to show. No other module repeats these rules.

* Meetings, compliance and study records are seen within the ``orglife.view`` scope (the organization's region,
  or its member unit for a unit's own organization).
* Meetings (with attendance and photos) and study records are recorded and edited within the ``orglife.record``
  scope: the area secretary for the organizations of their area, the sub-district for all of its own.
* The required frequencies (MeetingRequirement) are set by ``orglife.manage`` for a region in its scope.

`SYSTEM` may do everything.
"""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.workflow import SYSTEM, is_user

VIEW = Capability.VIEW_ORGLIFE
RECORD = Capability.RECORD_ORGLIFE
MANAGE = Capability.MANAGE_ORGLIFE


def _covers(actor, capability: str, org) -> bool:
    if actor is SYSTEM:
        return True
    if not is_user(actor):
        return False
    scope = scope_for(actor, capability)
    return scope.covers_path(org.region.path) or (org.member_unit_id is not None and org.member_unit_id in
                                                  scope.unit_ids)


def sees_org(actor, org) -> bool:
    return _covers(actor, VIEW, org)


def records_for(actor, org) -> bool:
    """Records meetings and studies of this organization."""
    return _covers(actor, RECORD, org)


def may_record(actor) -> bool:
    return actor is SYSTEM or has_capability(actor, RECORD)


def sees(actor, meeting) -> bool:
    return sees_org(actor, meeting.org)


def may_edit(actor, meeting) -> bool:
    return records_for(actor, meeting.org)


def may_manage_requirements(actor) -> bool:
    return actor is SYSTEM or has_capability(actor, MANAGE)


def manages_region(actor, region) -> bool:
    return actor is SYSTEM or (is_user(actor) and scope_for(actor, MANAGE).covers_path(region.path))
