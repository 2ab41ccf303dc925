"""Which places offer which items, on which working plans, with which booking rules and staff on duty (the offers
part). The holiday and make-up-day calendar is the demands app's `CalendarDay`."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

__all__ = ["Offer", "WorkingPlan", "BookingRules", "Duty"]


class Offer(models.Model):
    """A place offers an item: it accepts it at the counter, and takes bookings for it when the item is bookable."""

    place = models.ForeignKey("registry.ServicePlace", on_delete=models.CASCADE, related_name="offers",
                              verbose_name=_("service place"))
    item = models.ForeignKey("services.ServiceItem", on_delete=models.PROTECT, related_name="offers",
                             verbose_name=_("service item"))
    capacity = models.PositiveSmallIntegerField(
        _("capacity per slot"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Empty: the place's default."))
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True,
                            help_text=_("What residents should know about this item here, e.g. Saturday mornings only."))

    history = HistoricalRecords()
    scope_region_lookups = ("place__region__path",)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["place", "item__category__position", "item__position", "item__code"]
        constraints = [models.UniqueConstraint(fields=["place", "item"], name="services_offer_unique")]

    def __str__(self) -> str:
        return f"{self.place} · {self.item}"


class WorkingPlan(models.Model):
    """A place's hours on one weekday (0 Monday … 6 Sunday), with an optional break (Easy!Appointments' working
    plan). A make-up working day (`CalendarDay.is_working` on a weekend) follows Monday's plan; a holiday closes."""

    place = models.ForeignKey("registry.ServicePlace", on_delete=models.CASCADE, related_name="working_plans",
                              verbose_name=_("service place"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), validators=[MaxValueValidator(6)])
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))
    break_starts_at = models.TimeField(_("break starts at"), null=True, blank=True)
    break_ends_at = models.TimeField(_("break ends at"), null=True, blank=True)

    history = HistoricalRecords()
    scope_region_lookups = ("place__region__path",)

    class Meta:
        verbose_name = _("working plan")
        verbose_name_plural = _("working plans")
        ordering = ["place", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["place", "weekday"], name="services_plan_unique"),
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="services_plan_hours"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class BookingRules(models.Model):
    """How a place takes bookings: slot length, default capacity, minimum notice, maximum advance, and how many
    active bookings one phone may hold."""

    place = models.OneToOneField("registry.ServicePlace", on_delete=models.CASCADE, related_name="booking_rules",
                                 verbose_name=_("service place"))
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30,
                                                    validators=[MinValueValidator(5), MaxValueValidator(240)])
    capacity = models.PositiveSmallIntegerField(_("default capacity per slot"), default=2,
                                                validators=[MinValueValidator(1)])
    min_notice_hours = models.PositiveSmallIntegerField(_("minimum notice (hours)"), default=2)
    max_advance_days = models.PositiveSmallIntegerField(_("maximum advance (days)"), default=14,
                                                        validators=[MinValueValidator(1)])
    max_per_phone = models.PositiveSmallIntegerField(_("active bookings per phone"), default=3,
                                                     validators=[MinValueValidator(1)])
    remind_hours_before = models.PositiveSmallIntegerField(_("reminder (hours before)"), default=24)

    history = HistoricalRecords()
    scope_region_lookups = ("place__region__path",)

    class Meta:
        verbose_name = _("booking rules")
        verbose_name_plural = _("booking rules")

    def __str__(self) -> str:
        return str(self.place)


class Duty(models.Model):
    """A staff member on duty at a place on a weekday (the roster). "My place" on the workbench is where I am on
    duty. Under 全岗通 any worker on duty accepts any item."""

    place = models.ForeignKey("registry.ServicePlace", on_delete=models.CASCADE, related_name="duties",
                              verbose_name=_("service place"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_duties",
                             verbose_name=_("staff member"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), validators=[MaxValueValidator(6)])
    post = models.CharField(_("duty post"), max_length=40, blank=True, help_text=_("E.g. the general counter."))

    history = HistoricalRecords()
    scope_region_lookups = ("place__region__path",)

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duty roster")
        ordering = ["place", "weekday", "user"]
        constraints = [models.UniqueConstraint(fields=["place", "user", "weekday"], name="services_duty_unique")]

    def __str__(self) -> str:
        return f"{self.place} {self.weekday} {self.user}"
