"""Co-building agreements (共建协议) with their commitments, KPIs and progress reports, and 众筹共建 projects
crowd-funded with the pledges of member units (the agreements part).

Seed 002: a sub-district's party working committee and a hospital's party committee signed an agreement on the
hospital's surroundings, set up a joint work station under a work memo, and in one quarter counted unlicensed
stalls cleared, rough sleepers persuaded to move, and complaints brought to zero. Seed 000: party projects
"crowd-funded" (众筹共建) with the joint meeting's member units.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.workflow import TransitionRecord
from gongzhi.joint.workflow_agreements import AGREEMENT_FLOW, AgreementState

__all__ = ["Agreement", "AgreementParty", "AgreementTransition", "KpiDirection", "Commitment", "ProgressReport",
           "ProgressValue", "CrowdProject", "PledgeKind", "Pledge"]

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class Agreement(models.Model):
    """A co-building agreement between the sub-district (or one of its party organizations) and one or more member
    units, for a term, with a work memo (e.g. a joint work station) and commitments measured by KPIs. A renewal is
    the next agreement for a new term, linked to this one by `previous`."""

    code = models.CharField(_("number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=120)
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="joint_agreements",
                               verbose_name=_("sub-district"))
    party_org = models.ForeignKey("registry.PartyOrg", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="joint_agreements", verbose_name=_("signing party organization"),
                                  help_text=_("Blank: the sub-district office signs."))
    platform = models.ForeignKey("joint.Platform", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="agreements", verbose_name=_("joint-meeting platform"))
    units = models.ManyToManyField("registry.MemberUnit", through="joint.AgreementParty", related_name="+",
                                   verbose_name=_("member units"))
    starts_on = models.DateField(_("term from"))
    ends_on = models.DateField(_("term to"))
    memo = models.TextField(_("work memo"), blank=True,
                            help_text=_("What the parties set up together, e.g. a joint work station."))
    state = models.CharField(_("state"), max_length=20, choices=AgreementState.choices, default=AgreementState.DRAFT)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewal",
                                    verbose_name=_("renews"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("region__path",)
    # the liaisons of a party unit (and a district department party to it) read their own agreements
    scope_unit_lookups = ("parties__member_unit_id",)
    scope_needs_distinct = True

    class Meta:
        verbose_name = _("co-building agreement")
        verbose_name_plural = _("co-building agreements")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="joint_agreement_term_order"),
        ]

    def __str__(self) -> str:
        return self.title


class AgreementParty(models.Model):
    """A member unit that is a party to an agreement (a hospital, a school, a firm, a district department)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties",
                                  verbose_name=_("agreement"))
    member_unit = models.ForeignKey("registry.MemberUnit", on_delete=models.PROTECT,
                                    related_name="joint_agreement_parties", verbose_name=_("member unit"))

    history = HistoricalRecords()
    scope_region_lookups = ("agreement__region__path",)

    class Meta:
        verbose_name = _("party to an agreement")
        verbose_name_plural = _("parties to agreements")
        ordering = ["agreement", "id"]
        constraints = [models.UniqueConstraint(fields=["agreement", "member_unit"], name="joint_agreement_party_once")]

    def __str__(self) -> str:
        return str(self.member_unit)


class AgreementTransition(TransitionRecord):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="transitions")
    flow = AGREEMENT_FLOW

    class Meta(TransitionRecord.Meta):
        verbose_name = _("agreement step")
        verbose_name_plural = _("agreement steps")


class KpiDirection(models.TextChoices):
    AT_LEAST = "at_least", _("Reach at least")
    AT_MOST = "at_most", _("Bring down to")


