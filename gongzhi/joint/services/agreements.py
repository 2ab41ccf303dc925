"""Writes of the agreements part: co-building agreements (drawn up, signed, expired, renewed), their commitments
and monthly progress reports; 众筹共建 projects and the pledges of member units. One transaction per call; the
agreement's state changes only through `gongzhi.core.workflow.transition` (AGREEMENT_FLOW). Bad input is a
ValidationFailed naming the field; out of scope is NotFound; a step the rules refuse is Forbidden."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import scoped
from gongzhi.core.errors import Conflict, Forbidden, InvalidTransition, ValidationFailed
from gongzhi.core.workflow import SYSTEM, check_actor, find, is_user, record_creation, transition, user_of
from gongzhi.joint.models import (
    Agreement,
    AgreementParty,
    Commitment,
    CrowdProject,
    KpiDirection,
    Platform,
    Pledge,
    PledgeKind,
    ProgressReport,
    ProgressValue,
)
from gongzhi.joint.policies import agreements as policies
from gongzhi.joint.selectors import agreements as selectors
from gongzhi.joint.workflow_agreements import (
    AGREEMENT_FLOW,
    REPORTING_STATES,
    AgreementAction,
    AgreementState,
)
from gongzhi.registry.models import MemberUnit, PartyOrg, Region, RegionKind

MAX_AMOUNT = Decimal("999999999999.99")
COMMITMENT_FIELDS = ("text", "kpi_name", "measure", "baseline", "target", "direction", "member_unit")


def _save(obj, actor, reason: str) -> None:
    obj._history_user = user_of(actor)
    obj._change_reason = reason
    obj.save()


def _refuse_unless_managing(actor, region) -> None:
    if not policies.manages_region(actor, region):
        raise Forbidden(_("You do not have permission to do this."))


def _amount(errors: dict, name: str, raw, *, positive: bool = False) -> Decimal | None:
    """`raw` as an amount ≥ 0 (> 0 with `positive`), or None with the field's error noted."""
    try:
        value = Decimal(str(raw).strip()) if raw is not None and str(raw).strip() != "" else None
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite():
        errors.setdefault(name, []).append(_("Enter a number."))
        return None
    if value < 0:
        errors.setdefault(name, []).append(_("Cannot be negative."))
        return None
    if positive and value == 0:
        errors.setdefault(name, []).append(_("Must be more than zero."))
        return None
    if value > MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        errors.setdefault(name, []).append(_("Enter a number with at most two decimals."))
        return None
    return value.quantize(Decimal("0.01"))


def _visible_units(actor, units, *, check: bool = True) -> list[MemberUnit]:
    pks = [getattr(u, "pk", u) for u in units]
    qs = MemberUnit.objects.filter(pk__in=pks)
    if check and is_user(actor):
        qs = scoped(actor, qs, policies.MANAGE)
    found = {u.pk: u for u in qs}
    return [found[pk] for pk in pks if pk in found]


def _next_code(year: int) -> str:
    prefix = f"XY-{year}-"
    n = Agreement.objects.filter(code__startswith=prefix).count() + 1
    while Agreement.objects.filter(code=f"{prefix}{n:03d}").exists():
        n += 1
    return f"{prefix}{n:03d}"


def clean_commitment(values: dict, *, parties: set[int], prefix: str = "") -> tuple[dict, dict]:
    """A commitment's cleaned values and its field errors ({prefix + field: [message]})."""
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    for name in ("text", "kpi_name", "measure"):
        text = (values.get(name) or "").strip()
        limit = Commitment._meta.get_field(name).max_length
        if not text:
            errors.setdefault(prefix + name, []).append(_("This field is required."))
        elif len(text) > limit:
            errors.setdefault(prefix + name, []).append(_("At most %(n)d characters.") % {"n": limit})
        cleaned[name] = text
    cleaned["baseline"] = _amount(errors, prefix + "baseline", values.get("baseline") or 0)
    cleaned["target"] = _amount(errors, prefix + "target", values.get("target"))
    direction = values.get("direction") or KpiDirection.AT_LEAST
    if direction not in KpiDirection.values:
        errors.setdefault(prefix + "direction", []).append(_("Choose a valid option."))
    cleaned["direction"] = direction
    unit = values.get("member_unit")
    unit_pk = getattr(unit, "pk", unit) or None
    if unit_pk is not None and unit_pk not in parties:
        errors.setdefault(prefix + "member_unit", []).append(_("Only a party to the agreement commits."))
    cleaned["member_unit_id"] = unit_pk
    return cleaned, errors


