"""Triage intelligence: a trained classifier per sub-district and one classification per demand."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TriageModel(models.Model):
    """A classifier trained on one sub-district's labelled demands, stored in the pickle-free format of
    gongzhi.insights.classifier (an .npz of plain arrays + JSON). At most one is active per sub-district."""

    subdistrict = models.ForeignKey(
        "registry.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("sub-district")
    )
    created_at = models.DateTimeField(_("trained at"), default=timezone.now)
    model_file = models.BinaryField(_("model file"))
    training_size = models.PositiveIntegerField(_("training rows"))
    labels = models.PositiveSmallIntegerField(_("categories"), default=0)
    metrics = models.JSONField(_("cross-validated metrics"), default=dict)
    active = models.BooleanField(_("active"), default=False)

    scope_region_lookups = ("subdistrict__path",)

    class Meta:
        verbose_name = _("triage model")
        verbose_name_plural = _("triage models")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict"], condition=Q(active=True),
                                    name="triage_one_active_model_per_subdistrict"),
        ]

    def __str__(self) -> str:
        return f"{self.subdistrict} {self.created_at:%Y-%m-%d %H:%M} F1={self.macro_f1:.3f}"

    @property
    def macro_f1(self) -> float:
        return float(self.metrics.get("macro_f1", 0.0))


class Status(models.TextChoices):
    AUTO_ACCEPTED = "auto_accepted", _("Auto-accepted")
    NEEDS_REVIEW = "needs_review", _("Needs review")
    CONFIRMED = "confirmed", _("Confirmed")
    CORRECTED = "corrected", _("Corrected")
    CLASSIFIED = "classified", _("Categorized")  # set by a person where there was no suggestion


class Classification(models.Model):
    """The classifier's suggestion for one demand and what became of it. `top3` holds
    [{"category": pk, "name": str, "confidence": float}, ...]; `duplicates` the near-duplicates found at intake
    [{"demand": pk, "score": float}, ...]."""

    demand = models.OneToOneField("demands.Demand", on_delete=models.CASCADE, related_name="classification")
    model = models.ForeignKey(TriageModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("model"))
    suggested_category = models.ForeignKey(
        "demands.Category", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("suggested category"),
    )
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    top3 = models.JSONField(_("top 3"), default=list, blank=True)
    duplicates = models.JSONField(_("possible duplicates"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEEDS_REVIEW,
                              db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("classified at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("demand__region__path", "demand__grid__path")

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.demand_id}: {self.suggested_category_id} ({self.get_status_display()})"
