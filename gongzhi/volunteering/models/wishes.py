"""Micro-wishes (微心愿) of households in hardship (the wishes part): posted for a residential area, approved by
staff, claimed by one party member or one member unit with a public promise (亮承诺), fulfilled with a photo and
the beneficiary's thanks. The beneficiary's name and phone are encrypted at rest and masked on every screen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.fields import EncryptedCharField
from gongzhi.core.media import RandomName
from gongzhi.core.workflow import TransitionRecord
from gongzhi.volunteering.workflow import WISH_FLOW, WishState

__all__ = ["HardshipKind", "Wish", "WishTransition", "WishPhoto", "WISH_PHOTO_FOLDER"]

WISH_PHOTO_FOLDER = "volunteering_wishes"


class HardshipKind(models.TextChoices):
    LOW_INCOME = "low_income", _("Minimum living allowance")  # 低保
    ELDERLY_ALONE = "elderly_alone", _("Elderly living alone")  # 独居老人
    CHILD = "child", _("Child in difficulty")  # 困境儿童
    DISABILITY = "disability", _("Disability")  # 残疾
    ILLNESS = "illness", _("Serious illness")  # 大病
    OTHER = "other", _("Other hardship")


class Wish(models.Model):
    """微心愿: a small, concrete wish of a household in hardship of a residential area (`region`)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("residential area"))
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("household"))
    beneficiary_name = EncryptedCharField(_("beneficiary"), max_length=40)
    beneficiary_phone = EncryptedCharField(_("beneficiary's phone"), max_length=20, blank=True)
    hardship = models.CharField(_("hardship"), max_length=20, choices=HardshipKind.choices)
    title = models.CharField(_("wish"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    value = models.DecimalField(_("estimated value (yuan)"), max_digits=10, decimal_places=2)
    wanted_by = models.DateField(_("wanted by"))
    state = models.CharField(_("state"), max_length=20, choices=WishState.choices, default=WishState.SUBMITTED,
                             db_index=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("posted by"))
    posted_at = models.DateTimeField(_("posted at"), default=timezone.now)
    # the claimer: one party member or one member unit (the account that claimed in `claimed_by`)
    claimer_member = models.ForeignKey("registry.PartyMember", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="claimed_wishes", verbose_name=_("claimed by party member"))
    claimer_unit = models.ForeignKey("registry.MemberUnit", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="claimed_wishes", verbose_name=_("claimed by member unit"))
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("claimed by account"))
    promise = models.CharField(_("public promise"), max_length=200, blank=True)
    promised_on = models.DateField(_("promised for"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)
    fulfilment_note = models.TextField(_("how it was fulfilled"), blank=True)
    thanks = models.TextField(_("the beneficiary's thanks"), blank=True)
    thanks_at = models.DateTimeField(_("thanks recorded at"), null=True, blank=True)

    history = HistoricalRecords()
    scope_region_lookups = ("region__path",)
    personal_fields = ("beneficiary_name", "beneficiary_phone")

    class Meta:
        verbose_name = _("micro-wish")
        verbose_name_plural = _("micro-wishes")
        ordering = ["-posted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(claimer_member__isnull=True) | Q(claimer_unit__isnull=True),
                                   name="volunteering_wish_one_claimer"),
            models.CheckConstraint(condition=Q(value__gte=0), name="volunteering_wish_value_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def claimer(self):
        """The party member or member unit that claimed it (None while nobody has)."""
        return self.claimer_member or self.claimer_unit

    @property
    def claimer_name(self) -> str:
        return str(self.claimer) if self.claimer else ""

    @property
    def is_overdue(self) -> bool:
        """Approved but still unclaimed past its wanted-by date."""
        return self.state == WishState.OPEN and self.wanted_by < timezone.localdate()


class WishTransition(TransitionRecord):
    wish = models.ForeignKey(Wish, on_delete=models.CASCADE, related_name="transitions")
    flow = WISH_FLOW
    scope_region_lookups = ("wish__region__path",)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("micro-wish step")
        verbose_name_plural = _("micro-wish steps")


class WishPhoto(models.Model):
    """A photo of a fulfilled wish (re-encoded without metadata, served through gongzhi.core.media)."""

    wish = models.ForeignKey(Wish, on_delete=models.CASCADE, related_name="photos", verbose_name=_("micro-wish"))
    image = models.ImageField(_("photo"), upload_to=RandomName(WISH_PHOTO_FOLDER))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("wish__region__path",)

    class Meta:
        verbose_name = _("fulfilment photo")
        verbose_name_plural = _("fulfilment photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.image.name
