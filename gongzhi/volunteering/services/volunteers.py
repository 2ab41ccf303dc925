"""Volunteers and the hours ledger (the volunteers part).

`credit_hours` is the one writer of the ledger: the activities part calls it at check-out (with the sign-up, so a
second check-out can never credit twice: the sign-up is unique on the ledger), staff call it for corrections
(`correct_hours`). It locks the volunteer's row, so two credits for the same day cannot together pass the 24-hour
limit.

The register: staff with ``volunteering.manage`` register volunteers in their scope (`register_volunteer`: only
with the volunteer's consent to the use of their data), edit them (`update_volunteer`), deactivate and reactivate
them; `import_volunteers` writes a checked Excel file (gongzhi.volunteering.excel_volunteers). A user signing up
for the first time gets their Volunteer through `get_or_create_volunteer_for` (the activities part calls it).
Who may do what is `gongzhi.volunteering.policies.volunteers`; every call is one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.errors import Forbidden, NotFound, NothingChanged, ValidationFailed
from gongzhi.core.workflow import SYSTEM, check_actor, is_user, pk_of, user_of
from gongzhi.registry.models import MemberUnit, PartyMember, Region, VolunteerTeam
from gongzhi.volunteering.models import MAX_HOURS_PER_DAY, HoursEntry, HoursKind, Volunteer
from gongzhi.volunteering.policies import volunteers as policies
from gongzhi.volunteering.selectors.volunteers import hours_on

QUARTER = Decimal("0.01")


def to_hours(value, field: str = "hours", *, allow_negative: bool = False) -> Decimal:
    """`value` (a Decimal, an int or a string such as "2.5") as hours with at most two decimals; a field error
    otherwise (floats are refused: they cannot hold the figure exactly)."""
    if isinstance(value, (float, bool)):
        raise ValidationFailed.on(field, _("Give the hours as a number with at most two decimals."))
    try:
        hours = Decimal(str(value).strip()) if value is not None else None
    except (InvalidOperation, ValueError):
        hours = None
    if hours is None or not hours.is_finite() or hours != hours.quantize(QUARTER):
        raise ValidationFailed.on(field, _("Give the hours as a number with at most two decimals."))
    if hours == 0 or (hours < 0 and not allow_negative):
        raise ValidationFailed.on(field, _("The hours must be more than zero."))
    if abs(hours) > MAX_HOURS_PER_DAY:
        raise ValidationFailed.on(field, _("No one serves more than 24 hours in a day."))
    return hours.quantize(QUARTER)


def credit_hours(volunteer, *, actor, hours, served_on: date, kind: str = HoursKind.SERVICE, activity=None,
                 signup=None, organiser: str = "", note: str = "") -> HoursEntry:
    """Append one row to the volunteer's ledger. Refuses, writing nothing: bad hours, a future date, a day that
    would pass 24 hours, a correction without a note, a sign-up already credited. Callers check their policy
    before calling (check-out: the organiser; corrections: staff managing volunteers)."""
    check_actor(actor)
    if kind not in HoursKind.values:
        raise ValidationFailed.on("kind", _("Choose a kind of entry."))
    value = to_hours(hours, allow_negative=kind == HoursKind.CORRECTION)
    if served_on > timezone.localdate():
        raise ValidationFailed.on("served_on", _("The date cannot be in the future."))
    if kind == HoursKind.CORRECTION and not (note or "").strip():
        raise ValidationFailed.on("note", _("Say why the hours are corrected."))
    with transaction.atomic():
        locked = Volunteer.objects.select_for_update(of=("self",)).get(pk=pk_of(volunteer))
        if signup is not None and HoursEntry.objects.filter(signup_id=pk_of(signup)).exists():
            raise ValidationFailed.on("signup", _("The hours of this sign-up are already credited."))
        day_total = hours_on(locked, served_on) + value
        if day_total > MAX_HOURS_PER_DAY:
            raise ValidationFailed.on("hours", _("No one serves more than 24 hours in a day."))
        if day_total < 0:
            raise ValidationFailed.on("hours", _("A correction cannot take more hours than the day has."))
        return HoursEntry.objects.create(
            volunteer=locked, kind=kind, hours=value, served_on=served_on, activity=activity, signup=signup,
            organiser=(organiser or "").strip()[:120], note=(note or "").strip()[:200], recorded_by=user_of(actor),
        )


# --- the register ------------------------------------------------------------------------------------------------

MOBILE = re.compile(r"^1[3-9]\d{9}$")
NAME_MAX = Volunteer._meta.get_field("name").max_length
SKILLS_MAX = Volunteer._meta.get_field("skills").max_length
AVAILABILITY_MAX = Volunteer._meta.get_field("availability").max_length
NOTE_MAX = HoursEntry._meta.get_field("note").max_length


def clean_phone(phone: str, field: str = "phone") -> str:
    """A mobile number without blanks or dashes; a field error when it is not an 11-digit mainland mobile."""
    value = re.sub(r"[\s-]", "", phone or "")
    if value and not MOBILE.match(value):
        raise ValidationFailed.on(field, _("Enter an 11-digit mobile number."))
    return value


def split_skills(skills: str) -> list[str]:
    return [s for s in (p.strip() for p in re.split(r"[、,，;；]+", skills or "")) if s]


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


def _region(actor, region) -> Region:
    found = region if isinstance(region, Region) else Region.objects.filter(pk=pk_of(region)).first() \
        if region not in (None, "") else None
    if found is None:
        raise ValidationFailed.on("region", _("Choose where the volunteer is registered."))
    if not policies.manages_region(actor, found):
        raise ValidationFailed.on("region", _("Choose a region you manage."))
    return found


def _member(actor, member) -> PartyMember | None:
    if member in (None, ""):
        return None
    found = member if isinstance(member, PartyMember) else PartyMember.objects.filter(pk=pk_of(member)).first()
    if found is None or not policies.may_link_member(actor, found):
        raise ValidationFailed.on("party_member", _("Choose a party member of your scope."))
    return found


def _unit(actor, unit) -> MemberUnit | None:
    if unit in (None, ""):
        return None
    found = unit if isinstance(unit, MemberUnit) else MemberUnit.objects.select_related("region").filter(
        pk=pk_of(unit)).first()
    if found is None or not policies.may_link_unit(actor, found):
        raise ValidationFailed.on("member_unit", _("Choose a member unit of your scope."))
    return found


def _teams(actor, teams, region: Region) -> list[VolunteerTeam]:
    """The teams, each one the actor sees or one of the volunteer's region or above it."""
    from gongzhi.volunteering.selectors.volunteers import teams_for

    ids = {int(pk_of(t)) for t in teams or () if str(pk_of(t)).isdigit()}
    if len(ids) != len(list(teams or ())):
        raise ValidationFailed.on("teams", _("Choose volunteer teams of your scope."))
    found = list(VolunteerTeam.objects.select_related("region").filter(pk__in=ids))
    visible = set(teams_for(actor).filter(pk__in=ids).values_list("pk", flat=True)) if is_user(actor) else ids
    if len(found) != len(ids) or any(t.pk not in visible and not region.path.startswith(t.region.path)
                                     for t in found):
        raise ValidationFailed.on("teams", _("Choose volunteer teams of your scope."))
    return found


