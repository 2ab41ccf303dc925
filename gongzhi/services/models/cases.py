"""One-window cases (一口受理) with their materials, visits and back-office hand-off, and remote assistance (the
cases part)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.fields import EncryptedCharField, LookupHashField
from gongzhi.core.workflow import TransitionRecord
from gongzhi.services.workflow import CASE_FLOW, CaseState

__all__ = ["Case", "CaseTransition", "CaseMaterial", "RemoteKind", "RemoteSession"]


class Case(models.Model):
    """An applicant's item accepted at a place by any worker there. The applicant's phone and ID number are
    encrypted at rest and masked on every screen, export and API answer; `visits` counts the applicant's trips to
    the counter (1 when opened; supplying materials or picking up adds one), so "只跑一次" is the share of done
    cases with one visit. `due_on` is the item's time limit in working days from acceptance."""

    code = models.CharField(_("case number"), max_length=20, unique=True, editable=False)
    place = models.ForeignKey("registry.ServicePlace", on_delete=models.PROTECT, related_name="service_cases",
                              verbose_name=_("service place"))
    item = models.ForeignKey("services.ServiceItem", on_delete=models.PROTECT, related_name="cases",
                             verbose_name=_("service item"))
    state = models.CharField(_("state"), max_length=20, choices=CaseState.choices, default=CaseState.ACCEPTED)
    applicant_name = models.CharField(_("applicant"), max_length=40)
    applicant_phone = EncryptedCharField(_("applicant's phone"), max_length=20, blank=True)
    applicant_phone_hash = LookupHashField(of="applicant_phone")
    applicant_id_number = EncryptedCharField(_("applicant's ID number"), max_length=18, blank=True)
    note = models.TextField(_("note"), blank=True)
    visits = models.PositiveSmallIntegerField(_("visits"), default=1)
    appointment = models.OneToOneField("services.Appointment", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="case", verbose_name=_("appointment"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("accepted by"))
    back_office = models.CharField(_("back office"), max_length=80, blank=True,
                                   help_text=_("Where a forwarded case is handled (一网通办)."))
    result = models.TextField(_("result"), blank=True)
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["applicant_phone_hash"])
    scope_region_lookups = ("place__region__path",)
    personal_fields = ("applicant_phone", "applicant_id_number")  # masked by `gongzhi.core.masking`

    class Meta:
        verbose_name = _("service case")
        verbose_name_plural = _("service cases")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["place", "created_at"], name="services_case_place_day"),
                   models.Index(fields=["state", "due_on"], name="services_case_state_due")]

    def __str__(self) -> str:
        return f"{self.code} {self.item}"


class CaseTransition(TransitionRecord):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    flow = CASE_FLOW

    class Meta(TransitionRecord.Meta):
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")


class CaseMaterial(models.Model):
    """A line of the item's checklist as ticked for this case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials", verbose_name=_("case"))
    material = models.ForeignKey("services.ServiceMaterial", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("material"))
    provided = models.BooleanField(_("provided"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case material")
        verbose_name_plural = _("case materials")
        ordering = ["case", "material__position", "material_id"]
        constraints = [models.UniqueConstraint(fields=["case", "material"], name="services_case_material_unique")]

    def __str__(self) -> str:
        return f"{self.material} {'✓' if self.provided else '✗'}"


class RemoteKind(models.TextChoices):
    VIDEO = "video", _("Video")
    PHONE = "phone", _("Phone")


class RemoteSession(models.Model):
    """Remote assistance for a case (printing a medical-insurance bill, a video consultation on long-term care)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="remote_sessions", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=10, choices=RemoteKind.choices)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    outcome = models.TextField(_("outcome"))
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("staff member"))

    history = HistoricalRecords()
    scope_region_lookups = ("case__place__region__path",)

    class Meta:
        verbose_name = _("remote session")
        verbose_name_plural = _("remote sessions")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"
