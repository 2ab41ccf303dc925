"""Writes of the pairings part: pairings (create under the anchor's capacity, record contacts, end), the
sub-district's rules, the daily alerts of pairings without contact, incubation cohorts (checklist, participants,
progress), the Excel import and the demo's bulk import.

Capacity: a new pairing locks its anchor's row (the party member or the member unit) and counts the anchor's
active pairings of its kind under that lock, so parallel pairings of one anchor can never together pass the
capacity (SQLite's IMMEDIATE transactions queue the writers the same way). Over capacity is a field error on the
anchor. The partial unique constraints of `Pairing` settle duplicates of the same partner.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from gongzhi.accounts.models import RoleAssignment
from gongzhi.accounts.roles import Role
from gongzhi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM, check_actor, is_user, pk_of, record_creation, transition, user_of
from gongzhi.registry.models import Household, MemberUnit, PartyMember, PartyOrg, Region, RegionKind
from gongzhi.volunteering.models import (
    DEFAULT_REQUIREMENTS,
    MAX_CAPACITY,
    MAX_INTERVAL_DAYS,
    PARTNER_OF,
    UNIT_ANCHORED,
    Activity,
    Cohort,
    CohortParticipant,
    CohortProgress,
    CohortRequirement,
    ContactKind,
    Pairing,
    PairingContact,
    PairingKind,
    PairingRule,
    PairingTransition,
    Volunteer,
)
from gongzhi.volunteering.policies import pairings as policies
from gongzhi.volunteering.selectors import pairings as selectors
from gongzhi.volunteering.workflow import PAIRING_FLOW, PairingAction, PairingState

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
NOTE_MAX = 300


def new_code() -> str:
    while True:
        code = "JD" + "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))
        if not Pairing.objects.filter(code=code).exists():
            return code


def _fail(errors: dict[str, list[str]]):
    raise ValidationFailed(_("Please correct the errors below."), field_errors=errors)


def _region(actor, region) -> Region:
    found = Region.objects.filter(pk=pk_of(region)).first() if region is not None else None
    if found is None:
        raise ValidationFailed.on("region", _("Choose a region."))
    if is_user(actor) and not policies.manages(actor, found):
        raise Forbidden(_("You do not have permission to do this."))
    return found


# --- rules ------------------------------------------------------------------------------------------------------

def _whole(value, field: str, low: int, high: int) -> int:
    if isinstance(value, bool):
        value = None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or str(number) != str(value).strip() or not low <= number <= high:
        raise ValidationFailed.on(field, _("Enter a whole number from %(low)s to %(high)s.") % {
            "low": low, "high": high})
    return number


def set_rule(region, *, actor, kind: str, capacity, contact_interval_days) -> PairingRule:
    """A sub-district's capacity per anchor and contact interval for one kind (staff managing the sub-district).
    Lowering a capacity below an anchor's load keeps its pairings; it only refuses new ones."""
    check_actor(actor)
    if kind not in PairingKind.values:
        raise ValidationFailed.on("kind", _("Choose a kind of pairing."))
    capacity = _whole(capacity, "capacity", 1, MAX_CAPACITY)
    days = _whole(contact_interval_days, "contact_interval_days", 1, MAX_INTERVAL_DAYS)
    found = Region.objects.filter(pk=pk_of(region)).first()
    if found is None or found.kind != RegionKind.SUBDISTRICT:
        raise ValidationFailed.on("region", _("Rules are set per sub-district."))
    if not policies.manages(actor, found):
        raise Forbidden(_("You do not have permission to do this."))
    with transaction.atomic():
        rule = PairingRule.objects.select_for_update().filter(region=found, kind=kind).first()
        if rule is None:
            rule = PairingRule(region=found, kind=kind)
        rule.capacity, rule.contact_interval_days = capacity, days
        rule._history_user = user_of(actor)
        rule.save()
        return rule


# --- pairings ---------------------------------------------------------------------------------------------------

