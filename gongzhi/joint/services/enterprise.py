"""Writes of the enterprise part: recording a liaison visit to a firm (上门排摸), its follow-up steps, and turning a
need found on the visit into an enterprise demand (one transaction: the demand and its link to the visit)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import require_capability, scope_for
from gongzhi.core import workflow
from gongzhi.core.errors import Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import is_user, pk_of, user_of
from gongzhi.demands import services as demand_services
from gongzhi.demands.models import Channel, Demand
from gongzhi.joint.models import Visit
from gongzhi.joint.policies import enterprise as policies
from gongzhi.joint.workflow_enterprise import VISIT_FLOW, VisitAction
from gongzhi.registry.models import Liaison, MemberUnit

TEXT_LIMIT = 5000


def _text(value, name: str, errors: dict) -> str:
    value = (value or "").strip()
    if len(value) > TEXT_LIMIT:
        errors[name] = [_("At most %(n)s characters.") % {"n": TEXT_LIMIT}]
    return value


def record_visit(*, actor, member_unit_id, visited_on: date | None, needs_found: str = "", follow_up: str = "",
                 liaison_id=None, today: date | None = None) -> Visit:
    """Record a liaison's visit to a firm. The firm must lie in the actor's `joint.visit` scope and the day may not
    be in the future (field errors otherwise); the liaison defaults to the actor's own liaison record."""
    workflow.check_actor(actor)
    if is_user(actor):
        require_capability(actor, policies.VISIT)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    unit = MemberUnit.objects.select_related("region").filter(pk=pk_of(member_unit_id) or 0).first()
    if unit is None or (is_user(actor) and not policies.covers_unit(actor, unit)):
        errors["member_unit"] = [_("Choose a firm in your scope.")]
    if visited_on is None:
        errors["visited_on"] = [_("This field is required.")]
    elif visited_on > today:
        errors["visited_on"] = [_("A visit cannot lie in the future.")]
    liaison = None
    if liaison_id:
        liaison = Liaison.objects.filter(pk=pk_of(liaison_id)).first()
        if liaison is None or (is_user(actor)
                               and not scope_for(actor, policies.VISIT).filter(Liaison.objects.filter(pk=liaison.pk))
                               .exists()):
            errors["liaison"] = [_("Choose a liaison in your scope.")]
    elif is_user(actor):
        liaison = Liaison.objects.filter(user=actor).first()
    needs_found = _text(needs_found, "needs_found", errors)
    follow_up = _text(follow_up, "follow_up", errors)
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), field_errors=errors)
    with transaction.atomic():
        visit = Visit(member_unit=unit, liaison=liaison, visited_by=user_of(actor), visited_on=visited_on,
                      needs_found=needs_found, follow_up=follow_up)
        visit._history_user = user_of(actor)
        visit.save()
        workflow.record_creation(visit, VisitAction.RECORD, workflow=VISIT_FLOW, actor=actor)
    return visit


def _authorize(actor):
    def check(visit: Visit) -> None:
        if is_user(actor) and not policies.may_follow_up(actor, visit):
            raise Forbidden(_("You do not have permission to do this."))
    return check


def transition_visit(visit, action: str, *, actor, note: str = "") -> Visit:
    """A step of the follow-up (start, complete, reopen with a reason); a note is added to the follow-up text."""
    if action not in {a for (_state, a) in VISIT_FLOW.transitions}:
        raise ValidationFailed.on("action", _("Choose a valid step."))
    note = (note or "").strip()[:TEXT_LIMIT]

    def prepare(v: Visit) -> None:
        if note and action != VisitAction.REOPEN:
            v.follow_up = f"{v.follow_up}\n{note}".strip()[:TEXT_LIMIT * 2]
        v._history_user = user_of(actor)

    return workflow.transition(pk_of(visit), action, workflow=VISIT_FLOW, actor=actor, note=note,
                               authorize=_authorize(actor), prepare=prepare, related=("member_unit__region",))


def raise_demand(visit, *, actor, title: str, description: str, contact_phone: str = "",
                 priority: str = "normal") -> object:
    """Turn a need found on the visit into a demand of the enterprise channel for the visited firm
    (`demands.services.submit_demand`: routed to the building's liaison), linked to the visit, in one transaction.
    The firm's contact (name, phone) submits it unless another phone is given."""
    workflow.check_actor(actor)
    with transaction.atomic():
        locked = (Visit.objects.select_for_update(of=("self",)).select_related("member_unit__region")
                  .filter(pk=pk_of(visit)).first())
        if locked is None:
            raise NotFound(_("Not found."))
        _authorize(actor)(locked)
        unit = locked.member_unit
        demand, _created = demand_services.submit_demand(
            title=title, description=description, channel=Channel.ENTERPRISE, priority=priority, member_unit=unit,
            submitter_name=unit.contact_name, submitter_phone=(contact_phone or "").strip() or unit.contact_phone,
            recorded_by=user_of(actor))
        locked.demands.add(demand)
        workflow.record_step(locked, VisitAction.RAISE_DEMAND, workflow=VISIT_FLOW, actor=actor,
                             note=demand.tracking_code, extra={"demand": demand.pk})
    return demand


def link_demand(visit, *, actor, demand_id) -> object:
    """Link to the visit a demand the visited firm made already (enterprise channel, through its liaison) about a
    need found on the visit. Only the firm's own demands: another one is a field error."""
    workflow.check_actor(actor)
    with transaction.atomic():
        locked = Visit.objects.select_for_update(of=("self",)).select_related("member_unit__region") \
            .filter(pk=pk_of(visit)).first()
        if locked is None:
            raise NotFound(_("Not found."))
        _authorize(actor)(locked)
        demand = Demand.objects.filter(pk=pk_of(demand_id) or 0, member_unit_id=locked.member_unit_id).first()
        if demand is None:
            raise ValidationFailed.on("demand", _("Choose a demand of the visited firm."))
        locked.demands.add(demand)
        workflow.record_step(locked, VisitAction.LINK_DEMAND, workflow=VISIT_FLOW, actor=actor,
                             note=demand.tracking_code, extra={"demand": demand.pk})
    return demand
