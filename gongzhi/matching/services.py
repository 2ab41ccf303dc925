"""Writes of the matching app: one transaction each, audited (simple-history + the append-only project log).

Claims create a `proposed` project; the other side confirms it (`agree`). Every later step goes through
`transition`, which locks the project row and follows `workflow.TRANSITIONS`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import has_capability, require_capability, scope_for
from gongzhi.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from gongzhi.matching import selectors
from gongzhi.matching.models import (
    CAMPAIGN_ORDER,
    Attachment,
    Campaign,
    Initiator,
    Milestone,
    Need,
    NeedStatus,
    Project,
    ProjectTransition,
    Resource,
    ResourceStatus,
)
from gongzhi.matching.selectors import MANAGE, OFFER
from gongzhi.matching.workflow import ACTIVE_STATES, LIVE_STATES, ProjectAction, ProjectState, target_state

A, S = ProjectAction, ProjectState


def _log(project: Project, actor, action: str, from_state: str, to_state: str, note: str = "") -> None:
    ProjectTransition.objects.create(project=project, actor=actor, action=action, from_state=from_state,
                                     to_state=to_state, note=note)


def _save(obj, user, reason: str) -> None:
    obj._history_user = user
    obj._change_reason = reason
    obj.save()


# --- the lists -------------------------------------------------------------------------------------------


@transaction.atomic
def save_resource(user, form) -> Resource:
    """Create or edit a resource from a validated ResourceForm; the provider must be the user's own side."""
    obj = form.instance
    if not (obj.provider_unit_id or obj.provider_org_id):
        raise ValidationFailed(_("Choose a provider."), field_errors={"provider_unit": [_("Choose a provider.")]})
    if not selectors.can_edit_resource(user, obj):
        raise Forbidden(_("You may only offer resources of your own unit or organization."))
    obj._history_user = user
    form.save()
    return obj


@transaction.atomic
def save_need(user, form) -> Need:
    obj = form.instance
    if not scope_for(user, MANAGE).covers_path(obj.place.path):
        raise Forbidden(_("The place is outside your scope."))
    obj._history_user = user
    form.save()
    return obj


# --- claims ----------------------------------------------------------------------------------------------


IMPORT_REASON, IMPORT_NOTE = "Excel import", "Excel 导入"


def _require_lists(actor) -> None:
    if not (has_capability(actor, OFFER) or has_capability(actor, MANAGE)):
        raise Forbidden(_("You do not have permission to do this."))


@transaction.atomic
def import_rows(rows, *, actor) -> None:
    """Write the resources or needs of a checked Excel import (``(obj, {m2m field: targets})``, see
    gongzhi.core.excel), all in one transaction; the engine has checked every row against the actor's scope."""
    _require_lists(actor)
    for obj, m2m in rows:
        _save(obj, actor, IMPORT_REASON)
        for name, targets in m2m.items():
            getattr(obj, name).set(targets)


@transaction.atomic
def import_projects(rows, *, actor) -> None:
    """Write the projects of a checked Excel import (``(project, is_new)``): a new project is logged as proposed,
    then moved to its imported state; needs and resources follow as through the workflow."""
    _require_lists(actor)
    for project, is_new in rows:
        project.updated_at = timezone.now()
        _save(project, actor, IMPORT_REASON)
        if is_new:
            _log(project, actor, "", "", S.PROPOSED, IMPORT_NOTE)
            if project.state != S.PROPOSED:
                _log(project, actor, "", S.PROPOSED, project.state, IMPORT_NOTE)
        _sync_statuses(actor, project)


def _check_pair(need: Need, resource: Resource, amount: int) -> None:
    if need.status != NeedStatus.OPEN:
        raise InvalidTransition(_("This need is no longer open."))
    if resource.status != ResourceStatus.OPEN:
        raise InvalidTransition(_("This resource is no longer open."))
    for campaign in {need.campaign, resource.campaign} - {None}:
        if not campaign.accepts_claims:
            raise InvalidTransition(_("The campaign no longer takes claims."))
    if Project.objects.filter(need=need, resource=resource, state__in=ACTIVE_STATES).exists():
        raise InvalidTransition(_("This pair already has an open project."))
    if amount < 1 or amount > selectors.remaining(resource):
        raise ValidationFailed(_("The amount exceeds what the resource has left."),
                               field_errors={"amount": [_("The amount exceeds what the resource has left.")]})


def _create_project(user, need, resource, initiator, amount, plan, note, score=None) -> Project:
    project = Project(
        campaign=need.campaign or resource.campaign, need=need, resource=resource, initiated_by=initiator,
        title=f"{resource.title} → {need.title}"[:160], amount=amount, plan=plan, created_by=user, score=score,
    )
    _save(project, user, "claim")
    _log(project, user, "", "", S.PROPOSED, note)
    return project


