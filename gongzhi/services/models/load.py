"""The health cabin's self-check tallies (the load part): counts per place, day and indicator, never a person's
readings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

__all__ = ["HealthIndicator", "HealthCheckTally"]


class HealthIndicator(models.TextChoices):
    """The 13 self-check indicators of a building station's health cabin."""

    BLOOD_PRESSURE = "blood_pressure", _("Blood pressure")
    BLOOD_SUGAR = "blood_sugar", _("Blood sugar")
    BLOOD_OXYGEN = "blood_oxygen", _("Blood oxygen")
    HEART_RATE = "heart_rate", _("Heart rate")
    HEIGHT_WEIGHT = "height_weight", _("Height and weight")
    BODY_FAT = "body_fat", _("Body fat")
    TEMPERATURE = "temperature", _("Body temperature")
    ECG = "ecg", _("Electrocardiogram")
    URIC_ACID = "uric_acid", _("Uric acid")
    CHOLESTEROL = "cholesterol", _("Cholesterol")
    VISION = "vision", _("Vision")
    BONE_DENSITY = "bone_density", _("Bone density")
    LUNG_CAPACITY = "lung_capacity", _("Lung capacity")


class HealthCheckTally(models.Model):
    place = models.ForeignKey("registry.ServicePlace", on_delete=models.CASCADE, related_name="health_tallies",
                              verbose_name=_("service place"))
    day = models.DateField(_("day"))
    indicator = models.CharField(_("indicator"), max_length=20, choices=HealthIndicator.choices)
    count = models.PositiveIntegerField(_("checks"))

    history = HistoricalRecords()
    scope_region_lookups = ("place__region__path",)

    class Meta:
        verbose_name = _("health self-check tally")
        verbose_name_plural = _("health self-check tallies")
        ordering = ["-day", "place", "indicator"]
        constraints = [models.UniqueConstraint(fields=["place", "day", "indicator"], name="services_tally_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.get_indicator_display()} {self.count}"