# --- Agreements ------------------------------------------------------------------------------------------------

def create_agreement(region, *, actor, title: str, starts_on: dt.date, ends_on: dt.date, units, memo: str = "",
                     party_org=None, platform=None, code: str = "", commitments: list[dict] = (),
                     previous: Agreement | None = None, now: dt.datetime | None = None) -> Agreement:
    """A draft agreement of the sub-district `region` with the member `units` as parties, for the term
    [starts_on, ends_on], and its `commitments` (dicts of text, kpi_name, measure, baseline, target, direction,
    member_unit)."""
    check_actor(actor)
    errors: dict[str, list[str]] = {}
    region = region if isinstance(region, Region) or region is None else Region.objects.filter(pk=region).first()
    if region is None or region.kind != RegionKind.SUBDISTRICT:
        raise ValidationFailed.on("region", _("Choose a sub-district."))
    _refuse_unless_managing(actor, region)
    title = (title or "").strip()
    if not title:
        errors.setdefault("title", []).append(_("This field is required."))
    if not starts_on:
        errors.setdefault("starts_on", []).append(_("This field is required."))
    if not ends_on:
        errors.setdefault("ends_on", []).append(_("This field is required."))
    elif starts_on and ends_on <= starts_on:
        errors.setdefault("ends_on", []).append(_("The term must end after it begins."))
    # a renewal keeps the parties of the agreement it renews, wherever they are
    chosen = _visible_units(actor, units or [], check=previous is None)
    if not chosen:
        errors.setdefault("units", []).append(_("Choose at least one member unit."))
    elif len(chosen) != len({getattr(u, "pk", u) for u in units}):
        errors.setdefault("units", []).append(_("Choose member units you manage."))
    if party_org is not None:
        party_org = party_org if isinstance(party_org, PartyOrg) else PartyOrg.objects.filter(pk=party_org).first()
        if party_org is None or not party_org.region.path.startswith(region.path):
            errors.setdefault("party_org", []).append(_("Choose a party organization of this sub-district."))
    if platform is not None:
        platform = platform if isinstance(platform, Platform) else Platform.objects.filter(pk=platform).first()
        if platform is None or not region.path.startswith(platform.region.path):
            errors.setdefault("platform", []).append(_("Choose a platform serving this sub-district."))
    code = (code or "").strip()
    if code and Agreement.objects.filter(code=code).exists():
        errors.setdefault("code", []).append(_("An agreement with this number exists."))
    parties = {u.pk for u in chosen}
    cleaned_commitments, kpis = [], set()
    for i, values in enumerate(commitments or []):
        cleaned, found = clean_commitment(values, parties=parties)
        for name, messages in found.items():
            errors.setdefault(name, []).extend(messages)
        if cleaned["kpi_name"] in kpis:
            errors.setdefault("kpi_name", []).append(_("Each KPI is named once in an agreement."))
        kpis.add(cleaned["kpi_name"])
        cleaned_commitments.append(cleaned | {"position": i})
    if errors:
        raise ValidationFailed(_("Check the form."), field_errors=errors)
    now = now or timezone.now()
    with transaction.atomic():
        made = Agreement(code=code or _next_code(starts_on.year), title=title, region=region, party_org=party_org,
                         platform=platform, starts_on=starts_on, ends_on=ends_on, memo=(memo or "").strip(),
                         previous=previous, created_by=user_of(actor), created_at=now)
        _save(made, actor, "create")
        for unit in chosen:
            _save(AgreementParty(agreement=made, member_unit=unit), actor, "create")
        for cleaned in cleaned_commitments:
            _save(Commitment(agreement=made, **cleaned), actor, "create")
        record_creation(made, AgreementAction.CREATE, workflow=AGREEMENT_FLOW, actor=actor, now=now,
                        extra={"previous": previous.pk} if previous else None)
    return made


