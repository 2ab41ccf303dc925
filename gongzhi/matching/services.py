"""Writes of the matching app: one transaction each, signature ``(subject, *, actor, ...)`` with plain values.

The actor is a user or `SYSTEM`. A service finds its subject as the actor may see it (`NotFound` outside the
scope), asks `policies` whether the actor may act (`Forbidden`), and changes a state only through
`gongzhi.core.workflow.transition`, whose table refuses what the state does not allow (`InvalidTransition`) and
whose log records every step; simple-history records the rest. A claim creates a `proposed` project that the
other side confirms (`agree`); what follows from a project's steps (a need met, a resource used up or freed) is
done by `SYSTEM`, noting the project.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from gongzhi.accounts.scope import has_capability, require_capability
from gongzhi.core import media
from gongzhi.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from gongzhi.core.workflow import (
    SYSTEM,
    check_actor,
    record_creation,
    refuse_unchanged,
    snapshot,
    transition,
    user_of,
)
from gongzhi.matching import notify, policies, selectors
from gongzhi.matching.models import (
    Attachment,
    Campaign,
    Initiator,
    Milestone,
    Need,
    Project,
    Resource,
)
from gongzhi.matching.policies import CLAIM, EDIT, MANAGE, PROPOSE, VIEW
from gongzhi.matching.workflow import (
    ACTIVE_STATES,
    CAMPAIGN_FLOW,
    DONE_STATES,
    NEED_FLOW,
    PROJECT_FLOW,
    RESOURCE_FLOW,
    CampaignAction,
    NeedAction,
    NeedStatus,
    ProjectAction,
    ResourceAction,
    ResourceStatus,
)

A = ProjectAction
PROJECT_RELATED = ("need__place", "resource__provider_org__region")  # what the project policy reads
RESOURCE_RELATED = ("provider_unit__region", "provider_org__region", "campaign")


def _pk(subject):
    return subject.pk if isinstance(subject, models.Model) else subject


def _find(actor, subject, model, read):
    """`subject` (an instance or a pk) as the actor may see it: the scoped read for a user, any row for SYSTEM."""
    check_actor(actor)
    if actor is not SYSTEM:
        return read(actor, _pk(subject))
    if isinstance(subject, model):
        return subject
    obj = model.objects.filter(pk=subject).first()
    if obj is None:
        raise NotFound(_("Not found."))
    return obj


def _visible(actor, subject, scoped) -> int:
    """The pk of `subject` once the actor may see it (`scoped(user)` is the user's queryset); for the services
    that hand the pk to `transition`, which reads the row itself."""
    check_actor(actor)
    if actor is not SYSTEM:
        require_capability(actor, VIEW)
        if not scoped(actor).filter(pk=_pk(subject)).exists():
            raise NotFound(_("Not found."))
    return _pk(subject)


def _authorize(actor, subject, action: str, message="") -> None:
    if not policies.allowed(actor, subject, action):
        raise Forbidden(str(message) or _("You may not do this."))


def _save(obj, actor, reason: str) -> None:
    obj._history_user = user_of(actor)
    obj._change_reason = reason
    obj.save()


def _m2m_changes(manager, targets) -> bool:
    """Would setting the many-to-many `manager` to `targets` (None: left alone) change it?"""
    if targets is None:
        return False
    return {getattr(t, "pk", t) for t in targets} != set(manager.values_list("pk", flat=True))


def _apply(obj, actor, values: dict, message):
    """Set plain field values on `obj`; the actor must have the edit right before and after (a new provider or
    place must be the actor's too). A state changes through its workflow only."""
    if {"state", "status"} & values.keys():
        raise TypeError("a state changes through its workflow only")
    if obj.pk is not None:
        _authorize(actor, obj, EDIT, message)
    for name, value in values.items():
        setattr(obj, name, value)
    _authorize(actor, obj, EDIT, message)
    return obj


def _system_step(subject, action: str, workflow, *, now, extra: dict) -> None:
    """A step the platform takes as a consequence; skipped when the fresh row no longer allows it."""
    try:
        transition(subject, action, workflow=workflow, actor=SYSTEM, extra=extra, now=now)
    except InvalidTransition:
        pass


# --- the lists -------------------------------------------------------------------------------------------


def _check_provider(values: dict) -> None:
    if not (values.get("provider_unit") or values.get("provider_org")):
        raise ValidationFailed.on("provider_unit", _("Choose a provider."))


NOT_OWN_RESOURCE = gettext_lazy("You may only offer resources of your own unit or organization.")
NOT_OWN_PLACE = gettext_lazy("The place is outside your scope.")


def _create(model, rows, actor, message, m2m: str, now) -> list:
    """Create rows of plain values in one go (`m2m`: the many-to-many field each row lists its targets in)."""
    rows = [dict(row) for row in rows]
    targets = [row.pop(m2m, ()) for row in rows]
    now = now or timezone.now()
    made = bulk_create_with_history([_apply(model(created_at=now), actor, row, message) for row in rows], model,
                                    default_user=user_of(actor), default_change_reason="create", default_date=now)
    field = model._meta.get_field(m2m)
    through, src, dst = field.remote_field.through, field.m2m_field_name(), field.m2m_reverse_field_name()
    through.objects.bulk_create(through(**{f"{src}_id": obj.pk, f"{dst}_id": t.pk})
                                for obj, listed in zip(made, targets, strict=True) for t in listed)
    return made


@transaction.atomic
def create_resources(rows, *, actor, now: datetime | None = None) -> list[Resource]:
    """Offer resources (rows of the values `create_resource` takes); each provider must be the actor's own unit
    or organization, or a unit in the actor's scope."""
    for row in rows:
        _check_provider(row)
    return _create(Resource, rows, actor, NOT_OWN_RESOURCE, "regions", now)


def create_resource(*, actor, now: datetime | None = None, **values) -> Resource:
    return create_resources([values], actor=actor, now=now)[0]


@transaction.atomic
def update_resource(resource, *, actor, regions=None, now: datetime | None = None, **values) -> Resource:
    resource = _find(actor, resource, Resource, selectors.resource)
    _check_provider({"provider_unit": resource.provider_unit, "provider_org": resource.provider_org, **values})
    before = snapshot(resource)
    _apply(resource, actor, values, NOT_OWN_RESOURCE)
    refuse_unchanged(resource, before, also_changed=_m2m_changes(resource.regions, regions))
    _save(resource, actor, "edit")
    if regions is not None:
        resource.regions.set(regions)
    _sync_resource(resource, now=now or timezone.now(), extra={})  # the capacity may have changed
    return resource


@transaction.atomic
def create_needs(rows, *, actor, now: datetime | None = None) -> list[Need]:
    """Raise needs (rows of the values `create_need` takes) at places in the actor's scope."""
    return _create(Need, rows, actor, NOT_OWN_PLACE, "demands", now)


def create_need(*, actor, now: datetime | None = None, **values) -> Need:
    return create_needs([values], actor=actor, now=now)[0]


@transaction.atomic
def update_need(need, *, actor, demands=None, **values) -> Need:
    need = _find(actor, need, Need, selectors.need)
    before = snapshot(need)
    _apply(need, actor, values, NOT_OWN_PLACE)
    refuse_unchanged(need, before, also_changed=_m2m_changes(need.demands, demands))
    _save(need, actor, "edit")
    if demands is not None:
        need.demands.set(demands)
    return need


@transaction.atomic
def transition_need(need, action: str, *, actor, note: str = "", now: datetime | None = None) -> Need:
    """Close or reopen a need (its community)."""
    need = _visible(actor, need, selectors.needs_for)
    return transition(need, action, workflow=NEED_FLOW, actor=actor, note=note, now=now, related=("place",),
                      authorize=lambda locked: _authorize(actor, locked, action))


@transaction.atomic
def transition_resource(resource, action: str, *, actor, note: str = "", now: datetime | None = None) -> Resource:
    """Withdraw or reopen a resource (its provider); a reopened resource without capacity left is used up."""
    resource = _visible(actor, resource, selectors.resources_for)
    now = now or timezone.now()
    resource = transition(resource, action, workflow=RESOURCE_FLOW, actor=actor, note=note, now=now,
                          related=RESOURCE_RELATED, authorize=lambda locked: _authorize(actor, locked, action))
    _sync_resource(resource, now=now, extra={})
    return resource


# --- claims ----------------------------------------------------------------------------------------------


def _lock_resource(pk) -> Resource | None:
    """The resource of a claim, locked, with what the claim rules read."""
    return Resource.objects.select_for_update(of=("self",)).select_related("provider_org__region", "campaign").filter(
        pk=pk).first()


def _create_project(actor, need: Need, resource: Resource, initiator: str, *, amount, note: str, now,
                    action: str = A.CLAIM, score: float | None = None, **details) -> Project:
    now = now or timezone.now()
    if reason := policies.why_not_claimable(need, resource, today=timezone.localdate(now)):
        raise InvalidTransition(reason)

    if Project.objects.filter(need=need, resource=resource, state__in=ACTIVE_STATES).exists():
        raise InvalidTransition(_("This pair already has an open project."))
    left = selectors.remaining(resource)
    amount = amount or min(need.quantity, left) or 1
    if amount < 1 or amount > left:
        raise ValidationFailed.on("amount", _("The amount exceeds what the resource has left."))
    project = Project(
        campaign=need.campaign or resource.campaign, need=need, resource=resource, initiated_by=initiator,
        title=f"{resource.title} → {need.title}"[:160], amount=amount, created_by=user_of(actor), score=score,
        created_at=now, updated_at=now, **details,
    )
    _save(project, actor, action)
    record_creation(project, action, workflow=PROJECT_FLOW, actor=actor, note=note, now=now)
    if amount == left:
        _system_step(resource, ResourceAction.EXHAUST, RESOURCE_FLOW, now=now, extra={"project": project.pk})
    return project


@transaction.atomic
def claim_need(need, *, actor, resource, amount: int | None = None, plan: str = "", budget=0, participants: str = "",
               note: str = "", now: datetime | None = None) -> Project:
    """A provider claims a need with one of its resources, proposing a plan; the community confirms."""
    need = _find(actor, need, Need, selectors.need)
    _authorize(actor, need, CLAIM)
    resource = _lock_resource(_pk(resource))
    if resource is None or not (actor is SYSTEM or policies.is_provider(actor, resource)):
        raise NotFound(_("Not found."))
    return _create_project(actor, need, resource, Initiator.PROVIDER, amount=amount, note=note, now=now, plan=plan,
                           budget=budget, participants=participants)


@transaction.atomic
def claim_resource(resource, *, actor, need, amount: int | None = None, plan: str = "", budget=0,
                   participants: str = "", note: str = "", now: datetime | None = None) -> Project:
    """A community claims a resource for one of its needs, proposing a plan; the provider confirms."""
    resource = _lock_resource(_visible(actor, resource, selectors.resources_for))
    if resource is None:
        raise NotFound(_("Not found."))
    _authorize(actor, resource, CLAIM)
    needs = Need.objects.select_related("place", "campaign") if actor is SYSTEM else selectors.needs_for(actor, MANAGE)
    need = needs.filter(pk=_pk(need)).first()
    if need is None or not (actor is SYSTEM or policies.is_community(actor, need)):
        raise NotFound(_("Not found."))
    project = _create_project(actor, need, resource, Initiator.COMMUNITY, amount=amount, note=note, now=now,
                              plan=plan, budget=budget, participants=participants)
    notify.resource_claimed(project, actor=actor)  # the unit is told, after commit
    return project


# --- the project lifecycle -------------------------------------------------------------------------------


@transaction.atomic
def transition_project(project, action: str, *, actor, note: str = "", beneficiaries_served: int | None = None,
                       hours: int | None = None, satisfaction: int | None = None,
                       now: datetime | None = None) -> Project:
    """Take one step of the project table; completing records the beneficiaries and hours, evaluating also the
    satisfaction (1–5)."""
    project = _visible(actor, project, selectors.projects_for)
    now = now or timezone.now()

    def prepare(locked: Project) -> None:
        if action in (A.COMPLETE, A.EVALUATE):
            if beneficiaries_served is not None:
                locked.beneficiaries_served = beneficiaries_served
            if hours is not None:
                locked.hours = hours
        if action == A.EVALUATE:
            if satisfaction is None or not 1 <= satisfaction <= 5:
                raise ValidationFailed.on("satisfaction", _("Rate the satisfaction from 1 to 5."))
            if locked.beneficiaries_served is None:
                raise ValidationFailed.on("beneficiaries_served", _("Enter the beneficiaries served."))
            locked.satisfaction = satisfaction

    project = transition(
        project, action, workflow=PROJECT_FLOW, actor=actor, note=note, now=now,
        related=("need", "resource") if actor is SYSTEM else PROJECT_RELATED,
        authorize=lambda locked: _authorize(actor, locked, action, _("You may not do this on this project.")),
        prepare=prepare, updated_at=now,
    )
    _sync_statuses(project, now, capacity=action in (A.DECLINE, A.CANCEL))
    return project


def _sync_statuses(project: Project, now, *, capacity: bool = True) -> None:
    """A completed project meets its need; a resource without capacity left is used up (and open again when
    capacity is freed: `capacity` says whether the step may have changed what the resource has left)."""
    extra = {"project": project.pk}
    if project.state in DONE_STATES and project.need.status == NeedStatus.OPEN:
        _system_step(project.need, NeedAction.MEET, NEED_FLOW, now=now, extra=extra)
    if capacity:
        _sync_resource(project.resource, now=now, extra=extra)


def _sync_resource(resource: Resource, *, now, extra: dict) -> None:
    left = selectors.remaining(resource)
    if left == 0 and resource.status == ResourceStatus.OPEN:
        _system_step(resource, ResourceAction.EXHAUST, RESOURCE_FLOW, now=now, extra=extra)
    elif left > 0 and resource.status == ResourceStatus.EXHAUSTED:
        _system_step(resource, ResourceAction.REPLENISH, RESOURCE_FLOW, now=now, extra=extra)


def _editable(actor, project) -> Project:
    pk = _visible(actor, project, selectors.projects_for)
    project = Project.objects.select_related(*PROJECT_RELATED).filter(pk=pk).first()
    if not policies.can(actor, project, EDIT):
        raise Forbidden(_("You may not change this project."))
    return project


@transaction.atomic
def update_plan(project, *, actor, plan: str, budget, participants: str, now: datetime | None = None) -> Project:
    project = _editable(actor, project)
    project.plan, project.budget, project.participants = plan, budget, participants
    project.updated_at = now or timezone.now()
    _save(project, actor, "plan")
    return project


@transaction.atomic
def add_milestones(project, *, actor, milestones) -> list[Milestone]:
    """Add milestones (dicts of title, due_on, done) to a live project of the actor's side."""
    project = _editable(actor, project)
    made = []
    for values in milestones:
        title = values["title"].strip()
        if not title:
            raise ValidationFailed.on("title", _("Enter a title."))
        made.append(Milestone(project=project, title=title, due_on=values.get("due_on"), done=values.get("done", False)))
    return bulk_create_with_history(made, Milestone, default_user=user_of(actor), default_change_reason="milestone")


@transaction.atomic
def toggle_milestone(project, *, actor, milestone: int) -> Milestone:
    project = _editable(actor, project)
    found = project.milestones.filter(pk=milestone).first()
    if found is None:
        raise NotFound(_("Not found."))
    found.done = not found.done
    _save(found, actor, "milestone")
    return found


@transaction.atomic
def add_attachment(project, *, actor, upload) -> Attachment:
    """Attach a file (checked by content: image, PDF, xlsx or docx; at most 10 MB), stored under a random name
    with the extension of the type found (the name the user gave is kept for display and download only)."""
    project = _editable(actor, project)
    try:
        found = media.validate_attachment(upload)
    except forms.ValidationError as e:
        raise ValidationFailed(e.messages[0], field_errors={"file": e.messages}) from None
    given = upload.name
    upload.name = f"upload.{found.ext}"  # the storage name's extension comes from the content
    return Attachment.objects.create(project=project, file=upload, name=given[:120], uploaded_by=user_of(actor))


@transaction.atomic
def import_projects(rows, *, actor, now: datetime | None = None) -> None:
    """Write the checked rows of a project list import: ``(project, is_new)`` pairs. Only a project's sides may
    import it; an existing project keeps its state (that changes through the workflow); a new one is logged as
    imported in the state its row gives."""
    now = now or timezone.now()
    for project, is_new in rows:
        if not (actor is SYSTEM or policies.is_community(actor, project.need)
                or policies.is_provider(actor, project.resource)):
            raise Forbidden(_("You may not change this project."))
        if not is_new and Project.objects.filter(pk=project.pk).values_list("state", flat=True).get() != project.state:
            raise InvalidTransition(_("An import does not change a project's state."))
        project.updated_at = now
        _save(project, actor, "import")
        if is_new:
            record_creation(project, A.IMPORT, workflow=PROJECT_FLOW, actor=actor, now=now)
        _sync_statuses(project, now)


# --- campaigns and the global mode -----------------------------------------------------------------------

@transaction.atomic
def create_campaign(*, actor, **values) -> Campaign:
    campaign = _apply(Campaign(), actor, values, _("Only the sub-district's staff may do this."))
    _save(campaign, actor, "create")
    return campaign


@transaction.atomic
def update_campaign(campaign, *, actor, **values) -> Campaign:
    """Change a campaign's name, season, dates or description; only staff of its sub-district may."""
    campaign = _find(actor, campaign, Campaign, selectors.campaign)
    before = snapshot(campaign)
    _apply(campaign, actor, values, _("Only the sub-district's staff may do this."))
    refuse_unchanged(campaign, before)
    _save(campaign, actor, "edit")
    return campaign


@transaction.atomic
def advance_campaign(campaign, *, actor, note: str = "", now: datetime | None = None) -> Campaign:
    """Move a campaign one stage on: published → claim window → confirming → delivering → evaluating → closed."""
    campaign = _visible(actor, campaign, selectors.campaigns_for)
    return transition(
        campaign, CampaignAction.ADVANCE, workflow=CAMPAIGN_FLOW, actor=actor, note=note, now=now,
        related=("subdistrict",),
        authorize=lambda locked: _authorize(actor, locked, CampaignAction.ADVANCE,
                                            _("Only the sub-district's staff may do this.")),
    )


@transaction.atomic
def propose_global(campaign, *, actor, k: int = 10, now: datetime | None = None) -> list[Project]:
    """Run the engine's global assignment over the campaign and store its pairs as proposals for staff."""
    campaign = _find(actor, campaign, Campaign, selectors.campaign)
    _authorize(actor, campaign, PROPOSE, _("Only the sub-district's staff may do this."))
    if not policies.state_allows(campaign, PROPOSE):
        raise InvalidTransition(_("The campaign no longer takes claims."))
    assignment = selectors.build_matcher(campaign).assign(k)
    busy = set(Project.objects.filter(campaign=campaign, state__in=ACTIVE_STATES).values_list("need_id", "resource_id"))
    needs = Need.objects.select_related("campaign").in_bulk([a.need_id for a in assignment.allocations])
    made = []
    for a in assignment.allocations:
        if (a.need_id, a.resource_id) in busy or round(a.amount) < 1:
            continue
        try:  # refused before anything is written: a pair that can no longer be claimed is left out
            made.append(_create_project(actor, needs[a.need_id], _lock_resource(a.resource_id), Initiator.MATCHER,
                                        amount=round(a.amount), note="", now=now, action=A.PROPOSE,
                                        score=a.suggestion.score))
        except (InvalidTransition, ValidationFailed):
            continue
    return made


IMPORT_REASON = "Excel import"


@transaction.atomic
def import_rows(rows, *, actor) -> None:
    """Write the resources or needs of a checked Excel import (``(obj, {m2m field: targets})``, see
    gongzhi.core.excel), all in one transaction; the engine has checked every row against the actor's scope. The
    status column is ignored: a status changes through its workflow only (a new row starts open)."""
    if not (has_capability(actor, policies.OFFER) or has_capability(actor, policies.MANAGE)):
        raise Forbidden(_("You do not have permission to do this."))
    for obj, m2m in rows:
        stored = type(obj).objects.filter(pk=obj.pk).values_list("status", flat=True).first() if obj.pk else None
        obj.status = stored or type(obj)._meta.get_field("status").default
        _save(obj, actor, IMPORT_REASON)
        for name, targets in m2m.items():
            getattr(obj, name).set(targets)
