"""Votes (表决) and resident conventions (居民公约).

A vote belongs to a topic and, when it is a motion put at a meeting, to that meeting; otherwise it runs online for
its period (`opens_at` … `closes_at`). Who may vote is its scope: one ballot per household of an estate, a grid or a
whole residential area, or one per council seat (the names listed in `eligible_seats`; `council` may point at the
council they sit on once the councils part provides one).

A ballot is kept in two rows: the `BallotReceipt` says who voted (one per household, or per seat: a database
constraint), the `Ballot` says what was chosen. For an open vote the choice points at its receipt; for a secret
vote it does not, carries no time and has a random key, so the stored choices cannot be put back in the order of
the receipts. Results are computed when the vote closes and shown only then.

A resident convention is drafted from a topic in versions (each revision a new version, the differences shown
between any two), adopted by a vote that passed on the version adopted, signed once per household, and amended
later by a new version adopted in turn.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.workflow import TransitionRecord
from gongzhi.deliberation.workflows_votes import CONVENTION_FLOW, VOTE_FLOW, ConventionState, VoteState

__all__ = [
    "VoteScope", "VoteKind", "VoteResult", "BallotChannel", "Vote", "VoteOption", "VoteTransition", "BallotReceipt",
    "Ballot", "ResidentConvention", "ConventionVersion", "ConventionTransition", "ConventionSignature",
    "DEFAULT_PARTICIPATION", "DEFAULT_APPROVAL",
]

# The defaults stated on every vote form and page: at least half of the eligible households (or seats) vote, and
# more than half of the ballots cast approve.
DEFAULT_PARTICIPATION = 50
DEFAULT_APPROVAL = 50


class VoteScope(models.TextChoices):
    ESTATE = "estate", _("Households of an estate")
    GRID = "grid", _("Households of a grid")
    AREA = "area", _("Households of the residential area")
    SEATS = "seats", _("Council seats")


class VoteKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no / abstain")
    CHOICE = "choice", _("A choice among alternatives")


class VoteResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Not passed")


class BallotChannel(models.TextChoices):
    H5 = "h5", _("Resident's phone (H5)")
    STAFF = "staff", _("Recorded by staff")
    API = "api", _("API")


class Vote(models.Model):
    title = models.CharField(_("motion"), max_length=200)
    description = models.TextField(_("explanation"), blank=True)
    topic = models.ForeignKey("deliberation.Topic", on_delete=models.PROTECT, related_name="votes",
                              verbose_name=_("topic"))
    meeting = models.ForeignKey("deliberation.Meeting", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="votes", verbose_name=_("meeting"),
                                help_text=_("The meeting the motion is put to; leave empty for an online vote."))
    convention_version = models.ForeignKey(
        "deliberation.ConventionVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="votes",
        verbose_name=_("convention version"), help_text=_("The version of a resident convention this vote adopts."))
    area = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("residential area"))
    scope = models.CharField(_("who votes"), max_length=10, choices=VoteScope.choices, default=VoteScope.ESTATE)
    estate = models.ForeignKey("registry.Estate", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="votes", verbose_name=_("estate"))
    grid = models.ForeignKey("registry.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("grid"))
    council_type = models.ForeignKey("contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    council_id = models.PositiveBigIntegerField(null=True, blank=True)
    council = GenericForeignKey("council_type", "council_id")
    eligible_seats = models.TextField(_("eligible seats"), blank=True,
                                      help_text=_("For a vote of council seats: one seat holder per line."))
    kind = models.CharField(_("options"), max_length=10, choices=VoteKind.choices, default=VoteKind.YES_NO)
    participation_threshold = models.PositiveSmallIntegerField(
        _("participation threshold (%)"), default=DEFAULT_PARTICIPATION,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The vote counts when at least this share of the eligible households (or seats) voted."))
    approval_threshold = models.PositiveSmallIntegerField(
        _("approval threshold (%)"), default=DEFAULT_APPROVAL, validators=[MinValueValidator(0), MaxValueValidator(99)],
        help_text=_("The motion passes when more than this share of the ballots cast approve it."))
    is_secret = models.BooleanField(_("secret ballot"), default=False,
                                    help_text=_("Who voted is kept apart from what they chose."))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    state = models.CharField(_("state"), max_length=20, choices=VoteState.choices, default=VoteState.DRAFT)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    eligible_count = models.PositiveIntegerField(_("eligible"), null=True, blank=True)
    # the result, written when the vote closes (and never before)
    ballots_cast = models.PositiveIntegerField(_("ballots cast"), null=True, blank=True)
    tally = models.JSONField(_("tally"), default=dict, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=VoteResult.choices, blank=True)
    winner = models.ForeignKey("deliberation.VoteOption", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("chosen alternative"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["council_type", "council_id"])
    scope_region_lookups = ("area__path", "grid__path")

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="deliberation_vote_period"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.state == VoteState.CLOSED

    def seat_names(self) -> list[str]:
        return [line.strip() for line in self.eligible_seats.splitlines() if line.strip()]

    def accepts_ballots(self, now=None) -> bool:
        now = now or timezone.now()
        return self.state == VoteState.OPEN and self.opens_at <= now < self.closes_at


class VoteOption(models.Model):
    """One answer a ballot may choose: yes / no / abstain, or one of the alternatives."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="options", verbose_name=_("vote"))
    key = models.SlugField(_("key"), max_length=20)
    label = models.CharField(_("option"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()
    scope_region_lookups = ("vote__area__path", "vote__grid__path")

    class Meta:
        verbose_name = _("vote option")
        verbose_name_plural = _("vote options")
        ordering = ["vote", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["vote", "key"], name="deliberation_vote_option_key")]

    def __str__(self) -> str:
        return self.label


class VoteTransition(TransitionRecord):
    flow = VOTE_FLOW
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("vote step")
        verbose_name_plural = _("vote steps")


class BallotReceipt(models.Model):
    """Who voted: a household (or a council seat) cast its one ballot. Never says what it chose."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("vote"))
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("household"))
    seat = models.CharField(_("seat"), max_length=80, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=BallotChannel.choices, default=BallotChannel.H5)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    cast_at = models.DateTimeField(_("time"), default=timezone.now)

    # No separate history: a receipt is written once and never changed; it is its own record (who recorded it,
    # when), shown with the vote once it closes (an audit trail listing receipts would give the turnout before).
    scope_region_lookups = ("vote__area__path", "vote__grid__path")

    class Meta:
        verbose_name = _("ballot receipt")
        verbose_name_plural = _("ballot receipts")
        ordering = ["cast_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "household"], condition=Q(household__isnull=False),
                                    name="deliberation_one_ballot_per_household"),
            models.UniqueConstraint(fields=["vote", "seat"], condition=~Q(seat=""),
                                    name="deliberation_one_ballot_per_seat"),
            models.CheckConstraint(condition=Q(household__isnull=False) | ~Q(seat=""),
                                   name="deliberation_receipt_has_a_voter"),
        ]

    def __str__(self) -> str:
        return f"{self.vote} · {self.household or self.seat}"


class Ballot(models.Model):
    """What was chosen. For a secret vote no link to the receipt, no time, and a random key (no order to match
    against the receipts); no history either. Only counted, and only when the vote closes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("vote"))
    option = models.ForeignKey(VoteOption, on_delete=models.PROTECT, related_name="ballots",
                               verbose_name=_("option"))
    receipt = models.OneToOneField(BallotReceipt, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="ballot", verbose_name=_("voter (open votes only)"))

    scope_region_lookups = ("vote__area__path", "vote__grid__path")

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return str(self.option)


