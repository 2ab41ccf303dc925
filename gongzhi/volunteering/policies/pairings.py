"""Who may do what with pairings and cohorts. Services call these to refuse; views, templates and the API to show
buttons. No other module repeats these rules.

* Staff with ``volunteering.view`` over a pairing's region see it (and its contacts); a cohort likewise.
* Staff with ``volunteering.manage`` over the region create and end pairings, edit the sub-district's rules
  (capacity, contact interval) and run cohorts (checklist, participants, progress).
* The anchor's own people, the party member's account or the anchored unit's liaisons, see their pairings and
  record contacts on them (without any volunteering capability).
* `SYSTEM` has every right (the alerts job, the demo).
"""

from __future__ import annotations

from gongzhi.accounts.roles import Capability, Role
from gongzhi.accounts.scope import assignments, has_capability, scope_for
from gongzhi.core.workflow import SYSTEM, is_user
from gongzhi.volunteering.workflow import PairingState

VIEW = Capability.VIEW_VOLUNTEERING
MANAGE = Capability.MANAGE_VOLUNTEERING


def liaison_unit_ids(user) -> set[int]:
    """The member units whose liaison the user is."""
    if not is_user(user) or not getattr(user, "is_authenticated", False):
        return set()
    return {a.member_unit_id for a in assignments(user) if a.role == Role.UNIT_LIAISON and a.member_unit_id}


def is_anchor_user(user, pairing) -> bool:
    """The user is the pairing's anchor: its party member's account, or a liaison of its unit."""
    if not is_user(user) or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if pairing.member_id:
        return pairing.member.user_id == user.pk
    return pairing.unit_id in liaison_unit_ids(user)


def _covers(actor, capability: str, region) -> bool:
    return actor is SYSTEM or (is_user(actor) and scope_for(actor, capability).covers_path(region.path))


def sees(actor, pairing) -> bool:
    return _covers(actor, VIEW, pairing.region) or is_anchor_user(actor, pairing)


def manages(actor, region) -> bool:
    """The actor creates and ends pairings, edits rules and runs cohorts in `region`."""
    return _covers(actor, MANAGE, region)


def manages_any(actor) -> bool:
    return actor is SYSTEM or has_capability(actor, MANAGE)


def views_any(actor) -> bool:
    return actor is SYSTEM or has_capability(actor, VIEW)


def may_record_contact(actor, pairing) -> bool:
    return pairing.state == PairingState.ACTIVE and (manages(actor, pairing.region) or is_anchor_user(actor, pairing))


def may_end(actor, pairing) -> bool:
    return pairing.state == PairingState.ACTIVE and manages(actor, pairing.region)


def sees_cohort(actor, cohort) -> bool:
    return _covers(actor, VIEW, cohort.region)


def runs_cohort(actor, cohort) -> bool:
    return manages(actor, cohort.region)
