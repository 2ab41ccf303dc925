"""Volunteers and the append-only hours ledger (the volunteers part)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.errors import Conflict
from gongzhi.core.fields import EncryptedCharField, LookupHashField
from gongzhi.core.models import AppendOnlyQuerySet

__all__ = ["Volunteer", "HoursKind", "HoursEntry", "MAX_HOURS_PER_DAY"]

MAX_HOURS_PER_DAY = 24


class Volunteer(models.Model):
    """A person who volunteers: a party member, a resident with an account, a unit's staff member, or someone known
    only by name and phone. `region` is where they are registered (a residential area, or the sub-district for
    office workers); their hours are the sum of their ledger rows. Their data is used only with their consent
    (`consented_at`); the phone is encrypted at rest and masked on every screen, export and API answer."""

    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="volunteers",
                               verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=40)
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True)
    phone_hash = LookupHashField(of="phone")
    party_member = models.OneToOneField("registry.PartyMember", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="volunteer", verbose_name=_("party member"))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="volunteer", verbose_name=_("account"))
    member_unit = models.ForeignKey("registry.MemberUnit", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="volunteers", verbose_name=_("member unit"),
                                    help_text=_("For a unit's staff member."))
    teams = models.ManyToManyField("registry.VolunteerTeam", blank=True, related_name="volunteers",
                                   verbose_name=_("volunteer teams"))
    skills = models.CharField(_("skills"), max_length=200, blank=True,
                              help_text=_("Separated by commas, e.g. 理发, 法律咨询, 电器维修."))
    availability = models.CharField(_("availability"), max_length=120, blank=True,
                                    help_text=_("e.g. 周四下午, 周末."))
    born_on = models.DateField(_("date of birth"), null=True, blank=True)
    consented_at = models.DateTimeField(_("consent given at"), null=True, blank=True,
                                        help_text=_("When the volunteer agreed that their data may be used."))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["phone_hash"])
    scope_region_lookups = ("region__path",)
    scope_unit_lookups = ("member_unit_id",)
    personal_fields = ("phone",)  # masked by `gongzhi.core.masking`

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def consented_on(self):
        """The day the volunteer gave their consent (local date), or None."""
        return timezone.localdate(self.consented_at) if self.consented_at else None


class HoursKind(models.TextChoices):
    SERVICE = "service", _("Service")  # credited at check-out
    CORRECTION = "correction", _("Correction")  # a later row putting a mistake right (may be negative)


class HoursEntry(models.Model):
    """One row of the hours ledger. A check-out credits one row for its sign-up (a unique constraint: checking out
    twice never credits twice); mistakes are put right by a correcting row, never by changing one. A volunteer's
    hours are the plain sum of their rows; a day's rows never exceed 24 hours."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="hours",
                                  verbose_name=_("volunteer"))
    kind = models.CharField(_("kind"), max_length=12, choices=HoursKind.choices, default=HoursKind.SERVICE)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2,
                                validators=[MinValueValidator(-MAX_HOURS_PER_DAY), MaxValueValidator(MAX_HOURS_PER_DAY)])
    served_on = models.DateField(_("date"))
    activity = models.ForeignKey("volunteering.Activity", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="hours", verbose_name=_("activity"))
    signup = models.OneToOneField("volunteering.SignUp", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="hours_entry", verbose_name=_("sign-up"))
    organiser = models.CharField(_("organiser"), max_length=120, blank=True,
                                 help_text=_("Who vouches for the hours (the activity's organiser)."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()
    history = HistoricalRecords()
    scope_region_lookups = ("volunteer__region__path",)

    class Meta:
        verbose_name = _("hours entry")
        verbose_name_plural = _("hours entries")
        ordering = ["served_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind="correction") | models.Q(hours__gt=0),
                                   name="volunteering_service_hours_positive"),
        ]
        indexes = [models.Index(fields=["volunteer", "served_on"], name="volunteering_hours_day")]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.served_on} · {self.hours}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise Conflict(_("The hours ledger is append-only: post a correcting entry."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Conflict(_("The hours ledger is append-only: post a correcting entry."))
