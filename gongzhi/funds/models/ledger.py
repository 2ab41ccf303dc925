"""Funds and their money ledger (the ledger part). A fund's balance is never stored: it is the sum of its ledger
rows, which are append-only (a correction is a further row)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.errors import Conflict

__all__ = ["FundKind", "Fund", "EntryKind", "IN_KINDS", "OUT_KINDS", "LedgerEntry", "FEN"]

FEN = Decimal("0.01")


class FundKind(models.TextChoices):
    AUTONOMY = "autonomy", _("Autonomy fund")
    FOUNDATION = "foundation", _("Community foundation")
    SPECIAL = "special", _("Special fund")


class Fund(models.Model):
    """自治金 of a residential area for a year, a community foundation (社区基金会) of a sub-district, or a special
    fund (专项基金), e.g. one set up from a charity night. `region` is the residential area (autonomy) or the
    sub-district (foundation, special fund): it decides who sees the fund."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=FundKind.choices, default=FundKind.AUTONOMY)
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="funds",
                               verbose_name=_("region"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True,
                                            help_text=_("The budget year of an autonomy fund."))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="special_funds",
                               verbose_name=_("foundation"), help_text=_("The foundation a special fund belongs to."))
    purpose = models.TextField(_("purpose"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("region__path",)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["-year", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], condition=models.Q(kind="autonomy"),
                                    name="funds_one_autonomy_fund_per_area_and_year"),
        ]

    def __str__(self) -> str:
        return self.name


class EntryKind(models.TextChoices):
    ALLOCATION = "allocation", _("Allocation from the sub-district budget")
    DONATION = "donation", _("Donation")
    GRANT = "grant", _("Grant")
    RETURN = "return", _("Unspent grant returned")


IN_KINDS = frozenset({EntryKind.ALLOCATION, EntryKind.DONATION, EntryKind.RETURN})
OUT_KINDS = frozenset({EntryKind.GRANT})


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise Conflict(gettext_now("The ledger is append-only: post a correcting entry."))

    def delete(self):
        raise Conflict(gettext_now("The ledger is append-only: post a correcting entry."))


class LedgerEntry(models.Model):
    """One movement of money, in yuan with fen: money in is positive, money out (a grant) negative, so a fund's
    balance is the plain sum of its rows. Written only by `gongzhi.funds.services.ledger`, which locks the fund
    so a grant never overdraws it."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries", verbose_name=_("fund"))
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    occurred_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    receipt_no = models.CharField(_("receipt number"), max_length=60, blank=True)
    # what the row is about (one at most): the proposal a grant or a return belongs to
    proposal = models.ForeignKey("funds.Proposal", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="ledger_entries", verbose_name=_("proposal"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = LedgerQuerySet.as_manager()
    history = HistoricalRecords()
    scope_region_lookups = ("fund__region__path",)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["occurred_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind__in=sorted(k.value for k in IN_KINDS), amount__gt=0)
                           | models.Q(kind__in=sorted(k.value for k in OUT_KINDS), amount__lt=0)),
                name="funds_entry_sign_follows_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.fund} · {self.get_kind_display()} · {self.amount}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise Conflict(gettext_now("The ledger is append-only: post a correcting entry."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Conflict(gettext_now("The ledger is append-only: post a correcting entry."))