def _check_pairing(kind, member, unit, volunteer, household, shop_name, started_on, today) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in PairingKind.values:
        _fail({"kind": [_("Choose a kind of pairing.")]})
    if kind in UNIT_ANCHORED:
        if unit is None:
            errors["unit"] = [_("Choose the member unit.")]
    elif member is None:
        errors["member"] = [_("Choose the party member.")]
    partner = PARTNER_OF[kind]
    if partner == "volunteer" and volunteer is None:
        errors["volunteer"] = [_("Choose the young volunteer.")]
    if partner == "household":
        if household is None:
            errors["household"] = [_("Choose the household.")]
        elif kind == PairingKind.UNIT_HOUSEHOLD and not household.hardship:
            errors["household"] = [_("Units pair with households in hardship: this household is not marked so.")]
    if partner == "shop_name" and not shop_name:
        errors["shop_name"] = [_("Enter the shop's name.")]
    if started_on is None:
        errors["started_on"] = [_("Enter the date of the pairing.")]
    elif started_on > today:
        errors["started_on"] = [_("The date cannot be in the future.")]
    if errors:
        _fail(errors)


def _get(model, value, field: str, message):
    if value is None or value == "":
        return None
    found = model.objects.filter(pk=pk_of(value)).first()
    if found is None:
        raise ValidationFailed.on(field, message)
    return found


def pair(*, actor, kind: str, region, member=None, unit=None, volunteer=None, household=None, shop_name: str = "",
         shop_address: str = "", started_on: date | None = None, note: str = "", code: str = "") -> Pairing:
    """Pair an anchor with a partner (staff managing `region`). Field errors, nothing written: a missing or wrong
    anchor or partner, a future date, a partner already paired with this anchor, the anchor at its capacity."""
    check_actor(actor)
    today = timezone.localdate()
    region = _region(actor, region)
    kind = (kind or "").strip()
    member = _get(PartyMember, member, "member", _("Choose the party member.")) if kind not in UNIT_ANCHORED else None
    unit = _get(MemberUnit, unit, "unit", _("Choose the member unit.")) if kind in UNIT_ANCHORED else None
    partner = PARTNER_OF.get(kind)
    volunteer = _get(Volunteer, volunteer, "volunteer", _("Choose the young volunteer.")) \
        if partner == "volunteer" else None
    household = _get(Household, household, "household", _("Choose the household.")) if partner == "household" else None
    shop_name = (shop_name or "").strip()[:80] if partner == "shop_name" else ""
    shop_address = (shop_address or "").strip()[:120] if partner == "shop_name" else ""
    started_on = started_on or today
    _check_pairing(kind, member, unit, volunteer, household, shop_name, started_on, today)
    anchor_field = "unit" if unit is not None else "member"
    with transaction.atomic():
        model = MemberUnit if unit is not None else PartyMember
        anchor = model.objects.select_for_update(of=("self",)).get(pk=(unit or member).pk)
        capacity, _interval = selectors.rule_of(region, kind)
        held = Pairing.objects.filter(**{anchor_field: anchor}, kind=kind, state=PairingState.ACTIVE).count()
        if held >= capacity:
            raise ValidationFailed.on(anchor_field, _(
                "%(anchor)s already holds %(held)s of %(capacity)s pairings of the kind “%(kind)s”: end one first "
                "or choose another.") % {"anchor": anchor, "held": held, "capacity": capacity,
                                         "kind": PairingKind(kind).label})
        if kind == PairingKind.YOUTH and Pairing.objects.filter(
                kind=kind, volunteer=volunteer, state=PairingState.ACTIVE).exists():
            raise ValidationFailed.on("volunteer", _("This young volunteer is already paired with a party member."))
        same = Pairing.objects.filter(**{anchor_field: anchor}, state=PairingState.ACTIVE)
        if (volunteer and same.filter(volunteer=volunteer).exists()) or (
                household and same.filter(household=household).exists()) or (
                shop_name and same.filter(shop_name=shop_name).exists()):
            raise ValidationFailed.on(partner, _("This partner is already paired with this anchor."))
        made = Pairing(code=code or new_code(), kind=kind, region=region, member=member, unit=unit,
                       volunteer=volunteer, household=household, shop_name=shop_name, shop_address=shop_address,
                       started_on=started_on, note=(note or "").strip()[:200], created_by=user_of(actor))
        made._history_user = user_of(actor)
        try:
            with transaction.atomic():
                made.save()
        except IntegrityError:
            raise ValidationFailed.on(partner, _("This partner is already paired with this anchor.")) from None
        record_creation(made, PairingAction.PAIR, workflow=PAIRING_FLOW, actor=actor)
        return made


