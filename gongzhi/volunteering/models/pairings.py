"""Pairings (结对) with a capacity per anchor and a contact log, their per-sub-district rules, and incubation cohorts
with their checklist of required activities (the pairings part).

A pairing ties an anchor (a party member, or a member unit for unit ↔ household pairings) to a partner (a young
volunteer, a registry household, or a shop known by name and business address). The capacity of each kind per
anchor and the contact interval (days without contact before an alert) default to `DEFAULT_CAPACITY` and
`DEFAULT_INTERVAL_DAYS` and may be set per sub-district by a `PairingRule`. The last contact date is always read
from the contact log, never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.fields import EncryptedCharField
from gongzhi.core.models import AppendOnlyQuerySet
from gongzhi.core.workflow import TransitionRecord
from gongzhi.volunteering.workflow import PAIRING_FLOW, PairingState

__all__ = ["PairingKind", "DEFAULT_CAPACITY", "DEFAULT_INTERVAL_DAYS", "MAX_CAPACITY", "MAX_INTERVAL_DAYS", "UNIT_ANCHORED", "PARTNER_OF",
           "PairingRule", "Pairing", "PairingTransition", "ContactKind", "PairingContact", "DEFAULT_REQUIREMENTS",
           "Cohort", "CohortRequirement", "CohortParticipant", "CohortProgress"]


class PairingKind(models.TextChoices):
    YOUTH = "youth", _("Youth ↔ party member")
    UNIT_HOUSEHOLD = "unit_household", _("Unit ↔ household in hardship")
    MEMBER_HOUSEHOLD = "member_household", _("Member ↔ households")
    MEMBER_SHOP = "member_shop", _("Member ↔ shops")


# pairings per anchor (member or unit), unless a PairingRule of the sub-district says otherwise
DEFAULT_CAPACITY = {PairingKind.YOUTH: 1, PairingKind.UNIT_HOUSEHOLD: 5, PairingKind.MEMBER_HOUSEHOLD: 10,
                    PairingKind.MEMBER_SHOP: 50}
DEFAULT_INTERVAL_DAYS = 30  # days without contact before a pairing is overdue
MAX_CAPACITY = 500
MAX_INTERVAL_DAYS = 366
UNIT_ANCHORED = frozenset({PairingKind.UNIT_HOUSEHOLD})  # the other kinds are anchored on a party member
# which partner field each kind uses
PARTNER_OF = {PairingKind.YOUTH: "volunteer", PairingKind.UNIT_HOUSEHOLD: "household",
              PairingKind.MEMBER_HOUSEHOLD: "household", PairingKind.MEMBER_SHOP: "shop_name"}


class PairingRule(models.Model):
    """A sub-district's capacity and contact interval for one kind of pairing (the defaults in code otherwise)."""

    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("sub-district"))
    kind = models.CharField(_("kind"), max_length=20, choices=PairingKind.choices)
    capacity = models.PositiveIntegerField(_("capacity per anchor"),
                                           validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)])
    contact_interval_days = models.PositiveIntegerField(
        _("contact interval (days)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_DAYS)])

    history = HistoricalRecords()
    scope_region_lookups = ("region__path",)

    class Meta:
        verbose_name = _("pairing rule")
        verbose_name_plural = _("pairing rules")
        ordering = ["region", "kind"]
        constraints = [models.UniqueConstraint(fields=["region", "kind"], name="volunteering_one_rule_per_kind")]

    def __str__(self) -> str:
        return f"{self.region} · {self.get_kind_display()}"


ACTIVE = Q(state=PairingState.ACTIVE)


class Pairing(models.Model):
    """One pairing: `kind`, its anchor (`member` or `unit`), its partner (`volunteer`, `household` or a shop),
    where it is managed (`region`, the scope) and since when. Ended through PAIRING_FLOW with a reason."""

    code = models.CharField(_("pairing number"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=PairingKind.choices)
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("region"))
    member = models.ForeignKey("registry.PartyMember", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="pairings", verbose_name=_("party member"))
    unit = models.ForeignKey("registry.MemberUnit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="pairings", verbose_name=_("member unit"))
    volunteer = models.ForeignKey("volunteering.Volunteer", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="pairings", verbose_name=_("young volunteer"))
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="pairings", verbose_name=_("household"))
    shop_name = models.CharField(_("shop"), max_length=80, blank=True)
    shop_address = models.CharField(_("shop address"), max_length=120, blank=True,
                                    help_text=_("A business address (not personal data)."))
    started_on = models.DateField(_("paired on"))
    state = models.CharField(_("state"), max_length=10, choices=PairingState.choices, default=PairingState.ACTIVE)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("region__path",)

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["kind", "-started_on", "-id"]
        indexes = [models.Index(fields=["member", "kind", "state"], name="volunteering_pairing_member"),
                   models.Index(fields=["unit", "kind", "state"], name="volunteering_pairing_unit")]
        constraints = [
            models.CheckConstraint(condition=(Q(member__isnull=False) & Q(unit__isnull=True))
                                   | (Q(member__isnull=True) & Q(unit__isnull=False)),
                                   name="volunteering_pairing_one_anchor"),
            models.UniqueConstraint(fields=["member", "volunteer"], condition=ACTIVE & Q(volunteer__isnull=False),
                                    name="volunteering_pairing_member_volunteer"),
            models.UniqueConstraint(fields=["volunteer"], condition=ACTIVE & Q(kind=PairingKind.YOUTH),
                                    name="volunteering_pairing_one_youth_pair"),
            models.UniqueConstraint(fields=["member", "household"], condition=ACTIVE & Q(household__isnull=False),
                                    name="volunteering_pairing_member_household"),
            models.UniqueConstraint(fields=["unit", "household"], condition=ACTIVE & Q(household__isnull=False),
                                    name="volunteering_pairing_unit_household"),
            models.UniqueConstraint(fields=["member", "shop_name"], condition=ACTIVE & ~Q(shop_name=""),
                                    name="volunteering_pairing_member_shop"),
        ]

    def __str__(self) -> str:
        return f"{self.anchor} ↔ {self.partner_label}"

    @property
    def anchor(self):
        return self.unit if self.unit_id else self.member

    @property
    def partner(self):
        return self.volunteer if self.volunteer_id else self.household if self.household_id else None

    # the Excel list's columns (gongzhi.volunteering.excel_pairings)
    @property
    def member_name(self) -> str:
        return self.member.name if self.member_id else ""

    @property
    def member_org(self) -> str:
        return self.member.organization.code if self.member_id else ""

    @property
    def volunteer_name(self) -> str:
        return self.volunteer.name if self.volunteer_id else ""

    @property
    def household_ref(self) -> str:
        return f"{self.household.building.code}/{self.household.room}" if self.household_id else ""

    @property
    def partner_label(self) -> str:
        if self.volunteer_id:
            return self.volunteer.name
        if self.household_id:
            return str(self.household)
        return self.shop_name


class PairingTransition(TransitionRecord):
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="transitions")
    flow = PAIRING_FLOW

    class Meta(TransitionRecord.Meta):
        verbose_name = _("pairing step")
        verbose_name_plural = _("pairing steps")


class ContactKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone call")
    ONLINE = "online", _("Online")
    ACTIVITY = "activity", _("Joint activity")


class PairingContact(models.Model):
    """One contact of a pairing (append-only): when, how, a note, who recorded it."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="contacts",
                                verbose_name=_("pairing"))
    contacted_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()
    history = HistoricalRecords()
    scope_region_lookups = ("pairing__region__path",)

    class Meta:
        verbose_name = _("pairing contact")
        verbose_name_plural = _("pairing contacts")
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["pairing", "contacted_on"], name="volunteering_contact_day")]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.get_kind_display()}"


# the "五个一" of the V.I.P incubation programme: copied into every new cohort, then editable
DEFAULT_REQUIREMENTS = ("党性理论学习", "主题党日", "专业技能培训", "滨江定向竞技", "志愿服务实践")


class Cohort(models.Model):
    """An incubation cohort (孵化培养): young people who complete a checklist of required activities."""

    name = models.CharField(_("name"), max_length=80)
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("region"))
    organiser = models.CharField(_("organiser"), max_length=120, blank=True)
    organization = models.ForeignKey("registry.PartyOrg", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("party organization"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("region__path",)

    class Meta:
        verbose_name = _("incubation cohort")
        verbose_name_plural = _("incubation cohorts")
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="volunteering_cohort_ends_after_start")]

    def __str__(self) -> str:
        return self.name


class CohortRequirement(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="requirements",
                               verbose_name=_("cohort"))
    title = models.CharField(_("required activity"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()
    scope_region_lookups = ("cohort__region__path",)

    class Meta:
        verbose_name = _("cohort requirement")
        verbose_name_plural = _("cohort requirements")
        ordering = ["cohort", "position", "id"]

    def __str__(self) -> str:
        return self.title


class CohortParticipant(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="participants",
                               verbose_name=_("cohort"))
    volunteer = models.ForeignKey("volunteering.Volunteer", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="cohorts", verbose_name=_("volunteer"))
    name = models.CharField(_("name"), max_length=40)
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True)
    workplace = models.CharField(_("workplace"), max_length=80, blank=True)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("cohort__region__path",)
    personal_fields = ("phone",)

    class Meta:
        verbose_name = _("cohort participant")
        verbose_name_plural = _("cohort participants")
        ordering = ["cohort", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["cohort", "volunteer"], condition=Q(volunteer__isnull=False),
                                               name="volunteering_cohort_one_volunteer")]

    def __str__(self) -> str:
        return self.name


class CohortProgress(models.Model):
    """A participant's completion of one requirement: on a date, with a note, optionally the activity attended."""

    participant = models.ForeignKey(CohortParticipant, on_delete=models.CASCADE, related_name="progress",
                                    verbose_name=_("participant"))
    requirement = models.ForeignKey(CohortRequirement, on_delete=models.CASCADE, related_name="progress",
                                    verbose_name=_("required activity"))
    done_on = models.DateField(_("done on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    activity = models.ForeignKey("volunteering.Activity", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("activity attended"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("participant__cohort__region__path",)

    class Meta:
        verbose_name = _("cohort progress")
        verbose_name_plural = _("cohort progress")
        ordering = ["participant", "requirement__position", "id"]
        constraints = [models.UniqueConstraint(fields=["participant", "requirement"],
                                               name="volunteering_progress_once")]

    def __str__(self) -> str:
        return f"{self.participant} · {self.requirement} · {self.done_on}"