@transaction.atomic
def claim_need(user, need_id: int, resource_id: int, amount: int | None = None, plan: str = "",
               note: str = "") -> Project:
    """A provider (unit liaison) claims a need with one of its resources."""
    require_capability(user, OFFER)
    need = selectors.need(user, need_id)
    resource = Resource.objects.select_for_update().filter(pk=resource_id).first()
    if resource is None or not selectors.is_provider(user, resource):
        raise NotFound(_("Not found."))
    amount = amount or min(need.quantity, selectors.remaining(resource)) or 1
    _check_pair(need, resource, amount)
    return _create_project(user, need, resource, Initiator.PROVIDER, amount, plan, note)


@transaction.atomic
def claim_resource(user, resource_id: int, need_id: int, amount: int | None = None, plan: str = "",
                   note: str = "") -> Project:
    """A community (staff of the need's place) claims a resource for one of its needs."""
    require_capability(user, MANAGE)
    resource = selectors.resource(user, resource_id)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    need = selectors.needs_for(user, MANAGE).filter(pk=need_id).first()
    if need is None or not selectors.is_community(user, need):
        raise NotFound(_("Not found."))
    amount = amount or min(need.quantity, selectors.remaining(resource)) or 1
    _check_pair(need, resource, amount)
    return _create_project(user, need, resource, Initiator.COMMUNITY, amount, plan, note)


# --- the lifecycle ---------------------------------------------------------------------------------------


def may(user, project: Project, action: str) -> bool:
    """Whether `user` may take `action` on `project` (ignoring the state)."""
    community = selectors.is_community(user, project.need)
    provider = selectors.is_provider(user, project.resource)
    if action in (A.AGREE, A.DECLINE):
        if project.initiated_by == Initiator.PROVIDER:
            return community
        if project.initiated_by == Initiator.COMMUNITY:
            return provider
        return community  # proposed by the global matching: staff confirm
    if action == A.EVALUATE:
        return community
    return community or provider


def actions_for(user, project: Project) -> list[str]:
    return [a for a in ProjectAction.values if target_state(project.state, a) and may(user, project, a)]


@transaction.atomic
def transition(user, project_id: int, action: str, note: str = "", *, beneficiaries_served: int | None = None,
               hours: int | None = None, satisfaction: int | None = None) -> Project:
    """Apply one step of the transition table to a project the user can see; audited."""
    visible = selectors.project(user, project_id)
    project = Project.objects.select_for_update().get(pk=visible.pk)
    project.need, project.resource = visible.need, visible.resource
    to_state = target_state(project.state, action)
    if to_state is None:
        raise InvalidTransition(
            _("Cannot %(action)s a project that is %(state)s.")
            % {"action": ProjectAction(action).label if action in ProjectAction.values else action,
               "state": ProjectState(project.state).label}
        )
    if not may(user, project, action):
        raise Forbidden(_("You may not do this on this project."))
    if action == A.DECLINE and not note.strip():
        raise ValidationFailed(_("Give a reason."), field_errors={"note": [_("Give a reason.")]})
    if action in (A.COMPLETE, A.EVALUATE):
        if beneficiaries_served is not None:
            project.beneficiaries_served = beneficiaries_served
        if hours is not None:
            project.hours = hours
    if action == A.EVALUATE:
        if satisfaction is None or not 1 <= satisfaction <= 5:
            raise ValidationFailed(_("Rate the satisfaction from 1 to 5."),
                                   field_errors={"satisfaction": [_("Rate the satisfaction from 1 to 5.")]})
        if project.beneficiaries_served is None:
            raise ValidationFailed(_("Enter the beneficiaries served."),
                                   field_errors={"beneficiaries_served": [_("Enter the beneficiaries served.")]})
        project.satisfaction = satisfaction
    from_state = project.state
    project.state, project.updated_at = to_state, timezone.now()
    _save(project, user, action)
    _log(project, user, action, from_state, to_state, note)
    _sync_statuses(user, project)
    return project


def _sync_statuses(user, project: Project) -> None:
    """A completed project meets its need; a resource without capacity left is used up (and back)."""
    need = project.need
    met = need.projects.filter(state__in=(S.COMPLETED, S.EVALUATED)).exists()
    if met and need.status == NeedStatus.OPEN:
        need.status = NeedStatus.MET
        _save(need, user, "project completed")
    resource = project.resource
    left = selectors.remaining(resource)
    if left == 0 and resource.status == ResourceStatus.OPEN:
        resource.status = ResourceStatus.EXHAUSTED
        _save(resource, user, "capacity used up")
    elif left > 0 and resource.status == ResourceStatus.EXHAUSTED:
        resource.status = ResourceStatus.OPEN
        _save(resource, user, "capacity freed")


