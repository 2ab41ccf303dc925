"""Resident demands (诉求): the demand, its category taxonomy, photos, supports (我也遇到), followers,
the append-only timeline, deadline policies, the working-day calendar, extensions and the in-app inbox."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.fields import EncryptedCharField, LookupHashField
from gongzhi.core.masking import mask_name, mask_phone
from gongzhi.core.media import random_name
from gongzhi.core.workflow import TransitionRecord
from gongzhi.demands.workflow import Action, State


class Category(models.Model):
    """A two-level taxonomy. `subdistrict` null = the default taxonomy, used by sub-districts without their own."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    subdistrict = models.ForeignKey(
        "registry.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("sub-district"),
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "code"], name="demands_category_code_per_subdistrict"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(subdistrict__isnull=True), name="demands_category_default_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in at a service station")
    PHONE = "phone", _("Phone")
    HOTLINE_12345 = "hotline_12345", _("12345 hotline transfer")
    WEB = "web", _("Web / H5")
    GRID_PATROL = "grid_patrol", _("Grid patrol")
    HOME_VISIT = "home_visit", _("Home visit by a member")
    ENTERPRISE = "enterprise", _("Enterprise (via liaison)")
    OPEN311 = "open311", _("Open311")


class Kind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    HELP = "help", _("Help request")
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class EscalationLevel(models.IntegerChoices):
    GRID = 0, _("Grid")
    AREA = 1, _("Residential area")
    SUBDISTRICT = 2, _("Sub-district")
    # Only a sub-district leader's referral reaches this level (never the overdue timer): see `services.refer_demand`
    JOINT_MEETING = 3, _("Referred to a joint meeting")


class Demand(models.Model):
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="demands", verbose_name=_("category")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.HELP)
    priority = models.CharField(_("priority"), max_length=20, choices=Priority.choices, default=Priority.NORMAL)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SUBMITTED, db_index=True)
    # Where
    address = models.CharField(_("address"), max_length=200, blank=True)
    building = models.ForeignKey(
        "registry.Building", null=True, blank=True, on_delete=models.SET_NULL, related_name="demands",
        verbose_name=_("building"),
    )
    grid = models.ForeignKey(
        "registry.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="grid_demands",
        verbose_name=_("grid"),
    )
    region = models.ForeignKey(
        "registry.Region", on_delete=models.PROTECT, related_name="responsible_demands",
        verbose_name=_("responsible region"),
        help_text=_("The node currently responsible: the grid, or the area / sub-district after escalation."),
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # Who and how
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    service_place = models.ForeignKey(
        "registry.ServicePlace", null=True, blank=True, on_delete=models.SET_NULL, related_name="demands",
        verbose_name=_("service station"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("recorded by"),
    )
    submitter_name = models.CharField(_("submitter name"), max_length=40, blank=True)
    submitter_phone = EncryptedCharField(_("submitter phone"), max_length=20, blank=True)
    submitter_phone_hash = LookupHashField(of="submitter_phone")  # a resident's demands by phone
    submitter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="submitted_demands",
        verbose_name=_("submitter account"),
    )
    member_unit = models.ForeignKey(
        "registry.MemberUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="demands",
        verbose_name=_("member unit"),
    )
    source = models.CharField(_("source client"), max_length=60, editable=False)
    idempotency_key = models.CharField(max_length=80, blank=True, editable=False)
    # Handling
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level"), choices=EscalationLevel.choices, default=EscalationLevel.GRID
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_demands",
        verbose_name=_("assignee"),
    )
    # A unit that handles the demand for a joint meeting's decision, e.g. a district department (区级职能部门)
    handling_unit = models.ForeignKey(
        "registry.MemberUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="handled_demands",
        verbose_name=_("handling unit"),
    )
    team = models.ForeignKey(
        "registry.ProfessionalTeam", null=True, blank=True, on_delete=models.SET_NULL, related_name="demands",
        verbose_name=_("professional team"),
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="claimed_demands",
        verbose_name=_("claimed by"),
    )
    promise = models.CharField(_("public promise"), max_length=200, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_demands",
        verbose_name=_("merged into"),
    )
    support_count = models.PositiveIntegerField(_("me too"), default=0)
    resolution = models.TextField(_("resolution"), blank=True)
    # Deadlines (working days, see DeadlinePolicy): due by the end of the given day
    response_due_on = models.DateField(_("respond by"), null=True, blank=True)
    due_on = models.DateField(_("resolve by"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    is_overdue = models.BooleanField(_("overdue"), default=False, db_index=True)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    # Review
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()
    # Unrouted demands belong to the sub-district (`region`); routed ones also to their grid.
    scope_region_lookups = ("region__path", "grid__path")
    scope_unit_lookups = ("member_unit_id", "handling_unit_id")
    personal_fields = ("submitter_name", "submitter_phone")  # masked by `gongzhi.core.masking`

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "idempotency_key"], condition=~Q(idempotency_key=""),
                name="demands_demand_idempotent_intake",
            ),
            models.CheckConstraint(
                condition=Q(escalation_level__gte=0, escalation_level__lte=3), name="demands_demand_level_range"
            ),
        ]
        indexes = [models.Index(fields=["state", "due_on"])]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.submitter_phone)

    @property
    def masked_name(self) -> str:
        return mask_name(self.submitter_name)

    @property
    def overdue_now(self) -> bool:
        """Past a deadline today while still open: the 超期 badge of the lists (the hourly check sets `is_overdue`
        later, and an approved extension lifts it)."""
        from gongzhi.demands.workflow import is_late

        return is_late(self, timezone.localdate())

    @property
    def submitter_phone_last4(self) -> str:
        """The digits a resident tracks the demand with; compared after decrypting this one row (never stored
        apart: four digits alone are guessed from their hash in 10,000 tries)."""
        return self.submitter_phone[-4:] if len(self.submitter_phone or "") >= 4 else ""

    @property
    def is_enterprise(self) -> bool:
        return self.channel == Channel.ENTERPRISE and self.member_unit_id is not None