class Commitment(models.Model):
    """What one party (or the parties jointly) commits to, measured by a KPI: from its baseline to its target,
    upwards (stalls cleared: reach at least 400) or downwards (complaints: bring down to 0)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments",
                                  verbose_name=_("agreement"))
    member_unit = models.ForeignKey("registry.MemberUnit", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("committed by"),
                                    help_text=_("Blank: the parties jointly."))
    text = models.CharField(_("commitment"), max_length=200)
    kpi_name = models.CharField(_("KPI"), max_length=60)
    measure = models.CharField(_("unit of measure"), max_length=20, help_text=_("e.g. stalls, persons, complaints"))
    baseline = models.DecimalField(_("baseline"), default=0, validators=[MinValueValidator(0)], **AMOUNT)
    target = models.DecimalField(_("target"), validators=[MinValueValidator(0)], **AMOUNT)
    direction = models.CharField(_("direction"), max_length=10, choices=KpiDirection.choices,
                                 default=KpiDirection.AT_LEAST)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()
    scope_region_lookups = ("agreement__region__path",)
    scope_unit_lookups = ("agreement__parties__member_unit_id",)
    scope_needs_distinct = True

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["agreement", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=0) & Q(baseline__gte=0),
                                   name="joint_commitment_not_negative"),
            models.UniqueConstraint(fields=["agreement", "kpi_name"], name="joint_commitment_kpi_once"),
        ]

    def __str__(self) -> str:
        return self.kpi_name

    # the agreement's cells of the Excel list (a row per commitment)
    agreement_code = property(lambda self: self.agreement.code)
    agreement_title = property(lambda self: self.agreement.title)
    subdistrict_code = property(lambda self: self.agreement.region.code)
    term_from = property(lambda self: self.agreement.starts_on)
    term_to = property(lambda self: self.agreement.ends_on)
    work_memo = property(lambda self: self.agreement.memo)
    agreement_state = property(lambda self: self.agreement.state)

    @property
    def party_codes(self) -> str:
        """The agreement's parties' unit codes, "U001、U002" (the Excel list's cell)."""
        return "、".join(p.member_unit.code for p in self.agreement.parties.all())


class ProgressReport(models.Model):
    """A periodic (monthly) progress report of an agreement: for each commitment its KPI's value as of the end of
    the month (see `gongzhi.joint.selectors.agreements` for how values are read against targets)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="reports",
                                  verbose_name=_("agreement"))
    period = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    note = models.TextField(_("note"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("reported by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("agreement__region__path",)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["agreement", "period", "id"]
        constraints = [models.UniqueConstraint(fields=["agreement", "period"], name="joint_report_once_a_period")]

    def __str__(self) -> str:
        return f"{self.agreement} · {self.period:%Y-%m}"


class ProgressValue(models.Model):
    """One commitment's KPI value in a report."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="values",
                               verbose_name=_("progress report"))
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="values",
                                   verbose_name=_("commitment"))
    value = models.DecimalField(_("value"), validators=[MinValueValidator(0)], **AMOUNT)

    history = HistoricalRecords()
    scope_region_lookups = ("report__agreement__region__path",)

    class Meta:
        verbose_name = _("KPI value")
        verbose_name_plural = _("KPI values")
        ordering = ["report", "commitment__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "commitment"], name="joint_value_once_a_report"),
            models.CheckConstraint(condition=Q(value__gte=0), name="joint_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} = {self.value}"


class CrowdProject(models.Model):
    """A 众筹共建 party project: a goal in money (yuan), venue (sessions of a venue lent) and people-hours, met by
    the pledges of several member units."""

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="joint_crowd_projects",
                               verbose_name=_("sub-district"))
    platform = models.ForeignKey("joint.Platform", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="crowd_projects", verbose_name=_("joint-meeting platform"))
    goal_money = models.DecimalField(_("money goal (yuan)"), default=0, validators=[MinValueValidator(0)], **AMOUNT)
    goal_venue = models.DecimalField(_("venue goal (sessions)"), default=0, validators=[MinValueValidator(0)],
                                     **AMOUNT)
    goal_hours = models.DecimalField(_("people-hours goal"), default=0, validators=[MinValueValidator(0)], **AMOUNT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("region__path",)
    scope_unit_lookups = ("pledges__member_unit_id",)  # a pledging unit's liaisons see the project
    scope_needs_distinct = True

    class Meta:
        verbose_name = _("crowd-funded project")
        verbose_name_plural = _("crowd-funded projects")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(goal_money__gte=0) & Q(goal_venue__gte=0) & Q(goal_hours__gte=0),
                                   name="joint_crowd_goal_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    def goal(self, kind: str):
        return {PledgeKind.MONEY: self.goal_money, PledgeKind.VENUE: self.goal_venue,
                PledgeKind.PEOPLE_HOURS: self.goal_hours}[kind]


class PledgeKind(models.TextChoices):
    MONEY = "money", _("Money (yuan)")
    VENUE = "venue", _("Venue (sessions)")
    PEOPLE_HOURS = "people_hours", _("People-hours")


class Pledge(models.Model):
    """A member unit's pledge to a crowd-funded project; a unit pledges once per kind."""

    project = models.ForeignKey(CrowdProject, on_delete=models.CASCADE, related_name="pledges",
                                verbose_name=_("project"))
    member_unit = models.ForeignKey("registry.MemberUnit", on_delete=models.PROTECT, related_name="joint_pledges",
                                    verbose_name=_("member unit"))
    kind = models.CharField(_("kind"), max_length=20, choices=PledgeKind.choices)
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(0)], **AMOUNT)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("project__region__path",)
    scope_unit_lookups = ("member_unit_id",)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["project", "kind", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "member_unit", "kind"], name="joint_pledge_once_a_kind"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="joint_pledge_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.member_unit} · {self.get_kind_display()} {self.amount}"
