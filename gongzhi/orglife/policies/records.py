"""Who may do what with members' yearly records, the "四先" record, democratic appraisals and mobile members.
Services call these to refuse; views, templates and the API call them to decide what to show.

* A member's yearly record is seen by staff whose ``orglife.view`` scope covers the member (their organization's
  region, or the residential area they registered at as a working member), and by the member themself through
  their own account (``/orglife/me/``, no capability).
* Staff with ``orglife.record`` over the member's organization flag "四先" contributions, record appraisal
  results and keep the mobile members' records and contact log.

`SYSTEM` has every right.
"""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.workflow import SYSTEM, is_user

VIEW = Capability.VIEW_ORGLIFE
RECORD = Capability.RECORD_ORGLIFE


def _covers(actor, capability: str, region) -> bool:
    return actor is SYSTEM or (is_user(actor) and region is not None
                               and scope_for(actor, capability).covers_path(region.path))


def sees_any(actor) -> bool:
    return actor is SYSTEM or has_capability(actor, VIEW)


def records_any(actor) -> bool:
    return actor is SYSTEM or has_capability(actor, RECORD)


def is_own(actor, member) -> bool:
    """The member themself, through the account linked to their record."""
    return is_user(actor) and member.user_id is not None and member.user_id == actor.pk


def may_record(actor, member) -> bool:
    """Flag a "四先", record an appraisal result, keep the mobile record of `member`: ``orglife.record`` over the
    member's organization."""
    return _covers(actor, RECORD, member.organization.region)


def may_record_org(actor, org) -> bool:
    return _covers(actor, RECORD, org.region)
