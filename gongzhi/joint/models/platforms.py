"""Joint-meeting platforms (联席会议 and thematic platforms) and their members (the platforms part)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

__all__ = ["PlatformLevel", "PlatformKind", "Platform", "MemberRole", "PlatformMember", "ProfessionalCommittee",
           "ProfessionalCommitteeMember"]


class PlatformLevel(models.TextChoices):
    DISTRICT = "district", _("District")
    SUBDISTRICT = "subdistrict", _("Sub-district")


class PlatformKind(models.TextChoices):
    JOINT_MEETING = "joint_meeting", _("Joint meeting")
    THEMATIC = "thematic", _("Thematic platform")


class Platform(models.Model):
    """A regional party-building joint meeting at district or sub-district level (e.g. the sub-district's
    "1+11+103+X" of seed 001, or Huangpu's district joint meeting of 002), or a thematic platform such as 002's
    culture platform. Its brand is the name residents know it by (同心家园, 文化思南 …)."""

    name = models.CharField(_("name"), max_length=120)
    brand = models.CharField(_("brand"), max_length=60, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=PlatformLevel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=PlatformKind.choices, default=PlatformKind.JOINT_MEETING)
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="joint_platforms",
                               verbose_name=_("region"), help_text=_("The district or sub-district it serves."))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("district platform"))
    convener_unit = models.ForeignKey("registry.MemberUnit", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("convening unit"))
    convener_org = models.ForeignKey("registry.PartyOrg", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("convening party organization"))
    remit = models.TextField(_("remit"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("region__path",)

    class Meta:
        verbose_name = _("joint-meeting platform")
        verbose_name_plural = _("joint-meeting platforms")
        ordering = ["level", "region__path", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.brand}）" if self.brand else self.name

    def clean(self):
        if self.region_id and self.level and self.region.kind != self.level:
            raise ValidationError({"region": _("A %(level)s platform serves a %(level)s.")
                                   % {"level": PlatformLevel(self.level).label}})


class MemberRole(models.TextChoices):
    CONVENER = "convener", _("Convening unit")
    MEMBER = "member", _("Platform member")


class PlatformMember(models.Model):
    """A member of a platform: a unit, a party organization, or a residential area (its residents' committee, the
    "11" of 1+11+103+X), with its role and the day it joined (and left)."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="members",
                                 verbose_name=_("platform"))
    member_unit = models.ForeignKey("registry.MemberUnit", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="platform_memberships", verbose_name=_("member unit"))
    party_org = models.ForeignKey("registry.PartyOrg", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="platform_memberships", verbose_name=_("party organization"))
    area = models.ForeignKey("registry.Region", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="platform_memberships", verbose_name=_("residential area"))
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    scope_region_lookups = ("platform__region__path",)

    class Meta:
        verbose_name = _("platform member")
        verbose_name_plural = _("platform members")
        ordering = ["platform", "role", "joined_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(member_unit__isnull=False, party_org__isnull=True, area__isnull=True)
                           | Q(member_unit__isnull=True, party_org__isnull=False, area__isnull=True)
                           | Q(member_unit__isnull=True, party_org__isnull=True, area__isnull=False)),
                name="joint_member_is_one_unit_org_or_area"),
            models.UniqueConstraint(fields=["platform", "member_unit"], condition=Q(left_on__isnull=True),
                                    name="joint_member_unit_once"),
            models.UniqueConstraint(fields=["platform", "party_org"], condition=Q(left_on__isnull=True),
                                    name="joint_member_org_once"),
            models.UniqueConstraint(fields=["platform", "area"], condition=Q(left_on__isnull=True),
                                    name="joint_member_area_once"),
        ]

    def __str__(self) -> str:
        return str(self.member_unit or self.party_org or self.area)

    @property
    def member_kind(self) -> str:
        """"unit", "org" or "area": which of the three the member is."""
        return "unit" if self.member_unit_id else "org" if self.party_org_id else "area"


class ProfessionalCommittee(models.Model):
    """A professional committee (专业委员会) of a platform: the "X" of 1+11+103+X, with its remit (e.g. business
    district development, culture and sports, public safety) and its members."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="committees",
                                 verbose_name=_("platform"))
    name = models.CharField(_("name"), max_length=120)
    remit = models.TextField(_("remit"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    scope_region_lookups = ("platform__region__path",)

    class Meta:
        verbose_name = _("professional committee")
        verbose_name_plural = _("professional committees")
        ordering = ["platform", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["platform", "name"], name="joint_committee_name_once")]

    def __str__(self) -> str:
        return self.name


class ProfessionalCommitteeMember(models.Model):
    """A member of a professional committee: a member unit, a party organization, or a named person (with the unit
    they come from, if any). Leaving keeps the row with its left date."""

    committee = models.ForeignKey(ProfessionalCommittee, on_delete=models.CASCADE, related_name="members",
                                  verbose_name=_("professional committee"))
    member_unit = models.ForeignKey("registry.MemberUnit", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("member unit"))
    party_org = models.ForeignKey("registry.PartyOrg", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("party organization"))
    person_name = models.CharField(_("person"), max_length=40, blank=True)
    person_unit = models.ForeignKey("registry.MemberUnit", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("the person's unit"))
    title = models.CharField(_("position in the committee"), max_length=40, blank=True, help_text=_("E.g. director, deputy director."))
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    history = HistoricalRecords()
    scope_region_lookups = ("committee__platform__region__path",)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "joined_on", "id"]

    def __str__(self) -> str:
        return str(self.member_unit or self.party_org or self.person_name)

    @property
    def holder_kind(self) -> str:
        return "unit" if self.member_unit_id else "org" if self.party_org_id else "person"
