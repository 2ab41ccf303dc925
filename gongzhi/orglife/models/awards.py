"""Yearly awards (the awards part): schemes (金银奖 for residential-area party organizations, 五星奖 for party
organizations of two-new firms and social organizations) with rounds; each round has its eligible organizations
(entries), criteria with weights that sum to 100, tiers by cut-offs and a reviewers' panel. A criterion is either
an indicator computed from the platform's own data for the round's period (`Indicator`) or self-assessed with
evidence and scored by the reviewers. An organization's score shows how every point was earned."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.media import RandomName
from gongzhi.core.workflow import TransitionRecord
from gongzhi.orglife.workflow import ENTRY_FLOW, ROUND_FLOW, EntryState, RoundState

__all__ = [
    "SchemeKind", "AwardScheme", "AwardRound", "AwardRoundTransition", "AwardTier", "CriterionSource", "Indicator",
    "Criterion", "AwardEntry", "AwardEntryTransition", "Evidence", "EVIDENCE_FOLDER", "Reviewer", "ReviewScore",
]

EVIDENCE_FOLDER = "orglife_evidence"


class SchemeKind(models.TextChoices):
    GOLD_SILVER = "gold_silver", _("Gold and silver award (金银奖): residential-area party organizations")
    FIVE_STAR = "five_star", _("Five-star award (五星奖): two-new party organizations")


class AwardScheme(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=SchemeKind.choices)
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="award_schemes",
                               verbose_name=_("awarding region"))
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()
    scope_region_lookups = ("region__path",)

    class Meta:
        verbose_name = _("award scheme")
        verbose_name_plural = _("award schemes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class AwardRound(models.Model):
    """One round of a scheme (e.g. 第七轮), judged on the work of its period."""

    scheme = models.ForeignKey(AwardScheme, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("scheme"))
    number = models.PositiveSmallIntegerField(_("round"))
    name = models.CharField(_("name"), max_length=120)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    state = models.CharField(_("state"), max_length=20, choices=RoundState.choices, default=RoundState.DRAFT,
                             editable=False)
    published_on = models.DateField(_("published on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("scheme__region__path",)
    flow = ROUND_FLOW

    class Meta:
        verbose_name = _("award round")
        verbose_name_plural = _("award rounds")
        ordering = ["scheme__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="orglife_round_number_once"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="orglife_round_period_in_order"),
        ]

    def __str__(self) -> str:
        return self.name


class AwardRoundTransition(TransitionRecord):
    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="transitions")
    flow = ROUND_FLOW
    scope_region_lookups = ("round__scheme__region__path",)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("award round step")
        verbose_name_plural = _("award round steps")


class AwardTier(models.Model):
    """A tier of a round (金奖标兵, 金奖, 银奖 …; 五星 …) reached from `min_score` points."""

    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="tiers", verbose_name=_("round"))
    name = models.CharField(_("tier"), max_length=40)
    min_score = models.DecimalField(_("from score"), max_digits=6, decimal_places=2)

    history = HistoricalRecords()
    scope_region_lookups = ("round__scheme__region__path",)

    class Meta:
        verbose_name = _("award tier")
        verbose_name_plural = _("award tiers")
        ordering = ["round", "-min_score"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="orglife_tier_name_once")]

    def __str__(self) -> str:
        return self.name


class CriterionSource(models.TextChoices):
    INDICATOR = "indicator", _("Computed from the platform's data")
    SELF = "self", _("Self-assessed with evidence, scored by reviewers")


class Indicator(models.TextChoices):
    """Indicators computed for an organization's scope over the round's period
    (`gongzhi.orglife.selectors.awards`); each gives a value and the link to its source."""

    DEMANDS_ON_TIME = "demands_on_time", _("Demands handled on time (share)")
    DEMANDS_SATISFACTION = "demands_satisfaction", _("Satisfaction with demands (share of good reviews)")
    GRID_TOPICS_DONE = "grid_topics_done", _("Grid topics done")
    MICRO_ITEMS_DONE = "micro_items_done", _("Grid micro-items done")
    MEETINGS_HELD = "meetings_held", _("Meetings held against required (share)")
    AUTONOMY_PROJECTS = "autonomy_projects", _("Autonomy projects completed")
    VOLUNTEER_HOURS = "volunteer_hours", _("Volunteering hours per member")
    COVERAGE = "coverage", _("Two-new coverage (share)")


class Criterion(models.Model):
    """A weighted criterion of a round. An indicator earns `weight × min(value / target, 1)` points; a
    self-assessed criterion earns the reviewers' mean score (0 to `weight`)."""

    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("round"))
    name = models.CharField(_("criterion"), max_length=120)
    weight = models.PositiveSmallIntegerField(_("weight (points)"))
    source = models.CharField(_("source"), max_length=20, choices=CriterionSource.choices)
    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices, blank=True)
    target = models.DecimalField(_("target (full points)"), max_digits=8, decimal_places=2, null=True, blank=True)
    guidance = models.CharField(_("guidance"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    scope_region_lookups = ("round__scheme__region__path",)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["round", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source=CriterionSource.INDICATOR) & ~Q(indicator=""))
                | (Q(source=CriterionSource.SELF) & Q(indicator="")),
                name="orglife_criterion_indicator_iff_computed"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


class AwardEntry(models.Model):
    """An eligible organization in a round; `frozen` holds its indicator values and points once published."""

    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="entries", verbose_name=_("round"))
    org = models.ForeignKey("registry.PartyOrg", on_delete=models.PROTECT, related_name="award_entries",
                            verbose_name=_("party organization"))
    state = models.CharField(_("state"), max_length=20, choices=EntryState.choices, default=EntryState.PENDING,
                             editable=False)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True, editable=False)
    tier = models.CharField(_("tier"), max_length=40, blank=True, editable=False)
    frozen = models.JSONField(_("frozen breakdown"), default=dict, blank=True, editable=False)

    history = HistoricalRecords()
    scope_region_lookups = ("org__region__path",)
    scope_unit_lookups = ("org__member_unit_id",)
    flow = ENTRY_FLOW

    class Meta:
        verbose_name = _("award entry")
        verbose_name_plural = _("award entries")
        ordering = ["round", "org__code"]
        constraints = [models.UniqueConstraint(fields=["round", "org"], name="orglife_entry_once")]

    def __str__(self) -> str:
        return f"{self.round} · {self.org}"