def _agreement(actor, subject) -> Agreement:
    return find(actor, subject, Agreement, selectors.agreement, related=("region",))


def add_commitment(agreement, *, actor, **values) -> Commitment:
    """A further commitment of a draft agreement."""
    agreement = _agreement(actor, agreement)
    _refuse_unless_managing(actor, agreement.region)
    if agreement.state != AgreementState.DRAFT:
        raise Conflict(_("Commitments are set while the agreement is a draft."))
    parties = set(agreement.parties.values_list("member_unit_id", flat=True))
    cleaned, errors = clean_commitment(values, parties=parties)
    if not errors and agreement.commitments.filter(kpi_name=cleaned["kpi_name"]).exists():
        errors["kpi_name"] = [_("Each KPI is named once in an agreement.")]
    if errors:
        raise ValidationFailed(_("Check the form."), field_errors=errors)
    with transaction.atomic():
        Agreement.objects.select_for_update().get(pk=agreement.pk)
        position = agreement.commitments.count()
        made = Commitment(agreement=agreement, position=position, **cleaned)
        try:
            with transaction.atomic():
                _save(made, actor, "create")
        except IntegrityError:
            raise ValidationFailed.on("kpi_name", _("Each KPI is named once in an agreement."))
    return made


def reword_commitments(changes: list[tuple[Commitment, str]], *, actor) -> None:
    """The Excel import's new wording of existing commitments (their KPIs and targets stay), in one transaction."""
    with transaction.atomic():
        for commitment, text in changes:
            agreement = _agreement(actor, commitment.agreement_id)
            _refuse_unless_managing(actor, agreement.region)
            _cleaned, errors = clean_commitment({"text": text, "kpi_name": commitment.kpi_name,
                                                 "measure": commitment.measure, "target": commitment.target},
                                                parties=set())
            if errors:
                raise ValidationFailed(_("Check the form."), field_errors=errors)
            commitment.text = text.strip()
            _save(commitment, actor, "reword")


def transition_agreement(agreement, action: str, *, actor, note: str = "", now=None) -> Agreement:
    """Sign (a draft with at least one commitment), expire (in force) or cancel (a draft, with a reason)."""
    if action not in (AgreementAction.SIGN, AgreementAction.EXPIRE, AgreementAction.CANCEL):
        raise ValidationFailed.on("action", _("Choose a valid option."))
    agreement = _agreement(actor, agreement)

    def authorize(locked):
        if not policies.manages(actor, locked):
            raise Forbidden(_("You do not have permission to do this."))
        if action == AgreementAction.SIGN and not locked.commitments.exists():
            raise ValidationFailed(_("Add at least one commitment before signing."))

    return transition(agreement, action, workflow=AGREEMENT_FLOW, actor=actor, note=note, now=now,
                      authorize=authorize, related=("region",))


def expire_due_agreements(*, today: dt.date | None = None) -> int:
    """Expire the agreements in force whose term ended before `today` (the system's daily step)."""
    today = today or timezone.localdate()
    done = 0
    for pk in Agreement.objects.filter(state=AgreementState.IN_FORCE, ends_on__lt=today).values_list("pk", flat=True):
        transition(pk, AgreementAction.EXPIRE, workflow=AGREEMENT_FLOW, actor=SYSTEM,
                   note=_("The term has ended."))
        done += 1
    return done


