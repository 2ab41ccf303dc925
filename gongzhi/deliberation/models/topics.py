"""Topics (议题) and their meetings (三会制度), the shared spine of the deliberation app: every other part (councils,
votes, conventions, grid topics) points at a topic or a meeting."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.workflow import TransitionRecord
from gongzhi.deliberation.workflow import MeetingState, TopicState

__all__ = ["TopicSource", "Topic", "TopicTransition", "TopicCosign", "MeetingKind", "Meeting", "MeetingTransition"]


class TopicSource(models.TextChoices):
    DEMANDS = "demands", _("Demands")
    HOT_ISSUE = "hot_issue", _("Hot issue")
    GRID_TOPIC = "grid_topic", _("Grid topic")
    COUNCIL = "council", _("Council")
    RESIDENTS = "residents", _("Residents' proposal")


class Topic(models.Model):
    """议题: a matter put to deliberation in an estate, a grid or a residential area (`area` is always set: the
    residential area it belongs to, for scope; `estate` and `grid` narrow it)."""

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=TopicSource.choices, default=TopicSource.COUNCIL)
    area = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="topics",
                             verbose_name=_("residential area"))
    estate = models.ForeignKey("registry.Estate", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="topics", verbose_name=_("estate"))
    grid = models.ForeignKey("registry.Region", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="grid_topics_deliberated", verbose_name=_("grid"))
    demands = models.ManyToManyField("demands.Demand", blank=True, related_name="topics",
                                     verbose_name=_("demands"))
    hot_issue_key = models.CharField(_("hot issue"), max_length=120, blank=True,
                                     help_text=_("The hot issue the topic came from, as the insights page names it."))
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("proposed by"))
    proposer_household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+", verbose_name=_("proposing household"))
    cosigns_needed = models.PositiveSmallIntegerField(
        _("co-signing households needed"), default=0,
        help_text=_("A residents' proposal goes to the committee once this many households have co-signed it."))
    state = models.CharField(_("state"), max_length=20, choices=TopicState.choices, default=TopicState.PROPOSED)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    decision = models.TextField(_("decision"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("area__path",)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class TopicTransition(TransitionRecord):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("topic step")
        verbose_name_plural = _("topic steps")


class TopicCosign(models.Model):
    """One household backing a residents' proposal; a household co-signs a topic once."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="cosigns")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("household"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    scope_region_lookups = ("topic__area__path",)

    class Meta:
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        constraints = [models.UniqueConstraint(fields=["topic", "household"], name="deliberation_cosign_once")]

    def __str__(self) -> str:
        return f"{self.topic} · {self.household}"


class MeetingKind(models.TextChoices):
    HEARING = "hearing", _("Hearing (before the decision)")
    COORDINATION = "coordination", _("Coordination meeting (during implementation)")
    REVIEW = "review", _("Review meeting (after it)")


class Meeting(models.Model):
    """One of the three meetings of a topic (三会制度), held at a service station, with a quorum counted at the
    door by check-in."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("topic"))
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=120)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.ForeignKey("registry.ServicePlace", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="meetings", verbose_name=_("place"))
    place_note = models.CharField(_("room or address"), max_length=120, blank=True)
    convener = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("convener"))
    quorum = models.PositiveSmallIntegerField(_("quorum"), default=1, validators=[MinValueValidator(1)],
                                              help_text=_("Attendees needed for the meeting to decide."))
    state = models.CharField(_("state"), max_length=20, choices=MeetingState.choices,
                             default=MeetingState.SCHEDULED)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("topic__area__path",)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title


class MeetingTransition(TransitionRecord):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("meeting step")
        verbose_name_plural = _("meeting steps")
