"""Delivery of granted proposals (the delivery part): milestones, spending against the grant with its receipts,
and before/after photos. Spending never leaves the fund's ledger (the grant did that): it is checked against the
proposal's approved budget lines."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.media import RandomName

__all__ = ["Milestone", "Spending", "PhotoStage", "ProjectPhoto"]


class Milestone(models.Model):
    proposal = models.ForeignKey("funds.Proposal", on_delete=models.CASCADE, related_name="milestones",
                                 verbose_name=_("proposal"))
    title = models.CharField(_("milestone"), max_length=120)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # the day the area's staff were told it falls due (the due-milestones job tells them once)
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    scope_region_lookups = ("proposal__call__fund__region__path",)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["proposal", "due_on", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Spending(models.Model):
    """One payment out of a grant, on one approved budget line, with its receipt (发票/收据)."""

    proposal = models.ForeignKey("funds.Proposal", on_delete=models.PROTECT, related_name="spendings",
                                 verbose_name=_("proposal"))
    budget_line = models.ForeignKey("funds.BudgetLine", on_delete=models.PROTECT, related_name="spendings",
                                    verbose_name=_("budget line"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    spent_on = models.DateField(_("date"))
    payee = models.CharField(_("payee"), max_length=120)
    receipt_no = models.CharField(_("receipt number"), max_length=60, blank=True)
    receipt = models.FileField(_("receipt scan"), upload_to=RandomName("funds_receipts"), blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("proposal__call__fund__region__path",)

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        ordering = ["spent_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="funds_spending_positive")]

    def __str__(self) -> str:
        return f"{self.payee} · {self.amount}"

    @property
    def download_name(self) -> str:
        """The receipt scan's download name: its receipt number (or the row) with the stored type's extension."""
        stem = "".join(c for c in (self.receipt_no or "") if c.isalnum() or c in "-_") or f"receipt-{self.pk}"
        return f"{stem}{PurePosixPath(self.receipt.name).suffix}"


class PhotoStage(models.TextChoices):
    BEFORE = "before", _("Before")
    DURING = "during", _("During")
    AFTER = "after", _("After")


class ProjectPhoto(models.Model):
    proposal = models.ForeignKey("funds.Proposal", on_delete=models.CASCADE, related_name="photos",
                                 verbose_name=_("proposal"))
    stage = models.CharField(_("stage"), max_length=8, choices=PhotoStage.choices, default=PhotoStage.AFTER)
    image = models.FileField(_("photo"), upload_to=RandomName("funds_photos"))
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("proposal__call__fund__region__path",)

    class Meta:
        verbose_name = _("project photo")
        verbose_name_plural = _("project photos")
        ordering = ["stage", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.caption or self.get_stage_display()
