"""Liaison visits to firms (上门排摸) and their follow-up (the enterprise part).

Seed 001: the sub-district is among the first to give every key office building one or two liaisons serving its
firms; building workers visit the firms door to door to find what they need, and what the sub-district cannot
solve its leaders take a step further ("跨前一步") to the district departments. A visit records the firm, the day,
the needs found and the follow-up; a need found becomes a demand (enterprise channel) in one step."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.workflow import TransitionRecord
from gongzhi.joint.workflow_enterprise import VISIT_FLOW, VisitState

__all__ = ["Visit", "VisitTransition"]


class Visit(models.Model):
    """One liaison visit to a firm (a member unit), with the needs found and the follow-up."""

    member_unit = models.ForeignKey("registry.MemberUnit", on_delete=models.PROTECT, related_name="joint_visits",
                                    verbose_name=_("firm"))
    liaison = models.ForeignKey("registry.Liaison", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="joint_visits", verbose_name=_("liaison"))
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("recorded by"))
    visited_on = models.DateField(_("visited on"))
    needs_found = models.TextField(_("needs found"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    state = models.CharField(_("follow-up status"), max_length=20, choices=VisitState.choices,
                             default=VisitState.OPEN)
    demands = models.ManyToManyField("demands.Demand", blank=True, related_name="joint_visits",
                                     verbose_name=_("demands raised"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords(m2m_fields=[demands])
    scope_region_lookups = ("member_unit__region__path",)

    class Meta:
        verbose_name = _("liaison visit")
        verbose_name_plural = _("liaison visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["member_unit", "visited_on"], name="joint_visit_unit_day")]

    def __str__(self) -> str:
        return f"{self.member_unit} {self.visited_on:%Y-%m-%d}" if self.visited_on else str(self.member_unit)


class VisitTransition(TransitionRecord):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="transitions")
    flow = VISIT_FLOW
    scope_region_lookups = ("visit__member_unit__region__path",)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("visit step")
        verbose_name_plural = _("visit steps")