class AwardEntryTransition(TransitionRecord):
    entry = models.ForeignKey(AwardEntry, on_delete=models.CASCADE, related_name="transitions")
    flow = ENTRY_FLOW
    scope_region_lookups = ("entry__org__region__path",)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("award entry step")
        verbose_name_plural = _("award entry steps")


class Evidence(models.Model):
    """An organization's self-assessment of one self-assessed criterion: what it did, optionally a file."""

    entry = models.ForeignKey(AwardEntry, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("entry"))
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="evidence",
                                  verbose_name=_("criterion"))
    statement = models.TextField(_("self-assessment"))
    file = models.FileField(_("evidence file"), upload_to=RandomName(EVIDENCE_FOLDER), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("submitted by"))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("entry__org__region__path",)
    scope_unit_lookups = ("entry__org__member_unit_id",)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["entry", "criterion__order"]
        constraints = [models.UniqueConstraint(fields=["entry", "criterion"], name="orglife_evidence_once")]

    def __str__(self) -> str:
        return f"{self.entry} · {self.criterion}"


class Reviewer(models.Model):
    """A member of a round's reviewers' panel."""

    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="reviewers", verbose_name=_("round"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="award_panels",
                             verbose_name=_("reviewer"))

    history = HistoricalRecords()
    scope_region_lookups = ("round__scheme__region__path",)

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        ordering = ["round", "user__username"]
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="orglife_reviewer_once")]

    def __str__(self) -> str:
        return str(self.user)


class ReviewScore(models.Model):
    """One reviewer's points for one self-assessed criterion of one entry (0 to the criterion's weight)."""

    entry = models.ForeignKey(AwardEntry, on_delete=models.CASCADE, related_name="scores", verbose_name=_("entry"))
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores",
                                  verbose_name=_("criterion"))
    reviewer = models.ForeignKey(Reviewer, on_delete=models.PROTECT, related_name="scores",
                                 verbose_name=_("reviewer"))
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    scored_at = models.DateTimeField(_("scored at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("entry__org__region__path",)

    class Meta:
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        ordering = ["entry", "criterion__order", "reviewer"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "criterion", "reviewer"], name="orglife_score_once"),
            models.CheckConstraint(condition=Q(points__gte=0), name="orglife_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.criterion} · {self.points}"