def _check(name: str, born_on: date | None, member, user, exclude_pk=None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the volunteer's name.")]
    if born_on is not None and born_on > timezone.localdate():
        errors["born_on"] = [_("The date cannot be in the future.")]
    if member is not None and Volunteer.objects.filter(party_member=member).exclude(pk=exclude_pk).exists():
        errors["party_member"] = [_("This party member is already registered as a volunteer.")]
    if user is not None and Volunteer.objects.filter(user=user).exclude(pk=exclude_pk).exists():
        errors["user"] = [_("This account is already linked to a volunteer.")]
    return errors


def _consent_time(consent: bool, consented_on: date | None) -> datetime:
    if not consent:
        raise ValidationFailed.on("consent", _("A volunteer's data is stored only with their consent."))
    if consented_on is None:
        return timezone.now()
    if consented_on > timezone.localdate():
        raise ValidationFailed.on("consented_on", _("The date cannot be in the future."))
    return timezone.make_aware(datetime.combine(consented_on, time(9)))


def _save(v: Volunteer, actor, teams: list | None, reason: str) -> Volunteer:
    v._history_user = user_of(actor)
    v._change_reason = reason
    v.save()
    if teams is not None:
        v.teams.set(teams)
    return v


@transaction.atomic
def register_volunteer(region, *, actor, name: str, consent: bool, phone: str = "", party_member=None,
                       member_unit=None, user=None, teams: Iterable = (), skills: str = "", availability: str = "",
                       born_on: date | None = None, consented_on: date | None = None) -> Volunteer:
    """Register a volunteer in `region` (which the actor manages), only with their consent to the use of their
    data (`consent`; `consented_on` the day they gave it, today by default). A linked party member or member unit
    must lie in the actor's scope; teams are those the actor sees (or of the region and above)."""
    check_actor(actor)
    if not policies.manages_any(actor):
        raise Forbidden(_("You do not have permission to do this."))
    region = _region(actor, region)
    consented_at = _consent_time(consent, consented_on)
    phone = clean_phone(phone)
    member, unit = _member(actor, party_member), _unit(actor, member_unit)
    name = _text(name, NAME_MAX)
    if errors := _check(name, born_on, member, user):
        raise ValidationFailed(_("Please correct the errors below."), field_errors=errors)
    chosen = _teams(actor, teams, region)
    v = Volunteer(region=region, name=name, phone=phone, party_member=member, member_unit=unit, user=user,
                  skills=_text(skills, SKILLS_MAX), availability=_text(availability, AVAILABILITY_MAX),
                  born_on=born_on, consented_at=consented_at)
    return _save(v, actor, chosen, "registered")


def _editable(actor, volunteer) -> Volunteer:
    from gongzhi.volunteering.selectors.volunteers import volunteers_for

    if not policies.manages_any(actor):
        raise Forbidden(_("You do not have permission to do this."))
    pk = pk_of(volunteer)
    found = (Volunteer.objects if actor is SYSTEM else volunteers_for(actor)).select_for_update(
        of=("self",)).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    if not policies.may_edit(actor, found):
        raise Forbidden(_("You do not have permission to do this."))
    return found


UNCHANGED = object()


@transaction.atomic
def update_volunteer(volunteer, *, actor, region=UNCHANGED, name=UNCHANGED, phone=UNCHANGED,
                     party_member=UNCHANGED, member_unit=UNCHANGED, teams=UNCHANGED, skills=UNCHANGED,
                     availability=UNCHANGED, born_on=UNCHANGED) -> Volunteer:
    """Change what is given of a volunteer the actor manages (the same checks as registering)."""
    check_actor(actor)
    v = _editable(actor, volunteer)
    before = (v.region_id, v.name, v.phone, v.party_member_id, v.member_unit_id, v.skills, v.availability,
              v.born_on, set(v.teams.values_list("pk", flat=True)))
    if region is not UNCHANGED:
        v.region = _region(actor, region)
    if name is not UNCHANGED:
        v.name = _text(name, NAME_MAX)
    if phone is not UNCHANGED:
        v.phone = clean_phone(phone)
    if party_member is not UNCHANGED and pk_of(party_member) != v.party_member_id:
        v.party_member = _member(actor, party_member)
    if member_unit is not UNCHANGED and pk_of(member_unit) != v.member_unit_id:
        v.member_unit = _unit(actor, member_unit)
    if skills is not UNCHANGED:
        v.skills = _text(skills, SKILLS_MAX)
    if availability is not UNCHANGED:
        v.availability = _text(availability, AVAILABILITY_MAX)
    if born_on is not UNCHANGED:
        v.born_on = born_on
    if errors := _check(v.name, v.born_on, v.party_member, None, exclude_pk=v.pk):
        raise ValidationFailed(_("Please correct the errors below."), field_errors=errors)
    chosen = _teams(actor, teams, v.region) if teams is not UNCHANGED else None
    after = (v.region_id, v.name, v.phone, v.party_member_id, v.member_unit_id, v.skills, v.availability,
             v.born_on, {t.pk for t in chosen} if chosen is not None else before[-1])
    if after == before:
        raise NothingChanged(_("Nothing changed."))
    return _save(v, actor, chosen, "updated")


@transaction.atomic
def set_volunteer_active(volunteer, *, actor, active: bool) -> Volunteer:
    """Deactivate a volunteer (no longer serving: left out of sign-ups and lists of active volunteers; their
    ledger stays) or reactivate them."""
    check_actor(actor)
    v = _editable(actor, volunteer)
    if v.active == bool(active):
        raise NothingChanged(_("Nothing changed."))
    v.active = bool(active)
    return _save(v, actor, None, "reactivated" if active else "deactivated")


def deactivate_volunteer(volunteer, *, actor) -> Volunteer:
    return set_volunteer_active(volunteer, actor=actor, active=False)


def correct_hours(volunteer, *, actor, hours, served_on: date, note: str) -> HoursEntry:
    """Staff put a mistake in the ledger right with a correcting row (positive or negative, with a reason): the
    day still may not pass 24 hours, nor fall below zero."""
    check_actor(actor)
    from gongzhi.volunteering.selectors.volunteers import volunteers_for

    if not policies.manages_any(actor):
        raise Forbidden(_("You do not have permission to do this."))
    found = (Volunteer.objects.select_related("region") if actor is SYSTEM else volunteers_for(actor)).filter(
        pk=pk_of(volunteer)).first()
    if found is None:
        raise NotFound(_("Not found."))
    if not policies.may_correct(actor, found):
        raise Forbidden(_("You do not have permission to do this."))
    if served_on is None:
        raise ValidationFailed.on("served_on", _("Give the date."))
    return credit_hours(found, actor=actor, hours=hours, served_on=served_on, kind=HoursKind.CORRECTION,
                        organiser=str(user_of(actor) or ""), note=_text(note, NOTE_MAX))


# --- self-service: a user's first sign-up ------------------------------------------------------------------------

def _own_region(user, member: PartyMember | None) -> Region | None:
    """Where a self-registered volunteer belongs: the region of the user's role (the most specific one), else
    their party member's grid, area or organization's region."""
    regions = [a.region for a in user.role_assignments.select_related("region") if a.region_id]
    if regions:
        return max(regions, key=lambda r: (len(r.path), -r.pk))
    if member is not None:
        return member.grid or member.registered_area or member.organization.region
    return None


def get_or_create_volunteer_for(user, *, actor, consent: bool, phone: str = "", skills: str = "",
                                availability: str = "") -> Volunteer:
    """The Volunteer of `user`: the one linked to their account or to their party member (linked to the account
    as well from now on), otherwise a new one linked to the account, in the region of their role or of their
    party member, named after the account and with its phone (or `phone`). A new one is made only with the user's
    consent (`consent`), else a field error on "consent". The activities part calls this at a first sign-up;
    `actor` is the user themselves, staff managing their region, or SYSTEM."""
    check_actor(actor)
    if user is None or not getattr(user, "is_authenticated", False):
        raise Forbidden(_("You do not have permission to do this."))
    for _attempt in range(3):
        try:
            return _volunteer_for(user, actor=actor, consent=consent, phone=phone, skills=skills,
                                  availability=availability)
        except IntegrityError:  # a parallel first sign-up made it (where row locks are not kept): find it now
            continue
    return _volunteer_for(user, actor=actor, consent=consent, phone=phone, skills=skills, availability=availability)


def _volunteer_for(user, *, actor, consent: bool, phone: str, skills: str, availability: str) -> Volunteer:
    with transaction.atomic():
        # one first sign-up at a time per person: two parallel ones find the volunteer the first one made
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        member = PartyMember.objects.select_related("grid", "registered_area", "organization__region").filter(
            user=user).first()
        link = Q(user=user) | Q(party_member=member) if member is not None else Q(user=user)
        found = Volunteer.objects.select_for_update(of=("self",)).filter(link).order_by("-user_id").first()
        allowed = actor is SYSTEM or (is_user(actor) and actor.pk == user.pk) or (
            found is not None and policies.may_edit(actor, found))
        if found is not None:
            if not allowed:
                raise Forbidden(_("You do not have permission to do this."))
            changed = []
            if found.user_id is None:
                found.user, changed = user, changed + ["user"]
            if found.consented_at is None:
                found.consented_at = _consent_time(consent, None)
                changed.append("consented_at")
            if changed:
                found._history_user = user_of(actor)
                found.save(update_fields=changed)
            return found
        if consent is not True:
            raise ValidationFailed.on("consent", _("A volunteer's data is stored only with their consent."))
        region = _own_region(user, member)
        if not (allowed or (region is not None and policies.manages_region(actor, region))):
            raise Forbidden(_("You do not have permission to do this."))
        if region is None:
            raise ValidationFailed.on("region", _("Your account belongs to no community yet: ask your "
                                                  "residential area's staff to register you."))
        number = clean_phone(phone) if phone else ""
        if not number:
            try:
                number = clean_phone(getattr(user, "phone", "") or "")
            except ValidationFailed:
                number = ""
        v = Volunteer(region=region, name=_text(user.display_name or (member.name if member else "")
                                               or user.get_username(), NAME_MAX),
                      phone=number, user=user, party_member=member, skills=_text(skills, SKILLS_MAX),
                      availability=_text(availability, AVAILABILITY_MAX), consented_at=timezone.now())
        return _save(v, actor, None, "registered at sign-up")


# --- the Excel import --------------------------------------------------------------------------------------------

@transaction.atomic
def import_volunteers(rows, *, actor) -> None:
    """The rows of a checked volunteers file (gongzhi.volunteering.excel_volunteers), in one transaction: new
    volunteers registered (the file's 同意日期 is their consent), existing ones updated, through the same checks as
    the pages. `rows`: (volunteer, {"teams": [...]}) pairs; a new one has no pk."""
    for obj, m2m in rows:
        teams = m2m.get("teams")
        if obj.pk is None:
            register_volunteer(obj.region, actor=actor, name=obj.name, consent=True, phone=obj.phone,
                               member_unit=obj.member_unit, teams=teams or (), skills=obj.skills,
                               availability=obj.availability, born_on=obj.born_on,
                               consented_on=getattr(obj, "import_consented_on", None))
            continue
        values = {"region": obj.region, "name": obj.name, "phone": obj.phone, "member_unit": obj.member_unit,
                  "skills": obj.skills, "availability": obj.availability, "born_on": obj.born_on}
        if teams is not None:
            values["teams"] = teams
        try:
            update_volunteer(obj.pk, actor=actor, **values)
        except NothingChanged:
            pass
        if obj.active is not None:
            try:
                set_volunteer_active(obj.pk, actor=actor, active=obj.active)
            except NothingChanged:
                pass


# --- bulk registration (the demo street, a migration from an earlier register) ----------------------------------

@transaction.atomic
def import_volunteer_records(records: list[tuple[Volunteer, list]], *, actor, reason: str = "imported") -> list:
    """Register many volunteers at once: `records` are (unsaved volunteer, [teams]) pairs, each with the consent
    time already set (refused otherwise: no one's data without their consent). Bulk inserts with one history row
    each, then the team links."""
    from simple_history.utils import bulk_create_with_history

    check_actor(actor)
    if not policies.manages_any(actor):
        raise Forbidden(_("You do not have permission to do this."))
    for v, _teams_of in records:
        if v.consented_at is None:
            raise ValidationFailed.on("consent", _("A volunteer's data is stored only with their consent."))
        if not policies.manages_region(actor, v.region):
            raise ValidationFailed.on("region", _("Choose a region you manage."))
        v.phone = clean_phone(v.phone)
    made = bulk_create_with_history([v for v, _t in records], Volunteer, default_user=user_of(actor),
                                    default_change_reason=reason)
    through = Volunteer.teams.through
    through.objects.bulk_create([through(volunteer_id=v.pk, volunteerteam_id=pk_of(t))
                                 for v, (_v, teams) in zip(made, records, strict=True) for t in teams])
    return made
