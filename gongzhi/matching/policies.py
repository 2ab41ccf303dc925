"""Who may do what in two-way matching. Services call `can` to refuse; views, templates, the API and the claim
boards call it (and `actions`) to decide what to show. No other module repeats these rules.

`can(actor, subject, action)`: the subject's state allows the action (its workflow's table, or the condition of
an action that keeps the state) and the actor has the right. `actions(actor, subject)`: the workflow actions
`can` allows, in table order. `allowed(actor, subject, action)` is the right alone, whatever the state.

Subjects are a Project, Campaign, Need or Resource. Besides their workflow actions there are
``edit`` (every subject: a project's plan, milestones and attachments while it is live), ``claim`` (a provider
claims a need, a community claims a resource) and ``propose`` (a campaign's global matching).

The sides: the *community* of a need is the staff whose matching.manage scope covers its place; the *provider*
of a resource is a liaison of its unit (matching.offer) or staff covering the party organization offering it.
Campaigns are run by the staff of their whole sub-district. `SYSTEM` has every right; the actions in
`SYSTEM_ACTIONS` (a need met, a resource used up or freed) are its alone.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.workflow import SYSTEM, Workflow
from gongzhi.matching.models import Campaign, Initiator, Need, Project, Resource
from gongzhi.matching.workflow import (
    CAMPAIGN_FLOW,
    CLAIM_STAGES,
    LIVE_STATES,
    NEED_FLOW,
    PROJECT_FLOW,
    RESOURCE_FLOW,
    SYSTEM_ACTIONS,
    NeedStatus,
    ProjectAction,
    ResourceStatus,
)

VIEW, MANAGE, OFFER = Capability.VIEW_MATCHING, Capability.MANAGE_MATCHING, Capability.OFFER_MATCHING
EDIT, CLAIM, PROPOSE = "edit", "claim", "propose"
FLOWS: dict[type, Workflow] = {Project: PROJECT_FLOW, Campaign: CAMPAIGN_FLOW, Need: NEED_FLOW, Resource: RESOURCE_FLOW}


# --- the sides --------------------------------------------------------------------------------------------

def is_community(actor, need: Need) -> bool:
    return scope_for(actor, MANAGE).covers_path(need.place.path)


def is_provider(actor, resource: Resource) -> bool:
    offer = scope_for(actor, OFFER)
    if offer.everything or (resource.provider_unit_id and resource.provider_unit_id in offer.unit_ids):
        return True
    return bool(resource.provider_org_id) and scope_for(actor, MANAGE).covers_path(resource.provider_org.region.path)


def can_edit_resource(actor, resource: Resource) -> bool:
    """The provider's side, or staff covering the provider unit's place."""
    return is_provider(actor, resource) or bool(
        resource.provider_unit_id and scope_for(actor, MANAGE).covers_path(resource.provider_unit.region.path))


def is_campaign_staff(actor, campaign: Campaign) -> bool:
    return scope_for(actor, MANAGE).covers_path(campaign.subdistrict.path)


# --- claims -----------------------------------------------------------------------------------------------

def _takes_claims(campaign: Campaign | None) -> bool:
    return campaign is None or campaign.state in CLAIM_STAGES


def why_not_claimable(need: Need | None = None, resource: Resource | None = None, *, today: date | None = None) -> str:
    """Why the need or the resource cannot be claimed now ("" when it can): a need must be open, a resource open
    and not past its end date, and their campaign must take claims. `claimable_q` is the same rule as a filter."""
    if need is not None:
        if need.status != NeedStatus.OPEN:
            return _("This need is no longer open.")
        if not _takes_claims(need.campaign):
            return _("The campaign no longer takes claims.")
    if resource is not None:
        if resource.status != ResourceStatus.OPEN or resource.ends_on < (today or timezone.localdate()):
            return _("This resource is no longer open.")
        if not _takes_claims(resource.campaign):
            return _("The campaign no longer takes claims.")
    return ""


def claimable_q(model: type, today: date | None = None) -> Q:
    """`why_not_claimable` as a filter on needs or resources."""
    q = Q(status=NeedStatus.OPEN if model is Need else ResourceStatus.OPEN)
    if model is Resource:
        q &= Q(ends_on__gte=today or timezone.localdate())
    return q & (Q(campaign__isnull=True) | Q(campaign__state__in=CLAIM_STAGES))


def claim_side(actor, need: Need, resource: Resource) -> str:
    """How the actor may claim this pair now: "provider" (claims the need with its resource), "community" (claims
    the resource for its need), or "" (not at all)."""
    if why_not_claimable(need, resource):
        return ""
    if has_capability(actor, OFFER) and is_provider(actor, resource):
        return "provider"
    return "community" if is_community(actor, need) else ""


# --- can / actions ----------------------------------------------------------------------------------------

def _project_right(actor, project: Project, action: str) -> bool:
    community = is_community(actor, project.need)
    if action in (ProjectAction.AGREE, ProjectAction.DECLINE):
        if project.initiated_by == Initiator.COMMUNITY:  # the provider confirms a community's claim
            return is_provider(actor, project.resource)
        return community  # a provider's claim or a proposal of the global matching: the community confirms
    if action == ProjectAction.EVALUATE:  # the beneficiaries' side evaluates
        return community
    return community or is_provider(actor, project.resource)


def allowed(actor, subject, action: str) -> bool:
    """The actor's right to take `action` on `subject`, whatever its state."""
    if actor is SYSTEM:
        return True
    if action in SYSTEM_ACTIONS:
        return False
    if isinstance(subject, Project):
        return _project_right(actor, subject, action)
    if isinstance(subject, Campaign):
        return is_campaign_staff(actor, subject)
    if isinstance(subject, Need):
        return has_capability(actor, OFFER) if action == CLAIM else is_community(actor, subject)
    if isinstance(subject, Resource):
        return has_capability(actor, MANAGE) if action == CLAIM else can_edit_resource(actor, subject)
    raise TypeError(f"not a matching subject: {subject!r}")


def state_allows(subject, action: str, *, today: date | None = None) -> bool:
    """Whether the subject's state allows the action (the table, or the condition of a stateless action)."""
    if action == EDIT:
        return not isinstance(subject, Project) or subject.state in LIVE_STATES
    if action == CLAIM:
        if isinstance(subject, Need):
            return not why_not_claimable(need=subject)
        return isinstance(subject, Resource) and not why_not_claimable(resource=subject, today=today)
    if action == PROPOSE:
        return isinstance(subject, Campaign) and _takes_claims(subject)
    flow = FLOWS[type(subject)]
    return flow.target(getattr(subject, flow.state_field), action) is not None


def can_add(actor, model: type) -> bool:
    """Whether the actor may add to a list (and so import it): resources are offered by liaisons and staff, needs
    are raised by staff. (A new campaign needs a whole sub-district: `selectors.staff_subdistricts`.)"""
    if model is Need:
        return has_capability(actor, MANAGE)
    return has_capability(actor, OFFER) or has_capability(actor, MANAGE)


def can(actor, subject, action: str) -> bool:
    return state_allows(subject, action) and allowed(actor, subject, action)


def actions(actor, subject) -> list[str]:
    """The workflow actions this actor may take on the subject now."""
    flow = FLOWS[type(subject)]
    return [a for a in flow.actions_from(getattr(subject, flow.state_field)) if allowed(actor, subject, a)]