def _pairing(actor, pairing) -> Pairing:
    found = Pairing.objects.select_related("region", "member", "unit").filter(pk=pk_of(pairing)).first()
    if found is None or (is_user(actor) and not policies.sees(actor, found)):
        raise NotFound(_("Not found."))
    return found


def record_contact(pairing, *, actor, contacted_on: date | None, kind: str, note: str = "") -> PairingContact:
    """A contact of an active pairing: staff managing its region, or its anchor's own member or liaison."""
    check_actor(actor)
    errors: dict[str, list[str]] = {}
    if kind not in ContactKind.values:
        errors["kind"] = [_("Choose how you were in contact.")]
    if contacted_on is None:
        errors["contacted_on"] = [_("Enter the date of the contact.")]
    elif contacted_on > timezone.localdate():
        errors["contacted_on"] = [_("The date cannot be in the future.")]
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = [_("At most %(n)s characters.") % {"n": NOTE_MAX}]
    found = _pairing(actor, pairing)
    if actor is not SYSTEM and not (policies.manages(actor, found.region) or policies.is_anchor_user(actor, found)):
        raise Forbidden(_("You do not have permission to do this."))
    if errors:
        _fail(errors)
    with transaction.atomic():
        locked = Pairing.objects.select_for_update(of=("self",)).get(pk=found.pk)
        if locked.state != PairingState.ACTIVE:
            raise Conflict(_("This pairing has ended: no more contacts are recorded."))
        if contacted_on < locked.started_on:
            raise ValidationFailed.on("contacted_on", _("The contact cannot be before the pairing began."))
        contact = PairingContact(pairing=locked, contacted_on=contacted_on, kind=kind, note=note,
                                 recorded_by=user_of(actor))
        contact._history_user = user_of(actor)
        contact.save()
        return contact


def end_pairing(pairing, *, actor, reason: str, ended_on: date | None = None) -> Pairing:
    """End an active pairing with a reason (staff managing its region)."""
    check_actor(actor)
    ended_on = ended_on or timezone.localdate()
    if ended_on > timezone.localdate():
        raise ValidationFailed.on("ended_on", _("The date cannot be in the future."))

    def authorize(locked):
        if actor is SYSTEM:
            return
        if not policies.sees(actor, locked):
            raise NotFound(_("Not found."))
        if not policies.manages(actor, locked.region):
            raise Forbidden(_("You do not have permission to do this."))
        if ended_on < locked.started_on:
            raise ValidationFailed.on("ended_on", _("A pairing cannot end before it began."))

    return transition(pairing, PairingAction.END, workflow=PAIRING_FLOW, actor=actor, note=reason,
                      authorize=authorize, related=("region", "member", "unit"), ended_on=ended_on)


# --- alerts -----------------------------------------------------------------------------------------------------

def alert_recipients(p: Pairing) -> list:
    """Who hears that a pairing lacks contact: the anchor's account (the member's, or the unit's liaisons) and the
    staff of its area (the area's secretaries; the sub-district's administrators for a sub-district pairing)."""
    users = []
    if p.member_id and p.member.user_id:
        users.append(p.member.user)
    if p.unit_id:
        users += [a.user for a in RoleAssignment.objects.filter(member_unit_id=p.unit_id, role=Role.UNIT_LIAISON)
                  .select_related("user")]
    area = p.region.ancestor_of_kind(RegionKind.RESIDENTIAL_AREA)
    if area is not None:
        users += [a.user for a in RoleAssignment.objects.filter(region=area, role=Role.AREA_SECRETARY)
                  .select_related("user")]
    else:
        sub = p.region.subdistrict()
        users += [a.user for a in RoleAssignment.objects.filter(region=sub, role=Role.SUBDISTRICT_ADMIN)
                  .select_related("user")]
    return list({u.pk: u for u in users if u is not None and u.is_active}.values())


