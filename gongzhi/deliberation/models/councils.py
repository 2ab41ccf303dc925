"""Councils (议事会/理事会) with their seats, the deliberation rules (议事八则) of each residential area in versions,
and owners' committees (业委会) with their terms, members, party work groups and elections.

From the seeds: 000's 零距离家园理事会 works as "1+4+16" under the area's party organization; 003's 1+3+N joins the
party branch, the residents' committee, the owners' committee and the property company; 002's and 004's owners'
committees carry a party work group and are elected after the candidates have been vetted.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.workflow import TransitionRecord
from gongzhi.deliberation.workflows_councils import CandidateState, ElectionState

__all__ = [
    "SHAPE_PATTERN", "CouncilSeatKind", "SEAT_TIER", "Council", "CouncilSeat", "DeliberationRules",
    "CommitteeRole", "OwnersCommittee", "CommitteeMember", "OwnersElection", "OwnersElectionTransition",
    "PoliticalStatus", "PARTY_STATUSES", "Opinion", "Relations", "Candidate", "CandidateTransition",
]

SHAPE_PATTERN = r"^\d{1,3}(\+(\d{1,3}|N))+$"
shape_validator = RegexValidator(SHAPE_PATTERN, _('A shape counts the seats of each tier, e.g. "1+4+16" or "1+3+N".'))


class CouncilSeatKind(models.TextChoices):
    CONVENER = "convener", _("Convener (party organization secretary)")
    PARTY_ORG = "party_org", _("Party organization")
    RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
    PROPERTY_COMPANY = "property_company", _("Property company")
    PROFESSIONAL = "professional", _("Professional force (police, urban management …)")
    MEMBER_UNIT = "member_unit", _("Member unit")
    RESIDENT_REPRESENTATIVE = "resident_representative", _("Resident representative")
    PARTY_MEMBER = "party_member", _("Party member")
    OTHER = "other", _("Other")


K = CouncilSeatKind
# The tier of the shape a kind of seat usually sits in ("1+4+16": the convener; the four bodies; the sixteen).
SEAT_TIER = {
    K.CONVENER: 1, K.PARTY_ORG: 1,
    K.RESIDENTS_COMMITTEE: 2, K.OWNERS_COMMITTEE: 2, K.PROPERTY_COMPANY: 2, K.PROFESSIONAL: 2,
    K.MEMBER_UNIT: 3, K.RESIDENT_REPRESENTATIVE: 3, K.PARTY_MEMBER: 3, K.OTHER: 3,
}


class Council(models.Model):
    """议事会/理事会 of a residential area, or of one estate in it. Its `shape` names how many seats each tier has
    ("1+4+16": one convener, four bodies, sixteen members; "N": as many as needed)."""

    name = models.CharField(_("name"), max_length=80)
    area = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="councils",
                             verbose_name=_("residential area"))
    estate = models.ForeignKey("registry.Estate", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="councils", verbose_name=_("estate"),
                               help_text=_("Leave empty for a council of the whole residential area."))
    shape = models.CharField(_("shape"), max_length=20, validators=[shape_validator],
                             help_text=_('Seats per tier, e.g. "1+4+16" or "1+3+N".'))
    purpose = models.TextField(_("what it deliberates"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("area__path",)

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["area__code", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from gongzhi.registry.models import RegionKind

        if self.area_id and self.area.kind != RegionKind.RESIDENTIAL_AREA:
            raise ValidationError({"area": _("Choose a residential area.")})
        if self.estate_id and self.area_id and self.estate.area_id != self.area_id:
            raise ValidationError({"estate": _("The estate lies in another residential area.")})

    def tiers(self) -> list[int | None]:
        """Seats per tier from the shape: a number, or None for "N" (any number)."""
        if not re.fullmatch(SHAPE_PATTERN, self.shape or ""):
            return []
        return [None if part == "N" else int(part) for part in self.shape.split("+")]


class CouncilSeat(models.Model):
    """One seat of a council. Its holder is a person (a name; optionally their household or party-member record),
    a member unit or a party organization: exactly one of `person_name`, `member_unit`, `party_org`."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="seats", verbose_name=_("council"))
    kind = models.CharField(_("kind"), max_length=30, choices=CouncilSeatKind.choices)
    tier = models.PositiveSmallIntegerField(_("tier"), validators=[MinValueValidator(1)],
                                            help_text=_("Which number of the shape the seat counts in."))
    title = models.CharField(_("title"), max_length=40, blank=True, help_text=_("e.g. 理事长, 副理事长, 理事"))
    person_name = models.CharField(_("person"), max_length=40, blank=True)
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("household"))
    party_member = models.ForeignKey("registry.PartyMember", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("party member"))
    member_unit = models.ForeignKey("registry.MemberUnit", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("member unit"))
    party_org = models.ForeignKey("registry.PartyOrg", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("party organization"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    scope_region_lookups = ("council__area__path",)

    class Meta:
        verbose_name = _("council seat")
        verbose_name_plural = _("council seats")
        ordering = ["council", "tier", "order", "id"]

    def __str__(self) -> str:
        return f"{self.council} · {self.holder}"

    @property
    def holder(self):
        return self.member_unit or self.party_org or self.person_name

    @property
    def holder_kind(self) -> str:
        return "unit" if self.member_unit_id else "org" if self.party_org_id else "person"


class DeliberationRules(models.Model):
    """One version of a residential area's deliberation rules (议事八则). Versions are never changed: every edit
    makes the next number; the one in force is the newest whose `effective_on` has come."""

    area = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="deliberation_rules",
                             verbose_name=_("residential area"))
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=80, default="议事八则")
    text = models.TextField(_("text"))
    change_note = models.CharField(_("what changed"), max_length=200, blank=True)
    effective_on = models.DateField(_("in force from"), default=timezone.localdate)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("written by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("area__path",)

    class Meta:
        verbose_name = _("deliberation rules")
        verbose_name_plural = _("deliberation rules")
        ordering = ["area__code", "-number"]
        constraints = [models.UniqueConstraint(fields=["area", "number"], name="deliberation_rules_version_once")]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class CommitteeRole(models.TextChoices):
    DIRECTOR = "director", _("Director")
    DEPUTY = "deputy", _("Deputy director")
    MEMBER = "member", _("Member")


class OwnersCommittee(models.Model):
    """业委会 of an estate for one term. Its party work group (党的工作小组) is sent by the residential area's party
    organization (seed 002: a think tank, support team and lubricant of the committee's work)."""

    estate = models.ForeignKey("registry.Estate", on_delete=models.PROTECT, related_name="owners_committees",
                               verbose_name=_("estate"))
    name = models.CharField(_("name"), max_length=80)
    term_number = models.PositiveSmallIntegerField(_("term"), default=1, validators=[MinValueValidator(1)])
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    party_work_group = models.ManyToManyField("registry.PartyMember", blank=True, related_name="+",
                                              verbose_name=_("party work group"))
    party_work_group_note = models.CharField(_("about the party work group"), max_length=200, blank=True)
    election = models.OneToOneField("OwnersElection", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="committee", verbose_name=_("election"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords(m2m_fields=[party_work_group])
    scope_region_lookups = ("estate__area__path",)

    class Meta:
        verbose_name = _("owners' committee")
        verbose_name_plural = _("owners' committees")
        ordering = ["estate__code", "-term_number"]
        constraints = [models.UniqueConstraint(fields=["estate", "term_number"], name="deliberation_committee_term")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.term_end and self.term_start and self.term_end <= self.term_start:
            raise ValidationError({"term_end": _("The term ends after it starts.")})

    def in_office(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.term_start <= today and (self.term_end is None or today <= self.term_end)


class CommitteeMember(models.Model):
    """A member of an owners' committee: director, deputy or member; party members are flagged."""

    committee = models.ForeignKey(OwnersCommittee, on_delete=models.CASCADE, related_name="members",
                                  verbose_name=_("owners' committee"))
    role = models.CharField(_("role"), max_length=20, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER)
    name = models.CharField(_("name"), max_length=40)
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("household"))
    party_member = models.ForeignKey("registry.PartyMember", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("party member record"))
    is_party_member = models.BooleanField(_("party member"), default=False)
    candidate = models.OneToOneField("Candidate", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="seat", verbose_name=_("elected as candidate"))
    skills = models.CharField(_("skills"), max_length=120, blank=True)

    history = HistoricalRecords()
    scope_region_lookups = ("committee__estate__area__path",)

    class Meta:
        verbose_name = _("owners' committee member")
        verbose_name_plural = _("owners' committee members")
        ordering = ["committee", "role", "id"]

    def __str__(self) -> str:
        return self.name


class OwnersElection(models.Model):
    """The election of an estate's owners' committee for one term (see `ELECTION_FLOW`). The owners' formal vote by
    area share happens outside the platform: only its outcome is recorded."""

    estate = models.ForeignKey("registry.Estate", on_delete=models.PROTECT, related_name="owners_elections",
                               verbose_name=_("estate"))
    title = models.CharField(_("title"), max_length=120)
    term_number = models.PositiveSmallIntegerField(_("term elected"), default=1, validators=[MinValueValidator(1)])
    seats = models.PositiveSmallIntegerField(_("seats to fill"), default=5,
                                             validators=[MinValueValidator(3), MaxValueValidator(15)])
    state = models.CharField(_("state"), max_length=20, choices=ElectionState.choices,
                             default=ElectionState.PREPARING)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    notary_present = models.BooleanField(_("notary present"), default=False)
    notary = models.CharField(_("notary office"), max_length=80, blank=True)
    owners_outcome = models.TextField(_("outcome of the owners' vote"), blank=True,
                                      help_text=_("The formal vote by area share, held outside the platform."))
    turnout_share = models.DecimalField(_("turnout (percent of owners)"), max_digits=5, decimal_places=2, null=True,
                                        blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)])
    approval_share = models.DecimalField(_("approval (percent of area share)"), max_digits=5, decimal_places=2, null=True,
                                         blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)])
    result_note = models.TextField(_("about the result"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("estate__area__path",)

    class Meta:
        verbose_name = _("owners' committee election")
        verbose_name_plural = _("owners' committee elections")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class OwnersElectionTransition(TransitionRecord):
    election = models.ForeignKey(OwnersElection, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("election step")
        verbose_name_plural = _("election steps")


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "party_member", _("CPC member")
    PROBATIONARY = "probationary", _("CPC probationary member")
    LEAGUE = "league", _("Communist Youth League member")
    DEMOCRATIC_PARTY = "democratic_party", _("Democratic party member")
    MASSES = "masses", _("No party affiliation")


PARTY_STATUSES = frozenset({PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY})


class Opinion(models.TextChoices):
    SUPPORT = "support", _("Supports")
    RESERVATIONS = "reservations", _("Has reservations")
    OPPOSE = "oppose", _("Opposes")


class Relations(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")


class Candidate(models.Model):
    """A candidate for the owners' committee, vetted against seed 004's checklist: what the 楼组长 (and the
    residents) say of them, their everyday conduct (hallway clutter, neighbours), political status, age, skills."""

    election = models.ForeignKey(OwnersElection, on_delete=models.CASCADE, related_name="candidates",
                                 verbose_name=_("election"))
    name = models.CharField(_("name"), max_length=40)
    gender = models.CharField(_("gender"), max_length=10, blank=True,
                              choices=[("male", _("Male")), ("female", _("Female"))])
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True,
                                                  validators=[MinValueValidator(1900), MaxValueValidator(2100)])
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("household"))
    party_member = models.ForeignKey("registry.PartyMember", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("party member record"))
    political_status = models.CharField(_("political status"), max_length=20, choices=PoliticalStatus.choices,
                                        default=PoliticalStatus.MASSES)
    occupation = models.CharField(_("occupation"), max_length=80, blank=True)
    skills = models.CharField(_("skills"), max_length=120, blank=True,
                              help_text=_("e.g. property management, law, accounting"))
    building_leader_opinion = models.CharField(_("building leader's opinion"), max_length=20, blank=True,
                                               choices=Opinion.choices)
    building_leader_note = models.CharField(_("what the building leader says"), max_length=200, blank=True)
    residents_opinion = models.CharField(_("what residents say"), max_length=200, blank=True)
    keeps_hallway_clear = models.BooleanField(_("keeps the hallway clear"), null=True, blank=True,
                                              help_text=_("No clutter of their own in the stairwell (checked on site)."))
    neighbour_relations = models.CharField(_("relations with neighbours"), max_length=10, blank=True,
                                           choices=Relations.choices)
    vetting_note = models.TextField(_("vetting note"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=CandidateState.choices,
                             default=CandidateState.PROPOSED)
    elected = models.BooleanField(_("elected"), default=False)
    elected_role = models.CharField(_("elected as"), max_length=20, blank=True, choices=CommitteeRole.choices)
    votes = models.PositiveIntegerField(_("votes received"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("election__estate__area__path",)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["election", "created_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_party_member(self) -> bool:
        return self.political_status in PARTY_STATUSES

    def age(self, on=None) -> int | None:
        if not self.birth_year:
            return None
        on = on or self.election.held_on or timezone.localdate()
        return on.year - self.birth_year


class CandidateTransition(TransitionRecord):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("candidate step")
        verbose_name_plural = _("candidate steps")