class ResidentConvention(models.Model):
    """居民公约: rules residents give themselves, drafted from a topic, adopted by a vote, signed by households."""

    title = models.CharField(_("title"), max_length=120)
    topic = models.ForeignKey("deliberation.Topic", on_delete=models.PROTECT, related_name="conventions",
                              verbose_name=_("topic"))
    area = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("residential area"))
    estate = models.ForeignKey("registry.Estate", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="conventions", verbose_name=_("estate"))
    state = models.CharField(_("state"), max_length=20, choices=ConventionState.choices,
                             default=ConventionState.DRAFT)
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    repeal_reason = models.TextField(_("reason for repealing"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("area__path",)

    class Meta:
        verbose_name = _("resident convention")
        verbose_name_plural = _("resident conventions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def latest_version(self) -> ConventionVersion | None:
        return self.versions.order_by("-number").first()

    def version_in_force(self) -> ConventionVersion | None:
        if self.state not in (ConventionState.ADOPTED, ConventionState.AMENDING):
            return None
        return self.versions.filter(adopted_by__isnull=False).order_by("-number").first()


class ConventionVersion(models.Model):
    """One wording of a convention. Adopted versions name the vote that passed them."""

    convention = models.ForeignKey(ResidentConvention, on_delete=models.CASCADE, related_name="versions",
                                   verbose_name=_("resident convention"))
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    adopted_by = models.ForeignKey(Vote, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("adopted by the vote"))
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("written by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("convention__area__path",)

    class Meta:
        verbose_name = _("convention version")
        verbose_name_plural = _("convention versions")
        ordering = ["convention", "number"]
        constraints = [models.UniqueConstraint(fields=["convention", "number"],
                                               name="deliberation_convention_version_number")]

    def __str__(self) -> str:
        return f"{self.convention} v{self.number}"


class ConventionTransition(TransitionRecord):
    flow = CONVENTION_FLOW
    convention = models.ForeignKey(ResidentConvention, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("convention step")
        verbose_name_plural = _("convention steps")


class ConventionSignature(models.Model):
    """A household signed the convention (the version then in force); a household signs once."""

    convention = models.ForeignKey(ResidentConvention, on_delete=models.PROTECT, related_name="signatures",
                                   verbose_name=_("resident convention"))
    version = models.ForeignKey(ConventionVersion, on_delete=models.PROTECT, related_name="signatures",
                                verbose_name=_("version"))
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("household"))
    channel = models.CharField(_("channel"), max_length=10, choices=BallotChannel.choices, default=BallotChannel.H5)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True,
                            help_text=_("E.g. who signed on paper for the household."))

    history = HistoricalRecords()
    scope_region_lookups = ("convention__area__path",)

    class Meta:
        verbose_name = _("convention signature")
        verbose_name_plural = _("convention signatures")
        ordering = ["signed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["convention", "household"],
                                               name="deliberation_convention_signed_once")]

    def __str__(self) -> str:
        return f"{self.convention} · {self.household}"
