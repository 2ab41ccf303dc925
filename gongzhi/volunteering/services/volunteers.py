"""Volunteers and the hours ledger (the volunteers part).

`credit_hours` is the one writer of the ledger: the activities part calls it at check-out (with the sign-up, so a
second check-out can never credit twice: the sign-up is unique on the ledger), staff call it for corrections. It
locks the volunteer's row, so two credits for the same day cannot together pass the 24-hour limit.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.errors import ValidationFailed
from gongzhi.core.workflow import check_actor, pk_of, user_of
from gongzhi.volunteering.models import MAX_HOURS_PER_DAY, HoursEntry, HoursKind, Volunteer

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


def hours_on(volunteer, day: date) -> Decimal:
    total = HoursEntry.objects.filter(volunteer_id=pk_of(volunteer), served_on=day).aggregate(t=Sum("hours"))["t"]
    return Decimal(str(total or 0)).quantize(QUARTER)


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


def total_hours(volunteer) -> Decimal:
    """A volunteer's hours: the plain sum of their ledger rows (never a stored figure)."""
    total = HoursEntry.objects.filter(volunteer_id=pk_of(volunteer)).aggregate(t=Sum("hours"))["t"]
    return Decimal(str(total or 0)).quantize(QUARTER)


def get_or_create_volunteer_for(user, *, actor, consent: bool) -> Volunteer:
    """The volunteer of `user` (linked to the account, else to the user's party member); on the first sign-up,
    with the user's consent only, a new one linked to the account (and party member), registered in the region of
    the user's first role assignment. (A minimal version written by the activities part; the volunteers part owns
    this function.)"""
    from gongzhi.core.errors import Forbidden

    check_actor(actor)
    if not getattr(user, "is_authenticated", False):
        raise Forbidden()
    member = getattr(user, "party_member", None) if hasattr(user, "party_member") else None
    with transaction.atomic():
        vol = Volunteer.objects.filter(user=user).first()
        if vol is None and member is not None:
            vol = Volunteer.objects.filter(party_member=member).first()
        if vol is not None:
            if vol.consented_at is None and consent:
                vol.consented_at = timezone.now()
                vol._history_user = user_of(actor)
                vol.save(update_fields=["consented_at"])
            return vol
        if not consent:
            raise ValidationFailed.on("consent", _("Agree that your data may be used for volunteering first."))
        assignment = user.role_assignments.select_related("region").exclude(region=None).order_by("pk").first()
        region = assignment.region if assignment else (
            member.registered_area or member.grid or member.organization.region if member is not None else None)
        if region is None:
            raise ValidationFailed.on("consent", _("Your account has no region: ask your residential area to "
                                                   "register you as a volunteer."))
        vol = Volunteer(region=region, name=(getattr(user, "display_name", "") or (member.name if member else "")
                                             or user.get_username())[:40],
                        phone=(member.phone if member is not None else "") or user.phone or "", user=user, party_member=member,
                        consented_at=timezone.now())
        vol._history_user = user_of(actor)
        vol.save()
        return vol