def _editable(user, project_id: int) -> Project:
    project = selectors.project(user, project_id)
    if project.state not in LIVE_STATES or not (
        selectors.is_community(user, project.need) or selectors.is_provider(user, project.resource)
    ):
        raise Forbidden(_("You may not change this project."))
    return project


@transaction.atomic
def update_plan(user, project_id: int, *, plan: str, budget, participants: str) -> Project:
    project = _editable(user, project_id)
    project.plan, project.budget, project.participants = plan, budget, participants
    project.updated_at = timezone.now()
    _save(project, user, "plan")
    return project


@transaction.atomic
def add_milestone(user, project_id: int, title: str, due_on=None) -> Milestone:
    project = _editable(user, project_id)
    if not title.strip():
        raise ValidationFailed(_("Enter a title."), field_errors={"title": [_("Enter a title.")]})
    milestone = Milestone(project=project, title=title.strip(), due_on=due_on)
    _save(milestone, user, "milestone")
    return milestone


@transaction.atomic
def toggle_milestone(user, project_id: int, milestone_id: int) -> Milestone:
    project = _editable(user, project_id)
    milestone = project.milestones.filter(pk=milestone_id).first()
    if milestone is None:
        raise NotFound(_("Not found."))
    milestone.done = not milestone.done
    _save(milestone, user, "milestone")
    return milestone


@transaction.atomic
def add_attachment(user, project_id: int, upload) -> Attachment:
    """Attach a file (checked by content: image, PDF, xlsx or docx; at most 10 MB)."""
    from django import forms

    from gongzhi.matching.forms import validate_attachment

    project = _editable(user, project_id)
    try:
        validate_attachment(upload)
    except forms.ValidationError as e:
        raise ValidationFailed(e.messages[0], field_errors={"file": e.messages}) from None
    return Attachment.objects.create(project=project, file=upload, name=upload.name[:120], uploaded_by=user)


# --- campaigns and the global mode -----------------------------------------------------------------------


def _require_campaign_staff(user, campaign: Campaign) -> None:
    if not scope_for(user, MANAGE).covers_path(campaign.subdistrict.path):
        raise Forbidden(_("Only the sub-district's staff may do this."))


@transaction.atomic
def create_campaign(user, form) -> Campaign:
    campaign = form.instance
    _require_campaign_staff(user, campaign)
    campaign._history_user = user
    form.save()
    return campaign


@transaction.atomic
def update_campaign(user, form) -> Campaign:
    """Save a validated CampaignEditForm; only staff of the campaign's sub-district may."""
    campaign = form.instance
    _require_campaign_staff(user, campaign)
    _save(campaign, user, "edit")
    return campaign


@transaction.atomic
def advance_campaign(user, campaign_id: int) -> Campaign:
    """Move a campaign one stage on: publish → claim window → confirm → deliver → evaluate → closed."""
    campaign = Campaign.objects.select_for_update().select_related("subdistrict").get(pk=campaign_id)
    _require_campaign_staff(user, campaign)
    i = CAMPAIGN_ORDER.index(campaign.state)
    if i + 1 >= len(CAMPAIGN_ORDER):
        raise InvalidTransition(_("The campaign is closed."))
    campaign.state = CAMPAIGN_ORDER[i + 1]
    _save(campaign, user, "advance")
    return campaign


@transaction.atomic
def propose_global(user, campaign_id: int, k: int = 10) -> list[Project]:
    """Run the engine's global assignment over the campaign and store its pairs as proposals for staff."""
    campaign = Campaign.objects.select_related("subdistrict").get(pk=campaign_id)
    _require_campaign_staff(user, campaign)
    if not campaign.accepts_claims:
        raise InvalidTransition(_("The campaign no longer takes claims."))
    assignment = selectors.build_matcher(campaign).assign(k)
    busy = set(Project.objects.filter(campaign=campaign, state__in=ACTIVE_STATES).values_list("need_id", "resource_id"))
    needs = Need.objects.in_bulk([a.need_id for a in assignment.allocations])
    resources = Resource.objects.in_bulk([a.resource_id for a in assignment.allocations])
    made = []
    for a in assignment.allocations:
        if (a.need_id, a.resource_id) in busy or round(a.amount) < 1:
            continue
        made.append(_create_project(user, needs[a.need_id], resources[a.resource_id], Initiator.MATCHER,
                                    round(a.amount), "", _("Proposed by the global matching"),
                                    score=a.suggestion.score))
    return made
