"""Yearly grid topics (屋檐下的微自治) and their micro-items (网格微事项).

Each year the sub-district ranks what residents raised most (the top-10 concerns, 关注度前十项指数) and every
micro-grid takes one of them as its topic of the year. A topic holds small, concrete micro-items that party
members and sub-district or area staff claim publicly with a promise (亮承诺), carry out by a due date and close
with an outcome and photos. A grid topic can go on to the council as a deliberation topic (`topic`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.media import RandomName
from gongzhi.core.workflow import TransitionRecord
from gongzhi.deliberation.workflows_grid import (
    GRID_TOPIC_FLOW,
    MICRO_ITEM_FLOW,
    PENDING_ITEM_STATES,
    GridTopicState,
    MicroItemState,
)

__all__ = ["GridTopic", "GridTopicTransition", "MicroItem", "MicroItemTransition", "MicroItemPhoto"]

PHOTO_FOLDER = "deliberation_grid"


class GridTopic(models.Model):
    """网格议题: one grid's topic of the year, from one of the top-10 concerns (`concern`, its rank then)."""

    year = models.PositiveSmallIntegerField(_("year"))
    grid = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="yearly_grid_topics",
                             verbose_name=_("grid"))
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    concern = models.CharField(_("concern category"), max_length=60, blank=True,
                               help_text=_("The top-10 concern the topic was drawn from."))
    concern_rank = models.PositiveSmallIntegerField(_("concern rank"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=GridTopicState.choices,
                             default=GridTopicState.DRAFT)
    topic = models.ForeignKey("deliberation.Topic", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="grid_topics", verbose_name=_("deliberation topic"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("grid__path",)

    class Meta:
        verbose_name = _("grid topic")
        verbose_name_plural = _("grid topics")
        ordering = ["-year", "grid__path", "title"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "year", "title"], name="deliberation_grid_topic_title_per_year"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def area(self):
        """The residential area of the grid."""
        return self.grid.parent


class GridTopicTransition(TransitionRecord):
    grid_topic = models.ForeignKey(GridTopic, on_delete=models.CASCADE, related_name="transitions")
    flow = GRID_TOPIC_FLOW
    scope_region_lookups = ("grid_topic__grid__path",)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("grid topic step")
        verbose_name_plural = _("grid topic steps")


class MicroItem(models.Model):
    """网格微事项: a small task of a grid topic, claimed by one person at a time with a public promise."""

    grid_topic = models.ForeignKey(GridTopic, on_delete=models.CASCADE, related_name="micro_items",
                                   verbose_name=_("grid topic"))
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    due_on = models.DateField(_("due on"))
    state = models.CharField(_("state"), max_length=20, choices=MicroItemState.choices, default=MicroItemState.OPEN,
                             db_index=True)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="claimed_micro_items", verbose_name=_("claimed by"))
    promise = models.CharField(_("public promise"), max_length=200, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("grid_topic__grid__path",)

    class Meta:
        verbose_name = _("micro-item")
        verbose_name_plural = _("micro-items")
        ordering = ["due_on", "id"]
        constraints = [
            # a claimed or done item always has its one claimant
            models.CheckConstraint(condition=Q(state=MicroItemState.OPEN) | Q(claimed_by__isnull=False),
                                   name="deliberation_micro_item_claimant"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.state in PENDING_ITEM_STATES and self.due_on < timezone.localdate()


class MicroItemTransition(TransitionRecord):
    item = models.ForeignKey(MicroItem, on_delete=models.CASCADE, related_name="transitions")
    flow = MICRO_ITEM_FLOW
    scope_region_lookups = ("item__grid_topic__grid__path",)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("micro-item step")
        verbose_name_plural = _("micro-item steps")


class MicroItemPhoto(models.Model):
    """An outcome photo of a done micro-item (re-encoded without metadata, served through gongzhi.core.media)."""

    item = models.ForeignKey(MicroItem, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("image"), upload_to=RandomName(PHOTO_FOLDER))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    scope_region_lookups = ("item__grid_topic__grid__path",)

    class Meta:
        verbose_name = _("outcome photo")
        verbose_name_plural = _("outcome photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.image.name
