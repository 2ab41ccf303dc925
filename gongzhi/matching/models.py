"""Two-way matching (双向认领): campaigns, the resource list, the need list and the project list, with the
project's milestones and attachments, and the append-only transition log of each of the four state machines
(see `gongzhi.matching.workflow`)."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.fields import EncryptedCharField
from gongzhi.core.media import RandomName
from gongzhi.core.workflow import TransitionRecord
from gongzhi.matching.labels import NEED_CATEGORY_CHOICES, RESOURCE_CATEGORY_CHOICES, UNIT_CHOICES
from gongzhi.matching.workflow import (
    CAMPAIGN_FLOW,
    NEED_FLOW,
    PROJECT_FLOW,
    RESOURCE_FLOW,
    CampaignState,
    NeedStatus,
    ProjectState,
    ResourceStatus,
)

__all__ = ["CampaignState", "NeedStatus", "ProjectState", "ResourceStatus"]  # re-exported for the app's users


class Campaign(models.Model):
    """A yearly or seasonal 双向认领 round of a sub-district."""

    name = models.CharField(_("name"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    season = models.CharField(_("season"), max_length=20, blank=True)
    subdistrict = models.ForeignKey(
        "registry.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("sub-district")
    )
    state = models.CharField(_("state"), max_length=20, choices=CampaignState.choices, default=CampaignState.PUBLISHED)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    """资源清单: an offer of a member unit or a party organization."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="resources", verbose_name=_("campaign")
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=RESOURCE_CATEGORY_CHOICES)
    provider_unit = models.ForeignKey(
        "registry.MemberUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="resources",
        verbose_name=_("provider unit"),
    )
    provider_org = models.ForeignKey(
        "registry.PartyOrg", null=True, blank=True, on_delete=models.PROTECT, related_name="resources",
        verbose_name=_("provider party organization"),
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    unit = models.CharField(_("capacity unit"), max_length=10, choices=UNIT_CHOICES)
    starts_on = models.DateField(_("available from"))
    ends_on = models.DateField(_("available until"))
    regions = models.ManyToManyField("registry.Region", related_name="+", verbose_name=_("regions served"))
    contact_name = models.CharField(_("contact person"), max_length=40, blank=True)
    contact_phone = EncryptedCharField(_("contact phone"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ResourceStatus.choices, default=ResourceStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(m2m_fields=[regions])
    scope_region_lookups = ("regions__path", "provider_org__region__path")
    scope_unit_lookups = ("provider_unit_id",)
    scope_needs_distinct = True
    personal_fields = ("contact_phone",)  # masked by `gongzhi.core.masking` for viewers without personal data

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title

    @property
    def provider(self):
        return self.provider_unit or self.provider_org

    @property
    def provider_key(self) -> str:
        return f"u{self.provider_unit_id}" if self.provider_unit_id else f"o{self.provider_org_id}"


class NeedSource(models.TextChoices):
    AREA = "residential_area", _("Residential area")
    GRID = "grid", _("Grid")
    STATION = "service_station", _("Service station")
    RESIDENT_GROUP = "resident_group", _("Resident group")
    HOT_ISSUE = "hot_issue", _("Hot issue")
    TOP_CONCERNS = "top_concerns", _("Top-10 concerns")


class Need(models.Model):
    """需求清单: a need raised by a place."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="needs", verbose_name=_("campaign")
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=NEED_CATEGORY_CHOICES)
    source = models.CharField(_("raised by"), max_length=20, choices=NeedSource.choices, default=NeedSource.AREA)
    place = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit = models.CharField(_("quantity unit"), max_length=10, choices=UNIT_CHOICES, blank=True)
    starts_on = models.DateField(_("needed from"))
    ends_on = models.DateField(_("needed until"))
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    demands = models.ManyToManyField(
        "demands.Demand", blank=True, related_name="matching_needs", verbose_name=_("demands behind it")
    )
    status = models.CharField(_("status"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("place__path",)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title


class Initiator(models.TextChoices):
    PROVIDER = "provider", _("Provider claimed the need")
    COMMUNITY = "community", _("Community claimed the resource")
    MATCHER = "matcher", _("Proposed by the global matching")


class Project(models.Model):
    """项目清单: a resource given to a need, from claim to evaluation."""

    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="projects", verbose_name=_("campaign")
    )
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="projects", verbose_name=_("need"))
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="projects",
                                 verbose_name=_("resource"))
    title = models.CharField(_("title"), max_length=160)
    state = models.CharField(_("state"), max_length=20, choices=ProjectState.choices, default=ProjectState.PROPOSED)
    initiated_by = models.CharField(_("initiated by"), max_length=12, choices=Initiator.choices)
    amount = models.PositiveIntegerField(_("amount"), default=1, help_text=_("In the resource's unit."))
    plan = models.TextField(_("plan"), blank=True)
    budget = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2, default=0)
    participants = models.TextField(_("participants"), blank=True)
    score = models.FloatField(_("match score"), null=True, blank=True)
    beneficiaries_served = models.PositiveIntegerField(_("beneficiaries served"), null=True, blank=True)
    hours = models.PositiveIntegerField(_("service hours"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("need__place__path",)
    scope_unit_lookups = ("resource__provider_unit_id",)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=120)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    history = HistoricalRecords()
    scope_region_lookups = ("project__need__place__path",)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Attachment(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attachments")
    # stored under a random name with the extension of its sniffed type (gongzhi.core.media)
    file = models.FileField(_("file"), upload_to=RandomName("matching"))
    name = models.CharField(_("name"), max_length=120)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name

    @property
    def download_name(self) -> str:
        """The name the user gave, with the extension of the stored (checked) type."""
        stem = PurePosixPath(self.name.replace("\\", "/")).stem or "attachment"
        return f"{stem}{PurePosixPath(self.file.name).suffix}"


class _Log(TransitionRecord):
    """A matching log row (its labels come from TransitionRecord)."""

    class Meta(TransitionRecord.Meta):
        abstract = True

    def __str__(self) -> str:
        return f"{self.from_state or '-'} --{self.action}--> {self.to_state}"


class ProjectTransition(_Log):
    """One step of a project's life. Append-only: never updated or deleted."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="transitions")
    flow = PROJECT_FLOW
    scope_region_lookups = ("project__need__place__path",)
    scope_unit_lookups = ("project__resource__provider_unit_id",)

    class Meta(_Log.Meta):
        verbose_name = _("project transition")
        verbose_name_plural = _("project transitions")


class CampaignTransition(_Log):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="transitions")
    flow = CAMPAIGN_FLOW
    scope_region_lookups = ("campaign__subdistrict__path",)

    class Meta(_Log.Meta):
        verbose_name = _("campaign transition")
        verbose_name_plural = _("campaign transitions")


class NeedTransition(_Log):
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="transitions")
    flow = NEED_FLOW
    scope_region_lookups = ("need__place__path",)

    class Meta(_Log.Meta):
        verbose_name = _("need status change")
        verbose_name_plural = _("need status changes")


class ResourceTransition(_Log):
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="transitions")
    flow = RESOURCE_FLOW
    scope_region_lookups = ("resource__regions__path", "resource__provider_org__region__path")
    scope_unit_lookups = ("resource__provider_unit_id",)
    scope_needs_distinct = True

    class Meta(_Log.Meta):
        verbose_name = _("resource status change")
        verbose_name_plural = _("resource status changes")
