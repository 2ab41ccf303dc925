"""Members' yearly records (the records part): the "四先" record (大事先知、难事先议、实事先行、急事先做), each
entry linked to the work itself (a demand, a grid micro-item, a wish, a deliberation topic … through a generic
link); democratic appraisal results per member and year; mobile members (流动党员) with their home organization,
whereabouts and contact log. The rest of a member's year is read from the other apps' selectors."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.fields import EncryptedCharField

__all__ = [
    "FourFirstKind", "FourFirst", "AppraisalResult", "Appraisal", "MobileMember", "ContactChannel", "MobileContact",
]


class FourFirstKind(models.TextChoices):
    KNOW = "know", _("First to know (大事先知)")
    DELIBERATE = "deliberate", _("First to deliberate (难事先议)")
    ACT = "act", _("First to act (实事先行)")
    DO = "do", _("First to do (急事先做)")


class FourFirst(models.Model):
    """One contribution of a member flagged as one of the "四先", linked to the work it was part of."""

    member = models.ForeignKey("registry.PartyMember", on_delete=models.PROTECT, related_name="orglife_four_firsts",
                               verbose_name=_("party member"))
    kind = models.CharField(_("kind"), max_length=20, choices=FourFirstKind.choices)
    occurred_on = models.DateField(_("date"))
    description = models.CharField(_("what they did"), max_length=300)
    work_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("kind of work"))
    work_id = models.PositiveBigIntegerField(_("work"), null=True, blank=True)
    work = GenericForeignKey("work_type", "work_id")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("member__organization__region__path", "member__registered_area__path")
    scope_unit_lookups = ("member__organization__member_unit_id",)

    class Meta:
        verbose_name = _("四先 record")
        verbose_name_plural = _("四先 records")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["work_type", "work_id"], name="orglife_fourfirst_work")]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_kind_display()} · {self.description}"


class AppraisalResult(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent (优秀)")
    QUALIFIED = "qualified", _("Qualified (合格)")
    BASICALLY_QUALIFIED = "basically_qualified", _("Basically qualified (基本合格)")
    UNQUALIFIED = "unqualified", _("Unqualified (不合格)")


class Appraisal(models.Model):
    """The democratic appraisal (民主评议党员) result of one member for one year."""

    member = models.ForeignKey("registry.PartyMember", on_delete=models.PROTECT, related_name="orglife_appraisals",
                               verbose_name=_("party member"))
    year = models.PositiveSmallIntegerField(_("year"))
    result = models.CharField(_("result"), max_length=30, choices=AppraisalResult.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    meeting = models.ForeignKey("orglife.Meeting", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="appraisals", verbose_name=_("appraisal meeting"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))

    history = HistoricalRecords()
    scope_region_lookups = ("member__organization__region__path",)
    scope_unit_lookups = ("member__organization__member_unit_id",)

    class Meta:
        verbose_name = _("appraisal result")
        verbose_name_plural = _("appraisal results")
        ordering = ["-year", "member__name"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="orglife_appraisal_once_a_year")]

    def __str__(self) -> str:
        return f"{self.member} · {self.year} · {self.get_result_display()}"

    @property
    def member_name(self) -> str:
        """The member's name (the Excel list's column)."""
        return self.member.name if self.member_id else ""

    @property
    def member_org(self) -> str:
        """The code of the member's organization (the Excel list's column)."""
        return self.member.organization.code if self.member_id else ""


class MobileMember(models.Model):
    """A mobile member (流动党员): their home organization, where they are now and how to keep in touch. The
    whereabouts are personal data: encrypted at rest and masked."""

    member = models.OneToOneField("registry.PartyMember", on_delete=models.PROTECT, related_name="orglife_mobile",
                                  verbose_name=_("party member"))
    home_org = models.ForeignKey("registry.PartyOrg", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("home organization"))
    home_org_name = models.CharField(_("home organization (outside the platform)"), max_length=120, blank=True)
    whereabouts = EncryptedCharField(_("whereabouts"), max_length=200, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    active = models.BooleanField(_("still mobile"), default=True)

    history = HistoricalRecords()
    scope_region_lookups = ("member__organization__region__path",)
    scope_unit_lookups = ("member__organization__member_unit_id",)
    personal_fields = ("whereabouts",)

    class Meta:
        verbose_name = _("mobile member")
        verbose_name_plural = _("mobile members")
        ordering = ["member__name"]

    def __str__(self) -> str:
        return str(self.member)


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WECHAT = "wechat", _("WeChat")
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")


class MobileContact(models.Model):
    """One contact with a mobile member (the last one is their "last contact")."""

    mobile = models.ForeignKey(MobileMember, on_delete=models.CASCADE, related_name="contacts",
                               verbose_name=_("mobile member"))
    contacted_on = models.DateField(_("contacted on"))
    channel = models.CharField(_("channel"), max_length=20, choices=ContactChannel.choices,
                               default=ContactChannel.PHONE)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))

    history = HistoricalRecords()
    scope_region_lookups = ("mobile__member__organization__region__path",)
    scope_unit_lookups = ("mobile__member__organization__member_unit_id",)

    class Meta:
        verbose_name = _("contact with a mobile member")
        verbose_name_plural = _("contacts with mobile members")
        ordering = ["-contacted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.mobile} · {self.contacted_on}"
