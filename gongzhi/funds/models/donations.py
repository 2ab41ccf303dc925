"""Donations and charity events (the ledger part). A donation is the story behind one money-in row of the ledger:
who gave (a member unit, a person, or a charity event), for what, with which receipt. A charity event (慈善夜)
sells lots; each sale books its price as a donation on the event's fund."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.fields import EncryptedCharField
from gongzhi.core.masking import mask_name, mask_phone

__all__ = ["DonorKind", "CharityEvent", "Donation", "CharityLot"]


class DonorKind(models.TextChoices):
    UNIT = "unit", _("Member unit")
    PERSON = "person", _("Person")
    EVENT = "event", _("Charity event")


class CharityEvent(models.Model):
    """A charity event (e.g. a community foundation's charity night) raising money for one fund."""

    fund = models.ForeignKey("funds.Fund", on_delete=models.PROTECT, related_name="charity_events",
                             verbose_name=_("fund"))
    name = models.CharField(_("name"), max_length=120)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("fund__region__path",)

    class Meta:
        verbose_name = _("charity event")
        verbose_name_plural = _("charity events")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.name


class Donation(models.Model):
    """One donation, booked as one ledger row (`entry`). The donor is a member unit, a person (name and phone are
    personal data, masked on screens and exports) or a charity event (a lot sold there)."""

    entry = models.OneToOneField("funds.LedgerEntry", on_delete=models.PROTECT, related_name="donation",
                                 verbose_name=_("ledger entry"))
    fund = models.ForeignKey("funds.Fund", on_delete=models.PROTECT, related_name="donations",
                             verbose_name=_("fund"))
    donor_kind = models.CharField(_("donor"), max_length=8, choices=DonorKind.choices)
    donor_unit = models.ForeignKey("registry.MemberUnit", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("donor unit"))
    donor_name = EncryptedCharField(_("donor name"), max_length=40, blank=True)
    donor_phone = EncryptedCharField(_("donor phone"), max_length=20, blank=True)
    event = models.ForeignKey(CharityEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="donations",
                              verbose_name=_("charity event"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    donated_on = models.DateField(_("date"))
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    receipt_no = models.CharField(_("receipt number"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("fund__region__path",)
    personal_fields = ("donor_name", "donor_phone")

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-donated_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="funds_donation_positive")]

    def __str__(self) -> str:
        return f"{self.donor_label(masked=True)} · {self.amount}"

    def donor_label(self, *, masked: bool = True) -> str:
        """Who gave, as a list shows it: a person's name masked unless `masked` is False."""
        if self.donor_kind == DonorKind.UNIT and self.donor_unit_id:
            return self.donor_unit.name
        if self.donor_kind == DonorKind.EVENT and self.event_id:
            return self.event.name
        return mask_name(self.donor_name) if masked else self.donor_name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.donor_phone)


class CharityLot(models.Model):
    """A lot of a charity event (an auction lot): what it is, who gave it, who bought it at which price. Sold once:
    the sale books the price as a donation (`donation`) on the event's fund."""

    event = models.ForeignKey(CharityEvent, on_delete=models.PROTECT, related_name="lots",
                              verbose_name=_("charity event"))
    title = models.CharField(_("lot"), max_length=120)
    donated_by = models.CharField(_("donated by"), max_length=120, blank=True)
    buyer_unit = models.ForeignKey("registry.MemberUnit", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("bought by (unit)"))
    buyer_name = EncryptedCharField(_("bought by (person)"), max_length=40, blank=True)
    price = models.DecimalField(_("price (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    donation = models.OneToOneField(Donation, null=True, blank=True, on_delete=models.PROTECT, related_name="lot",
                                    verbose_name=_("donation"))
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("event__fund__region__path",)
    personal_fields = ("buyer_name",)

    class Meta:
        verbose_name = _("charity lot")
        verbose_name_plural = _("charity lots")
        ordering = ["event", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def sold(self) -> bool:
        return self.donation_id is not None

    def buyer_label(self, *, masked: bool = True) -> str:
        if self.buyer_unit_id:
            return self.buyer_unit.name
        return mask_name(self.buyer_name) if masked else self.buyer_name