def notify_overdue(*, today: date | None = None) -> list[int]:
    """The daily job: each pairing without contact for more than its interval is told once (one inbox message
    per recipient per pairing per run). Returns the pairings alerted."""
    from gongzhi.demands.notify import notify_users

    today = today or timezone.localdate()
    rules = selectors.Rules()
    rows = list(selectors.with_last_contact(Pairing.objects.select_related("region", "member__user", "unit",
                                                                           "volunteer", "household__building"))
                .filter(selectors.overdue_q(today, rules)).order_by("pk"))
    alerted = []
    for p in rows:
        days = (today - p.last_seen).days
        text = (_("Pairing %(code)s (%(anchor)s ↔ %(partner)s) has had no contact for %(days)s days.")
                if p.last_contact else
                _("Pairing %(code)s (%(anchor)s ↔ %(partner)s) has had no contact since it began %(days)s days ago.")
                ) % {"code": p.code, "anchor": p.anchor, "partner": p.partner_label, "days": days}
        notify_users(alert_recipients(p), None, text, link=reverse("volunteering:pairings_detail", args=[p.pk]))
        alerted.append(p.pk)
    return alerted


# --- cohorts ----------------------------------------------------------------------------------------------------

def _text(value, field: str, limit: int, *, required: bool = False, message=None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed.on(field, message or _("This field is required."))
    if len(value) > limit:
        raise ValidationFailed.on(field, _("At most %(n)s characters.") % {"n": limit})
    return value


def create_cohort(region, *, actor, name: str, starts_on: date | None, ends_on: date | None, organiser: str = "",
                  organization=None, requirements: list[str] | None = None) -> Cohort:
    """A cohort with its checklist: `requirements`, or the "五个一" by default (copied, then editable)."""
    check_actor(actor)
    region = _region(actor, region)
    name = _text(name, "name", 80, required=True, message=_("Enter the cohort's name."))
    organiser = _text(organiser, "organiser", 120)
    errors: dict[str, list[str]] = {}
    if starts_on is None:
        errors["starts_on"] = [_("Enter the first day.")]
    if ends_on is None:
        errors["ends_on"] = [_("Enter the last day.")]
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The last day cannot be before the first.")]
    org = _get(PartyOrg, organization, "organization", _("Choose a party organization."))
    if errors:
        _fail(errors)
    titles = [t.strip()[:60] for t in (requirements if requirements is not None else DEFAULT_REQUIREMENTS)
              if t and t.strip()]
    with transaction.atomic():
        cohort = Cohort(name=name, region=region, organiser=organiser or (org.name if org else ""),
                        organization=org, starts_on=starts_on, ends_on=ends_on, created_by=user_of(actor))
        cohort._history_user = user_of(actor)
        cohort.save()
        for i, title in enumerate(titles):
            req = CohortRequirement(cohort=cohort, title=title, position=i)
            req._history_user = user_of(actor)
            req.save()
        return cohort


def _cohort(actor, cohort) -> Cohort:
    found = Cohort.objects.select_related("region").filter(pk=pk_of(cohort)).first()
    if found is None or (is_user(actor) and not policies.sees_cohort(actor, found)):
        raise NotFound(_("Not found."))
    if is_user(actor) and not policies.runs_cohort(actor, found):
        raise Forbidden(_("You do not have permission to do this."))
    return found


def add_requirement(cohort, *, actor, title: str) -> CohortRequirement:
    check_actor(actor)
    found = _cohort(actor, cohort)
    title = _text(title, "title", 60, required=True, message=_("Enter the required activity."))
    if found.requirements.filter(title=title).exists():
        raise ValidationFailed.on("title", _("This activity is already on the checklist."))
    with transaction.atomic():
        last = found.requirements.order_by("-position").values_list("position", flat=True).first()
        req = CohortRequirement(cohort=found, title=title, position=(last + 1) if last is not None else 0)
        req._history_user = user_of(actor)
        req.save()
        return req


def remove_requirement(requirement, *, actor) -> None:
    """Take an activity off the checklist; refused once a participant completed it."""
    check_actor(actor)
    req = CohortRequirement.objects.filter(pk=pk_of(requirement)).first()
    if req is None:
        raise NotFound(_("Not found."))
    _cohort(actor, req.cohort_id)
    with transaction.atomic():
        if req.progress.exists():
            raise Conflict(_("Participants have completed this activity: it stays on the checklist."))
        req._history_user = user_of(actor)
        req.delete()


def add_participant(cohort, *, actor, volunteer=None, name: str = "", phone: str = "",
                    workplace: str = "") -> CohortParticipant:
    """A participant: a volunteer (their name and phone copied) or someone known by name (and phone)."""
    check_actor(actor)
    found = _cohort(actor, cohort)
    vol = _get(Volunteer, volunteer, "volunteer", _("Choose a volunteer."))
    name = _text(name or (vol.name if vol else ""), "name", 40, required=True, message=_("Enter the name."))
    phone = (phone or (vol.phone if vol else "") or "").replace(" ", "").strip()
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        raise ValidationFailed.on("phone", _("Enter a valid mobile or landline number."))
    workplace = _text(workplace, "workplace", 80)
    if vol is not None and found.participants.filter(volunteer=vol).exists():
        raise ValidationFailed.on("volunteer", _("This volunteer already takes part in the cohort."))
    with transaction.atomic():
        part = CohortParticipant(cohort=found, volunteer=vol, name=name, phone=phone, workplace=workplace)
        part._history_user = user_of(actor)
        try:
            with transaction.atomic():
                part.save()
        except IntegrityError:
            raise ValidationFailed.on("volunteer", _("This volunteer already takes part in the cohort.")) from None
        return part


def record_progress(participant, requirement, *, actor, done_on: date | None, note: str = "",
                    activity=None) -> CohortProgress:
    """A participant completed a required activity (on a date; a second record corrects the first)."""
    check_actor(actor)
    part = CohortParticipant.objects.filter(pk=pk_of(participant)).first()
    req = CohortRequirement.objects.filter(pk=pk_of(requirement)).first()
    if part is None or req is None:
        raise NotFound(_("Not found."))
    found = _cohort(actor, part.cohort_id)
    if req.cohort_id != found.pk:
        raise ValidationFailed.on("requirement", _("This activity is not on the cohort's checklist."))
    if done_on is None:
        raise ValidationFailed.on("done_on", _("Enter the date it was done."))
    if done_on > timezone.localdate():
        raise ValidationFailed.on("done_on", _("The date cannot be in the future."))
    note = _text(note, "note", 200)
    act = _get(Activity, activity, "activity", _("Choose an activity."))
    with transaction.atomic():
        row = CohortProgress.objects.select_for_update().filter(participant=part, requirement=req).first()
        if row is None:
            row = CohortProgress(participant=part, requirement=req)
        row.done_on, row.note, row.activity, row.recorded_by = done_on, note, act, user_of(actor)
        row._history_user = user_of(actor)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:  # recorded in parallel: the other record stands
            row = CohortProgress.objects.get(participant=part, requirement=req)
        return row


def clear_progress(participant, requirement, *, actor) -> None:
    check_actor(actor)
    row = CohortProgress.objects.filter(participant_id=pk_of(participant), requirement_id=pk_of(requirement)).first()
    if row is None:
        raise NotFound(_("Not found."))
    _cohort(actor, row.participant.cohort_id)
    row._history_user = user_of(actor)
    row.delete()


# --- Excel and the demo -----------------------------------------------------------------------------------------

@transaction.atomic
def import_pairings(new: list[dict], corrections: list[tuple[Pairing, dict]], *, actor) -> None:
    """The rows of a checked pairings file (gongzhi.volunteering.excel_pairings), in one transaction: new pairings
    made as on the page (capacity checked again under the anchors' locks), corrected notes and shop addresses."""
    for row in new:
        pair(actor=actor, **row)
    for obj, changes in corrections:
        locked = Pairing.objects.select_for_update().get(pk=obj.pk)
        if is_user(actor) and not policies.manages(actor, locked.region):
            raise Forbidden(_("You do not have permission to do this."))
        for name, value in changes.items():
            setattr(locked, name, value)
        locked._history_user = user_of(actor)
        locked.save(update_fields=list(changes))


@dataclass
class PastPairing:
    """A pairing of the past (the demo, a register): made on `started_on`, its contacts [(date, kind, note)],
    ended on `ended_on` with `end_reason` when given."""

    code: str
    kind: str
    region: Region
    started_on: date
    member: PartyMember | None = None
    unit: MemberUnit | None = None
    volunteer: Volunteer | None = None
    household: Household | None = None
    shop_name: str = ""
    shop_address: str = ""
    contacts: list[tuple[date, str, str]] = dataclass_field(default_factory=list)
    ended_on: date | None = None
    end_reason: str = ""


def import_past_pairings(rows: list[PastPairing], *, actor) -> int:
    """Take in past pairings with their contacts in one transaction (bulk), checking each against its anchor's
    capacity (rules as in force now) and the contact dates. SYSTEM only; nobody is notified."""
    if actor is not SYSTEM:
        raise Forbidden()
    load: dict[tuple, int] = {}
    rules = selectors.Rules()
    for i, r in enumerate(rows):
        anchor = ("unit", r.unit.pk) if r.kind in UNIT_ANCHORED else ("member", r.member.pk)
        if r.ended_on is None:
            key = (*anchor, r.kind)
            load[key] = load.get(key, 0) + 1
            if load[key] > rules.of(r.region, r.kind)[0]:
                raise ValidationFailed.on("member", _("Row %(n)s: the anchor is over its capacity.") % {"n": i + 1})
        if any(d < r.started_on for d, _k, _n in r.contacts):
            raise ValidationFailed.on("contacts", _("Row %(n)s: a contact before the pairing began.") % {"n": i + 1})
    with transaction.atomic():
        made = [Pairing(code=r.code, kind=r.kind, region=r.region, member=r.member, unit=r.unit,
                        volunteer=r.volunteer, household=r.household, shop_name=r.shop_name,
                        shop_address=r.shop_address, started_on=r.started_on,
                        state=PairingState.ENDED if r.ended_on else PairingState.ACTIVE, ended_on=r.ended_on)
                for r in rows]
        bulk_create_with_history(made, Pairing, batch_size=1000, default_change_reason="history import")
        saved = dict(Pairing.objects.filter(code__in=[r.code for r in rows]).values_list("code", "pk"))
        logs, contacts = [], []
        for r in rows:
            pk = saved[r.code]
            start = timezone.make_aware(timezone.datetime.combine(r.started_on, timezone.datetime.min.time()))
            logs.append(PairingTransition(pairing_id=pk, action=PairingAction.PAIR, from_state="",
                                          to_state=PairingState.ACTIVE, actor_label=SYSTEM.key, created_at=start))
            if r.ended_on:
                end = timezone.make_aware(timezone.datetime.combine(r.ended_on, timezone.datetime.min.time()))
                logs.append(PairingTransition(pairing_id=pk, action=PairingAction.END, from_state=PairingState.ACTIVE,
                                              to_state=PairingState.ENDED, actor_label=SYSTEM.key,
                                              note=r.end_reason or "-", created_at=end))
            contacts += [PairingContact(pairing_id=pk, contacted_on=d, kind=k, note=n) for d, k, n in r.contacts]
        PairingTransition.objects.bulk_create(logs, batch_size=2000)
        PairingContact.objects.bulk_create(contacts, batch_size=2000)
    return len(made)
