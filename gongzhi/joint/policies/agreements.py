"""Who may do what with co-building agreements and 众筹共建 projects. Services call these to refuse; views,
templates and the API call them to decide what to show.

* Staff see agreements and projects whose sub-district their ``joint.view`` scope covers (the sub-district's
  staff, the district viewer); a district department sees those its unit is party to (its role is anchored at
  the unit, and the models' ``scope_unit_lookups`` name the parties).
* The liaisons of a member unit (``unit_liaison``, anchored at the unit) read the agreements their unit is party to
  and the projects it pledged to, and nothing else of joint building: they hold no ``joint.view`` (which would open
  platforms, sessions and visits to them), so their unit scope is added here, for this part only.
* ``joint.manage`` over the sub-district (the sub-district administrator) draws up, signs, expires, renews and
  cancels agreements, records progress reports, opens projects and records pledges.

`SYSTEM` has every right.
"""

from __future__ import annotations

from gongzhi.accounts.roles import Capability, Role
from gongzhi.accounts.scope import Scope, assignments, has_capability, scope_for
from gongzhi.core.workflow import SYSTEM, is_user
from gongzhi.joint.models import Agreement, CrowdProject
from gongzhi.joint.workflow_agreements import (
    AGREEMENT_FLOW,
    REPORTING_STATES,
    AgreementAction,
    AgreementState,
)

VIEW = Capability.VIEW_JOINT
MANAGE = Capability.MANAGE_JOINT


def liaison_unit_ids(user) -> frozenset[int]:
    """The member units the user is a liaison of."""
    if not is_user(user) or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return frozenset(a.member_unit_id for a in assignments(user) if a.role == Role.UNIT_LIAISON and a.member_unit_id)


def view_scope(user) -> Scope:
    """Where the user reads agreements and projects: the ``joint.view`` scope, plus the units they are liaison of."""
    base = scope_for(user, VIEW)
    units = liaison_unit_ids(user)
    if not units or base.everything:
        return base
    return Scope(region_paths=base.region_paths, unit_ids=base.unit_ids | units)


def sees_any(user) -> bool:
    return not view_scope(user).is_empty


def manages_any(actor) -> bool:
    return actor is SYSTEM or has_capability(actor, MANAGE)


def manages_region(actor, region) -> bool:
    return actor is SYSTEM or (is_user(actor) and scope_for(actor, MANAGE).covers_path(region.path))


def manages(actor, subject) -> bool:
    """The actor runs joint building where the agreement or project is."""
    return manages_region(actor, subject.region)


def can(actor, subject, action: str) -> bool:
    """The actor may take `action` on `subject` (an Agreement or a CrowdProject) now."""
    if actor is None:
        return False
    if isinstance(subject, CrowdProject):
        return action == "pledge" and manages(actor, subject)
    if not isinstance(subject, Agreement) or not manages(actor, subject):
        return False
    if action == "edit":
        return subject.state == AgreementState.DRAFT
    if action == "report":
        return subject.state in REPORTING_STATES
    if action == AgreementAction.RENEW:
        return AGREEMENT_FLOW.target(subject.state, action) is not None and not has_renewal(subject)
    return action in AgreementAction.values and AGREEMENT_FLOW.target(subject.state, action) is not None


def has_renewal(agreement: Agreement) -> bool:
    return Agreement.objects.filter(previous=agreement).exists()


def actions(actor, subject) -> list[str]:
    """What the actor may do with `subject` now, in a stable order."""
    if isinstance(subject, CrowdProject):
        names = ["pledge"]
    else:
        names = ["edit", "report", *AGREEMENT_FLOW.actions_from(subject.state)]
    return [a for a in names if can(actor, subject, a)]
