"""Calls for proposals and the proposals they collect (the calls part)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.fields import EncryptedCharField, LookupHashField
from gongzhi.core.masking import mask_phone
from gongzhi.core.workflow import TransitionRecord
from gongzhi.funds.workflow import CALL_FLOW, PROPOSAL_FLOW, CallState, ProposalState

__all__ = ["SelectionMethod", "Call", "CallTransition", "ProposalOrigin", "Proposal", "ProposalTransition",
           "ProposalCosign", "BudgetLine"]


class SelectionMethod(models.TextChoices):
    HOUSEHOLD_VOTE = "vote", _("Household vote")
    COUNCIL = "council", _("Council decision")


class Call(models.Model):
    """A call for proposals (项目征集) on one fund, e.g. the 2026 autonomy projects of a residential area."""

    fund = models.ForeignKey("funds.Fund", on_delete=models.PROTECT, related_name="calls", verbose_name=_("fund"))
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    budget = models.DecimalField(_("budget (yuan)"), max_digits=14, decimal_places=2,
                                 validators=[MinValueValidator(0)],
                                 help_text=_("How much this call may grant in all."))
    max_per_proposal = models.DecimalField(_("most per proposal (yuan)"), max_digits=14, decimal_places=2, null=True,
                                           blank=True, validators=[MinValueValidator(0)])
    cosigns_needed = models.PositiveSmallIntegerField(
        _("co-signing households needed"), default=0,
        help_text=_("A residents' proposal is submitted once this many households have co-signed it."))
    selection = models.CharField(_("selection"), max_length=10, choices=SelectionMethod.choices,
                                 default=SelectionMethod.HOUSEHOLD_VOTE)
    accepting_until = models.DateField(_("proposals accepted until"), null=True, blank=True)
    state = models.CharField(_("phase"), max_length=20, choices=CallState.choices, default=CallState.INFORMING)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("fund__region__path",)

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class CallTransition(TransitionRecord):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="transitions")
    flow = CALL_FLOW

    class Meta(TransitionRecord.Meta):
        verbose_name = _("call step")
        verbose_name_plural = _("call steps")


class ProposalOrigin(models.TextChoices):
    RESIDENT_TEAM = "residents", _("Resident team")
    VOLUNTEER_TEAM = "volunteers", _("Volunteer team")
    TOPIC = "topic", _("Deliberation topic")


class Proposal(models.Model):
    """A project proposal (自治项目) answering a call: who proposes it, what it costs line by line, who benefits;
    then the review, the selection, the grant and its delivery."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("call"))
    title = models.CharField(_("title"), max_length=120)
    summary = models.TextField(_("what and why"))
    origin = models.CharField(_("proposed by"), max_length=12, choices=ProposalOrigin.choices,
                              default=ProposalOrigin.RESIDENT_TEAM)
    team_name = models.CharField(_("team"), max_length=80, blank=True)
    volunteer_team = models.ForeignKey("registry.VolunteerTeam", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("volunteer team"))
    topic = models.ForeignKey("deliberation.Topic", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="fund_proposals", verbose_name=_("deliberation topic"))
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("proposing household"))
    contact_name = EncryptedCharField(_("contact person"), max_length=40, blank=True)
    contact_phone = EncryptedCharField(_("contact phone"), max_length=20, blank=True)
    contact_phone_hash = LookupHashField(of="contact_phone")
    beneficiaries = models.CharField(_("beneficiaries"), max_length=200, blank=True,
                                     help_text=_("Who benefits, e.g. the elderly of buildings 3–5."))
    beneficiary_count = models.PositiveIntegerField(_("expected beneficiaries"), default=0)
    starts_on = models.DateField(_("project starts"), null=True, blank=True)
    ends_on = models.DateField(_("project ends"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=ProposalState.choices,
                             default=ProposalState.SUBMITTED)
    # the review and the selection
    feasibility_note = models.TextField(_("review"), blank=True)
    approved_amount = models.DecimalField(_("amount to fund (yuan)"), max_digits=14, decimal_places=2, null=True,
                                          blank=True)
    vote = models.ForeignKey("deliberation.Vote", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("household vote"))
    decision_meeting = models.ForeignKey("deliberation.Meeting", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", verbose_name=_("council meeting"))
    decision_note = models.TextField(_("selection"), blank=True)
    # delivery (written by the delivery part's services)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0,
                                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    beneficiaries_reached = models.PositiveIntegerField(_("beneficiaries reached"), default=0)
    closing_meeting = models.ForeignKey("deliberation.Meeting", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("closing review meeting"))
    result = models.TextField(_("result"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("entered by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["contact_phone_hash"])
    scope_region_lookups = ("call__fund__region__path",)
    personal_fields = ("contact_name", "contact_phone")

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def budget_text(self) -> str:
        """The budget lines in one line of text, "桌椅 2×300; 油漆 1×450" (the Excel list's cell)."""
        def number(value) -> str:
            return format(value.normalize(), "f")

        return "; ".join(f"{line.item} {number(line.quantity)}×{number(line.unit_price)}"
                         for line in self.budget_lines.all())


class ProposalTransition(TransitionRecord):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="transitions")
    flow = PROPOSAL_FLOW

    class Meta(TransitionRecord.Meta):
        verbose_name = _("proposal step")
        verbose_name_plural = _("proposal steps")


class ProposalCosign(models.Model):
    """One household backing a proposal; a household co-signs a proposal once."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosigns")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("household"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    scope_region_lookups = ("proposal__call__fund__region__path",)

    class Meta:
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        constraints = [models.UniqueConstraint(fields=["proposal", "household"], name="funds_cosign_once")]

    def __str__(self) -> str:
        return f"{self.proposal} · {self.household}"


class BudgetLine(models.Model):
    """One line of a proposal's budget. `approved` is what the review funds of it (None before the review; less
    than `amount` when a proposal is funded in part). Spending is checked against it line by line."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="budget_lines",
                                 verbose_name=_("proposal"))
    item = models.CharField(_("item"), max_length=120)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=1,
                                   validators=[MinValueValidator(0)])
    unit_price = models.DecimalField(_("unit price (yuan)"), max_digits=12, decimal_places=2,
                                     validators=[MinValueValidator(0)])
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    approved = models.DecimalField(_("approved (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True,
                                   validators=[MinValueValidator(0)])
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()
    scope_region_lookups = ("proposal__call__fund__region__path",)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["proposal", "position", "id"]

    def __str__(self) -> str:
        return f"{self.item} · {self.amount}"