def renew_agreement(agreement, *, actor, starts_on: dt.date, ends_on: dt.date, title: str = "", note: str = "",
                    now: dt.datetime | None = None) -> Agreement:
    """Renew an agreement in force (or expired): it becomes renewed, and the next agreement, a draft for the new
    term with the same parties, memo and platform, linked to it, carries copies of its commitments."""
    agreement = _agreement(actor, agreement)
    errors: dict[str, list[str]] = {}
    if not starts_on:
        errors["starts_on"] = [_("This field is required.")]
    elif starts_on <= agreement.ends_on:
        errors["starts_on"] = [_("The new term begins after the current one ends (%(day)s).")
                               % {"day": agreement.ends_on.isoformat()}]
    if not ends_on:
        errors["ends_on"] = [_("This field is required.")]
    elif starts_on and ends_on <= starts_on:
        errors["ends_on"] = [_("The term must end after it begins.")]
    if errors:
        raise ValidationFailed(_("Check the form."), field_errors=errors)
    with transaction.atomic():
        def authorize(locked):
            if not policies.manages(actor, locked):
                raise Forbidden(_("You do not have permission to do this."))
            if policies.has_renewal(locked):
                raise InvalidTransition(_("This agreement has been renewed already."))

        old = transition(agreement, AgreementAction.RENEW, workflow=AGREEMENT_FLOW, actor=actor, note=note, now=now,
                         authorize=authorize, related=("region", "party_org", "platform"))
        copies = [{name: getattr(c, name if name != "member_unit" else "member_unit_id") for name in COMMITMENT_FIELDS}
                  for c in old.commitments.order_by("position", "pk")]
        made = create_agreement(old.region, actor=actor, title=(title or "").strip() or old.title,
                                starts_on=starts_on, ends_on=ends_on,
                                units=list(old.parties.values_list("member_unit_id", flat=True)),
                                memo=old.memo, party_org=old.party_org, platform=old.platform, commitments=copies,
                                previous=old, now=now)
    return made


def record_report(agreement, *, actor, period: dt.date, values: dict, note: str = "",
                  now: dt.datetime | None = None) -> ProgressReport:
    """The progress report of one month (`period`, any day of it) with each commitment's KPI value
    (``values`` {commitment id: value}): the agreement in force (or expired), the month within its term, one report
    a month, a value ≥ 0 for every commitment."""
    agreement = _agreement(actor, agreement)
    _refuse_unless_managing(actor, agreement.region)
    if agreement.state not in REPORTING_STATES:
        raise Conflict(_("Progress is reported on an agreement in force."))
    errors: dict[str, list[str]] = {}
    month = period.replace(day=1) if period else None
    if month is None:
        errors["period"] = [_("This field is required.")]
    elif month not in selectors.months(agreement.starts_on, agreement.ends_on):
        errors["period"] = [_("The month is outside the agreement's term (%(start)s – %(end)s).")
                            % {"start": agreement.starts_on.isoformat(), "end": agreement.ends_on.isoformat()}]
    elif agreement.reports.filter(period=month).exists():
        errors["period"] = [_("This month has been reported already.")]
    items = list(agreement.commitments.order_by("position", "pk"))
    given = {int(k): v for k, v in (values or {}).items()}
    unknown = set(given) - {c.pk for c in items}
    if unknown:
        errors["values"] = [_("A value names no commitment of this agreement.")]
    cleaned = {}
    for c in items:
        name = f"value_{c.pk}"
        if given.get(c.pk) is None or str(given[c.pk]).strip() == "":
            errors[name] = [_("This field is required.")]
        else:
            cleaned[c.pk] = _amount(errors, name, given[c.pk])
    if errors:
        raise ValidationFailed(_("Check the form."), field_errors=errors)
    with transaction.atomic():
        report = ProgressReport(agreement=agreement, period=month, note=(note or "").strip(),
                                reported_by=user_of(actor), created_at=now or timezone.now())
        try:
            with transaction.atomic():
                _save(report, actor, "report")
        except IntegrityError:
            raise ValidationFailed.on("period", _("This month has been reported already."))
        for c in items:
            _save(ProgressValue(report=report, commitment=c, value=cleaned[c.pk]), actor, "report")
    return report


