"""Sessions of a platform with their agenda, attendance and decisions (the sessions part)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.workflow import TransitionRecord
from gongzhi.joint.workflow import DECISION_FLOW, SESSION_FLOW, DecisionState, SessionState

__all__ = ["Session", "SessionTransition", "AgendaKind", "AgendaItem", "Attendance", "Decision",
           "DecisionTransition"]


class Session(models.Model):
    """One sitting of a platform: when and where, who signed in, its agenda, minutes and decisions."""

    platform = models.ForeignKey("joint.Platform", on_delete=models.PROTECT, related_name="sessions",
                                 verbose_name=_("platform"))
    title = models.CharField(_("title"), max_length=120)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=120)
    state = models.CharField(_("state"), max_length=20, choices=SessionState.choices, default=SessionState.PLANNED)
    minutes = models.TextField(_("minutes"), blank=True)
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("convened by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("platform__region__path",)

    class Meta:
        verbose_name = _("joint-meeting session")
        verbose_name_plural = _("joint-meeting sessions")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title


class SessionTransition(TransitionRecord):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="transitions")
    flow = SESSION_FLOW

    class Meta(TransitionRecord.Meta):
        verbose_name = _("session step")
        verbose_name_plural = _("session steps")


class AgendaKind(models.TextChoices):
    DEMAND = "demand", _("Referred demand")
    NEED = "need", _("Open need")
    RESOURCE = "resource", _("Unclaimed resource")
    PROJECT = "project", _("Co-building project awaiting a decision")
    FREE = "free", _("Other item")


class AgendaItem(models.Model):
    """An item before a platform. A referred demand waits on the platform (`session` empty) until the next session
    is planned, and joins that session's agenda."""

    platform = models.ForeignKey("joint.Platform", on_delete=models.PROTECT, related_name="agenda_items",
                                 verbose_name=_("platform"))
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="agenda_items", verbose_name=_("session"))
    kind = models.CharField(_("kind"), max_length=20, choices=AgendaKind.choices)
    demand = models.ForeignKey("demands.Demand", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="agenda_items", verbose_name=_("demand"))
    need = models.ForeignKey("matching.Need", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("need"))
    resource = models.ForeignKey("matching.Resource", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("resource"))
    project = models.ForeignKey("matching.Project", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("project"))
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("added by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("platform__region__path",)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="demand", demand__isnull=False, need__isnull=True, resource__isnull=True,
                             project__isnull=True)
                           | Q(kind="need", demand__isnull=True, need__isnull=False, resource__isnull=True,
                               project__isnull=True)
                           | Q(kind="resource", demand__isnull=True, need__isnull=True, resource__isnull=False,
                               project__isnull=True)
                           | Q(kind="project", demand__isnull=True, need__isnull=True, resource__isnull=True,
                               project__isnull=False)
                           | Q(kind="free", demand__isnull=True, need__isnull=True, resource__isnull=True,
                               project__isnull=True)),
                name="joint_agenda_item_kind_matches_its_subject"),
            # a demand is referred to a platform once
            models.UniqueConstraint(fields=["platform", "demand"], condition=Q(demand__isnull=False),
                                    name="joint_agenda_demand_once"),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """A sign-in at a session: a member unit's, a party organization's or a residential area's representative
    (or a named guest), at the desk or by the door's QR code."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances",
                                verbose_name=_("session"))
    member_unit = models.ForeignKey("registry.MemberUnit", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("member unit"))
    party_org = models.ForeignKey("registry.PartyOrg", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("party organization"))
    area = models.ForeignKey("registry.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("residential area"))
    person_name = models.CharField(_("representative"), max_length=40, blank=True)
    signed_at = models.DateTimeField(_("signed in at"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))

    history = HistoricalRecords()
    scope_region_lookups = ("session__platform__region__path",)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member_unit"], condition=Q(member_unit__isnull=False),
                                    name="joint_attendance_unit_once"),
            models.UniqueConstraint(fields=["session", "party_org"], condition=Q(party_org__isnull=False),
                                    name="joint_attendance_org_once"),
            models.UniqueConstraint(fields=["session", "area"], condition=Q(area__isnull=False),
                                    name="joint_attendance_area_once"),
        ]

    def __str__(self) -> str:
        return str(self.member_unit or self.party_org or self.area or self.person_name)


class Decision(models.Model):
    """决议: what a session decided, owned by one unit (a district department, a hospital, the sub-district's own
    office …) with a deadline, tracked to done. `agenda_item` ties it to what it decides (a referred demand is
    handed to the owner unit and completes the decision when resolved)."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="decisions",
                                verbose_name=_("session"))
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="decisions", verbose_name=_("agenda item"))
    text = models.TextField(_("decision"))
    owner_unit = models.ForeignKey("registry.MemberUnit", on_delete=models.PROTECT, related_name="joint_decisions",
                                   verbose_name=_("owner unit"))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=20, choices=DecisionState.choices, default=DecisionState.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)
    due_notified_on = models.DateField(_("due reminder sent on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("session__platform__region__path",)
    scope_unit_lookups = ("owner_unit_id",)  # the owner unit's staff (a district department) see its decisions

    class Meta:
        verbose_name = _("joint-meeting decision")
        verbose_name_plural = _("joint-meeting decisions")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class DecisionTransition(TransitionRecord):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="transitions")
    flow = DECISION_FLOW

    class Meta(TransitionRecord.Meta):
        verbose_name = _("decision step")
        verbose_name_plural = _("decision steps")
