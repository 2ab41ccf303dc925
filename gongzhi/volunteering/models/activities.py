"""Activities, their shifts and recurring series, sign-ups with a waiting list (the activities part)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.workflow import TransitionRecord
from gongzhi.volunteering.workflow import (
    ACTIVITY_FLOW,
    SIGNUP_FLOW,
    SIGNUP_LIVE_STATES,
    ActivityState,
    SignUpState,
)

__all__ = ["OrganiserKind", "Recurrence", "ActivitySeries", "Activity", "ActivityTransition", "Shift", "SignUp",
           "SignUpTransition"]


class OrganiserKind(models.TextChoices):
    TEAM = "team", _("Volunteer team")
    UNIT = "unit", _("Member unit")
    PLACE = "place", _("Service station")
    ORGANIZATION = "organization", _("Party organization")


class Organised(models.Model):
    """Who organises: exactly one of a volunteer team, a member unit, a service place or a party organization
    (`organiser_kind` says which), inside `region` (the scope of the activity)."""

    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("region"))
    organiser_kind = models.CharField(_("organised by"), max_length=12, choices=OrganiserKind.choices)
    team = models.ForeignKey("registry.VolunteerTeam", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("volunteer team"))
    unit = models.ForeignKey("registry.MemberUnit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("member unit"))
    place = models.ForeignKey("registry.ServicePlace", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("service place"))
    organization = models.ForeignKey("registry.PartyOrg", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("party organization"))

    class Meta:
        abstract = True

    @property
    def organiser(self):
        return {OrganiserKind.TEAM: self.team, OrganiserKind.UNIT: self.unit, OrganiserKind.PLACE: self.place,
                OrganiserKind.ORGANIZATION: self.organization}.get(self.organiser_kind)

    @property
    def organiser_name(self) -> str:
        return getattr(self.organiser, "name", "") or ""


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")


class ActivitySeries(Organised):
    """A recurring activity (every Thursday's 党员专家在行动, a monthly 文化进楼宇): its dates are generated as
    activities with the series' time, place and shifts."""

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    recurrence = models.CharField(_("repeats"), max_length=10, choices=Recurrence.choices)
    weekday = models.PositiveSmallIntegerField(_("weekday"), null=True, blank=True,
                                               help_text=_("1 = Monday … 7 = Sunday, for a weekly series."))
    day_of_month = models.PositiveSmallIntegerField(_("day of the month"), null=True, blank=True)
    starts_on = models.DateField(_("first date"))
    ends_on = models.DateField(_("last date"))
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    location = models.CharField(_("place"), max_length=120)
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("region__path",)
    scope_unit_lookups = ("unit_id",)

    class Meta:
        verbose_name = _("activity series")
        verbose_name_plural = _("activity series")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Activity(Organised):
    """One date of volunteer service: time, place, shifts (roles) with their places. Sign-up is on H5; the organiser
    checks volunteers in and out, which credits their hours."""

    code = models.CharField(_("activity number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    series = models.ForeignKey(ActivitySeries, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="activities", verbose_name=_("series"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("place"), max_length=120)
    state = models.CharField(_("state"), max_length=12, choices=ActivityState.choices, default=ActivityState.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("region__path",)
    scope_unit_lookups = ("unit_id",)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["region", "starts_at"], name="volunteering_activity_when")]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="volunteering_activity_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    @property
    def places(self) -> int:
        """The places of all its shifts."""
        return sum(s.capacity for s in self.shifts.all())


class ActivityTransition(TransitionRecord):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="transitions")
    flow = ACTIVITY_FLOW

    class Meta(TransitionRecord.Meta):
        verbose_name = _("activity step")
        verbose_name_plural = _("activity steps")


class Shift(models.Model):
    """A role or shift of an activity (引导员, 8:30–10:30 …) with its places; every activity has at least one."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="shifts",
                                 verbose_name=_("activity"))
    name = models.CharField(_("role or shift"), max_length=60)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()
    scope_region_lookups = ("activity__region__path",)
    scope_unit_lookups = ("activity__unit_id",)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["activity", "position", "starts_at", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="volunteering_shift_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.activity.title} · {self.name}"


class SignUp(models.Model):
    """A volunteer's place in a shift, or their place on its waiting list (`waiting_since` orders it). The capacity
    is checked under a lock on the shift row; a volunteer holds at most one live sign-up per shift."""

    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="signups", verbose_name=_("shift"))
    volunteer = models.ForeignKey("volunteering.Volunteer", on_delete=models.PROTECT, related_name="signups",
                                  verbose_name=_("volunteer"))
    state = models.CharField(_("state"), max_length=12, choices=SignUpState.choices, default=SignUpState.CONFIRMED)
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True, default="")  # the organiser's, on the roster

    history = HistoricalRecords()
    scope_region_lookups = ("shift__activity__region__path",)
    scope_unit_lookups = ("shift__activity__unit_id",)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["shift", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "volunteer"], name="volunteering_one_live_signup",
                                    condition=models.Q(state__in=sorted(s.value for s in SIGNUP_LIVE_STATES))),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.shift}"


class SignUpTransition(TransitionRecord):
    signup = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="transitions")
    flow = SIGNUP_FLOW

    class Meta(TransitionRecord.Meta):
        verbose_name = _("sign-up step")
        verbose_name_plural = _("sign-up steps")