# --- 众筹共建 projects ---------------------------------------------------------------------------------------------

def create_project(region, *, actor, title: str, description: str = "", goal_money=0, goal_venue=0, goal_hours=0,
                   platform=None, now: dt.datetime | None = None) -> CrowdProject:
    """A crowd-funded project of the sub-district `region`, with its goal per kind (≥ 0, one at least above zero)."""
    check_actor(actor)
    region = region if isinstance(region, Region) or region is None else Region.objects.filter(pk=region).first()
    if region is None or region.kind != RegionKind.SUBDISTRICT:
        raise ValidationFailed.on("region", _("Choose a sub-district."))
    _refuse_unless_managing(actor, region)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("This field is required.")]
    goals = {name: _amount(errors, name, raw if raw not in (None, "") else 0)
             for name, raw in (("goal_money", goal_money), ("goal_venue", goal_venue), ("goal_hours", goal_hours))}
    if not errors and not any(goals.values()):
        errors["goal_money"] = [_("Set a goal for at least one kind.")]
    if platform is not None:
        platform = platform if isinstance(platform, Platform) else Platform.objects.filter(pk=platform).first()
        if platform is None or not region.path.startswith(platform.region.path):
            errors["platform"] = [_("Choose a platform serving this sub-district.")]
    if errors:
        raise ValidationFailed(_("Check the form."), field_errors=errors)
    with transaction.atomic():
        made = CrowdProject(title=title, description=(description or "").strip(), region=region, platform=platform,
                            created_by=user_of(actor), created_at=now or timezone.now(), **goals)
        _save(made, actor, "create")
    return made


def pledge(project, *, actor, member_unit, kind: str, amount, note: str = "",
           now: dt.datetime | None = None) -> Pledge:
    """A member unit's pledge to a project: money (yuan), venue (sessions) or people-hours, more than zero; a unit
    pledges once per kind (the database's constraint settles two pledges made at once: one is kept, the other is
    refused like a repeated one)."""
    project = find(actor, project, CrowdProject, selectors.project, related=("region",))
    _refuse_unless_managing(actor, project.region)
    errors: dict[str, list[str]] = {}
    unit_pk = getattr(member_unit, "pk", member_unit)
    units = _visible_units(actor, [unit_pk]) if unit_pk else []
    if not units:
        errors["member_unit"] = [_("Choose a member unit you manage.")]
    if kind not in PledgeKind.values:
        errors["kind"] = [_("Choose a valid option.")]
    value = _amount(errors, "amount", amount, positive=True)
    note = (note or "").strip()
    if len(note) > 200:
        errors["note"] = [_("At most %(n)d characters.") % {"n": 200}]
    repeated = _("This unit has pledged this kind already.")
    if not errors and Pledge.objects.filter(project=project, member_unit_id=unit_pk, kind=kind).exists():
        errors["kind"] = [repeated]
    if errors:
        raise ValidationFailed(_("Check the form."), field_errors=errors)
    try:
        with transaction.atomic():
            made = Pledge(project=project, member_unit=units[0], kind=kind, amount=value, note=note,
                          recorded_by=user_of(actor), created_at=now or timezone.now())
            _save(made, actor, "pledge")
    except IntegrityError:
        raise ValidationFailed.on("kind", repeated)
    return made


def import_agreements(plans: list[dict], *, actor) -> list[Agreement]:
    """The Excel import's new agreements, each a dict of `create_agreement`'s arguments, in one transaction."""
    made = []
    with transaction.atomic():
        for plan in plans:
            made.append(create_agreement(plan.pop("region"), actor=actor, **plan))
    return made