class PhotoKind(models.TextChoices):
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")


def photo_path(instance, filename: str) -> str:
    """A random name with the allow-listed extension of the (re-encoded) image (gongzhi.core.media)."""
    return random_name("demands", filename, when=instance.demand.created_at)


class DemandPhoto(models.Model):
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("image"), upload_to=photo_path)
    kind = models.CharField(_("kind"), max_length=10, choices=PhotoKind.choices, default=PhotoKind.BEFORE)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.demand_id}: {self.get_kind_display()} {self.image.name}"


class Support(models.Model):
    """我也遇到: one per demand and contact (phone, user or session key)."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="supports")
    key = models.CharField(max_length=80)  # the keyed hash of the contact (`gongzhi.core.crypto.lookup_hash`)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("me too")
        verbose_name_plural = _("me too")
        constraints = [models.UniqueConstraint(fields=["demand", "key"], name="demands_support_once")]

    def __str__(self) -> str:
        return f"{self.demand_id}: {self.key}"


class Follower(models.Model):
    """A person told of the demand's progress besides its submitter: the submitters of merged duplicates."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="followers")
    name = models.CharField(_("name"), max_length=40, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True)
    phone_hash = LookupHashField(of="phone")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    from_demand = models.ForeignKey(Demand, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    personal_fields = ("name", "phone")

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.demand_id}: {self.name or self.masked_phone}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class DemandTransition(TransitionRecord):
    """One step of a demand's timeline, written by the shared writer (gongzhi.core.workflow). Append-only."""

    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")

    def __str__(self) -> str:
        return f"{self.demand_id}: {self.from_state or '-'} --{self.action}--> {self.to_state}"


class DeadlinePolicy(models.Model):
    """Time limits in working days. Blank category/kind/priority match anything; the most specific row wins."""

    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("category")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    priority = models.CharField(_("priority"), max_length=20, choices=Priority.choices, blank=True)
    response_days = models.PositiveSmallIntegerField(_("first response (working days)"), default=1)
    resolution_days = models.PositiveSmallIntegerField(_("resolution (working days)"), default=5)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")

    def __str__(self) -> str:
        return f"{self.category or '*'} / {self.kind or '*'} / {self.priority or '*'}"


class CalendarDay(models.Model):
    """An exception to the weekday rule: a holiday (not working) or a make-up working day on a weekend."""

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=60, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'working' if self.is_working else 'holiday'}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Extension(models.Model):
    """A request to extend a complex demand's resolution deadline (at most 15 working days in all)."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("extra working days"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=ExtensionStatus.choices,
                              default=ExtensionStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    history = HistoricalRecords()
    scope_region_lookups = ("demand__region__path", "demand__grid__path")

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.demand_id}: +{self.days} ({self.get_status_display()})"


class Notification(models.Model):
    """The in-app inbox."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    demand = models.ForeignKey(Demand, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("text"), max_length=300)
    # the page the notification is about when it is not a demand (e.g. a deliberation meeting)
    link = models.CharField(_("link"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text


class Open311Client(models.Model):
    """An application allowed to post Open311 service requests, acting as a service account user.
    Only a sha256 hash of its api_key is stored; the key is shown once, when it is issued."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="open311_clients",
        verbose_name=_("service account"),
    )
    subdistrict = models.ForeignKey(
        "registry.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("sub-district"), help_text=_("Where its requests go when they name no place."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


    @classmethod
    def authenticate(cls, key: str | None) -> Open311Client | None:
        if not key:
            return None
        return (cls.objects.select_related("user", "subdistrict")
                .filter(key_hash=cls.hash_key(key), active=True, user__is_active=True).first())


class TrackingGuard(models.Model):
    """The one failure counter of a tracking code, shared by the H5 page, the tracking API, the review and the
    photo upload, whoever the client is. `attempts` counts the tries that are under way or failed since the last
    success; at `services.TRACK_MAX_FAILURES` the code is locked until `locked_until` (or until the resident
    recovers it through the link of a re-sent SMS). Changed only by conditional UPDATEs (atomic on every
    database), never read-modify-write."""

    demand = models.OneToOneField(Demand, on_delete=models.CASCADE, primary_key=True, related_name="tracking_guard")
    attempts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    resent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tracking code guard")
        verbose_name_plural = _("tracking code guards")

    def __str__(self) -> str:
        return f"{self.demand_id}: {self.attempts}"


class RateCounter(models.Model):
    """An atomic counter of one client's requests in one time window (`key` names both), for limits that
    parallel requests must not slip past: one conditional UPDATE per hit."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
