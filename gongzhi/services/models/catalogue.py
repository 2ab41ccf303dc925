"""The service catalogue (the catalogue part): categories and items with their materials checklist, on the model of
Shanghai's 一网通办 item records (materials, legal basis, time limit)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.registry.models import code_validator

__all__ = ["ServiceCategory", "ServiceLevel", "ServiceItem", "ServiceMaterial"]


class ServiceCategory(models.Model):
    """One of the catalogue's categories (the building station's 80+ city-wide items come in 10)."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class ServiceLevel(models.TextChoices):
    CITY = "city", _("City-wide (全市通办)")
    DISTRICT = "district", _("District")
    SUBDISTRICT = "subdistrict", _("Sub-district")
    AREA = "area", _("Residential area")


class ServiceItem(models.Model):
    """An item a resident can have handled at a doorstep station. `region` empty: the city-wide catalogue every
    sub-district shares; otherwise the sub-district (or area) whose own item it is."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120)
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="items",
                                 verbose_name=_("category"))
    level = models.CharField(_("level"), max_length=20, choices=ServiceLevel.choices, default=ServiceLevel.CITY)
    region = models.ForeignKey("registry.Region", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="service_items", verbose_name=_("own item of"))
    description = models.TextField(_("description"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    time_limit_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"), default=0, help_text=_("0: handled on the spot."))
    fee = models.DecimalField(_("fee (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0"),
                              validators=[MinValueValidator(Decimal("0"))])
    remote = models.BooleanField(_("can be handled remotely"), default=False)
    bookable = models.BooleanField(_("can be booked online"), default=False)
    for_residents = models.BooleanField(_("for residents"), default=True)
    for_office_workers = models.BooleanField(_("for office workers"), default=False)
    for_building_stations = models.BooleanField(_("at building stations"), default=False)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()
    # city-wide items (no region) are everyone's; scoped views use `gongzhi.services.selectors.catalogue`
    scope_region_lookups = ("region__path",)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["category__position", "position", "code"]

    def __str__(self) -> str:
        return self.name


class ServiceMaterial(models.Model):
    """One line of an item's materials checklist."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="materials",
                             verbose_name=_("service item"))
    name = models.CharField(_("name"), max_length=120)
    required = models.BooleanField(_("required"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("required material")
        verbose_name_plural = _("required materials")
        ordering = ["item", "position", "id"]

    def __str__(self) -> str:
        return self.name
