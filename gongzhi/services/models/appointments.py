"""Appointments booked on H5 (the appointments part). A slot of a place has `capacity` seats; each holding
appointment takes one seat number, and a partial unique constraint on (place, starts_at, seat) over the holding
states makes parallel bookings of the last seat resolve to exactly one on SQLite and PostgreSQL."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.fields import EncryptedCharField, LookupHashField
from gongzhi.core.workflow import TransitionRecord
from gongzhi.services.workflow import APPOINTMENT_FLOW, APPOINTMENT_HOLDING_STATES, AppointmentState

__all__ = ["Appointment", "AppointmentTransition"]


class Appointment(models.Model):
    code = models.CharField(_("booking code"), max_length=12, unique=True, editable=False)
    place = models.ForeignKey("registry.ServicePlace", on_delete=models.PROTECT, related_name="appointments",
                              verbose_name=_("service place"))
    item = models.ForeignKey("services.ServiceItem", on_delete=models.PROTECT, related_name="appointments",
                             verbose_name=_("service item"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    seat = models.PositiveSmallIntegerField(_("seat"), default=1)
    state = models.CharField(_("state"), max_length=20, choices=AppointmentState.choices,
                             default=AppointmentState.BOOKED)
    name = models.CharField(_("name"), max_length=40)
    phone = EncryptedCharField(_("phone"), max_length=20)
    phone_hash = LookupHashField(of="phone")
    note = models.CharField(_("note"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["phone_hash"])
    scope_region_lookups = ("place__region__path",)
    personal_fields = ("name", "phone")  # masked by `gongzhi.core.masking`

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["place", "starts_at"], name="services_appt_place_start"),
                   models.Index(fields=["phone_hash", "state"], name="services_appt_phone")]
        constraints = [
            models.UniqueConstraint(fields=["place", "starts_at", "seat"], name="services_appt_one_per_seat",
                                    condition=Q(state__in=sorted(APPOINTMENT_HOLDING_STATES))),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.item}"


class AppointmentTransition(TransitionRecord):
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="transitions")
    flow = APPOINTMENT_FLOW

    class Meta(TransitionRecord.Meta):
        verbose_name = _("appointment step")
        verbose_name_plural = _("appointment steps")
