"""Who may do what with volunteers and their hours ledger. Services call these to refuse; views, templates and the
API call them to decide what to show. No other module repeats these rules.

* Volunteers are seen by whoever's ``volunteering.view`` scope covers the volunteer's region (staff of the
  sub-district and the areas, the district viewer). A unit's liaison (``volunteering.organise`` anchored at their
  unit) sees the unit's own staff volunteers.
* Staff with ``volunteering.manage`` over the region register volunteers there, edit and deactivate them, and
  post corrections to their hours ledger.
* A linked party member or member unit must lie in the manager's scope too.

`SYSTEM` has every right.
"""

from __future__ import annotations

from django.db.models import Q

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.workflow import SYSTEM, is_user

VIEW = Capability.VIEW_VOLUNTEERING
MANAGE = Capability.MANAGE_VOLUNTEERING
ORGANISE = Capability.ORGANISE_ACTIVITIES


def _covers(actor, capability: str, region) -> bool:
    return actor is SYSTEM or (is_user(actor) and region is not None
                               and scope_for(actor, capability).covers_path(region.path))


def unit_ids(actor) -> frozenset[int]:
    """The member units whose staff volunteers the actor sees as their unit's liaison."""
    return scope_for(actor, ORGANISE).unit_ids if is_user(actor) else frozenset()


def visible_q(actor, model) -> Q:
    """The volunteers (or rows reaching a volunteer through ``volunteer__``) the actor sees."""
    prefix = "" if model._meta.model_name == "volunteer" else "volunteer__"
    q = scope_for(actor, VIEW).q(model) if is_user(actor) else Q(pk__in=[])
    if units := unit_ids(actor):
        q |= Q(**{f"{prefix}member_unit_id__in": units})
    return q


def sees_any(actor) -> bool:
    """The actor may open the volunteers' register at all."""
    return actor is SYSTEM or has_capability(actor, VIEW) or bool(unit_ids(actor))


def sees(actor, volunteer) -> bool:
    return (_covers(actor, VIEW, volunteer.region)
            or (volunteer.member_unit_id is not None and volunteer.member_unit_id in unit_ids(actor)))


def manages_any(actor) -> bool:
    return actor is SYSTEM or has_capability(actor, MANAGE)


def manages_region(actor, region) -> bool:
    """The actor may register volunteers in `region`."""
    return _covers(actor, MANAGE, region)


def may_edit(actor, volunteer) -> bool:
    """Edit, deactivate or reactivate the volunteer."""
    return manages_region(actor, volunteer.region)


def may_correct(actor, volunteer) -> bool:
    """Post a correction to the volunteer's hours ledger."""
    return manages_region(actor, volunteer.region)


def may_link_member(actor, member) -> bool:
    """A party member the actor may link to a volunteer: one in their ``volunteering.manage`` scope."""
    if actor is SYSTEM:
        return True
    from gongzhi.registry.models import PartyMember

    return is_user(actor) and scope_for(actor, MANAGE).filter(PartyMember.objects.filter(pk=member.pk)).exists()


def may_link_unit(actor, unit) -> bool:
    return _covers(actor, MANAGE, unit.region)
