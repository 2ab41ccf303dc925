"""Topics (议题) and their meetings (三会制度), the shared spine of the deliberation app: every other part (councils,
votes, conventions, grid topics) points at a topic or a meeting."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.fields import EncryptedCharField, LookupHashField
from gongzhi.core.masking import mask_phone
from gongzhi.core.media import RandomName
from gongzhi.core.workflow import TransitionRecord
from gongzhi.deliberation.workflow import (
    DECISION_FLOW,
    MEETING_FLOW,
    TOPIC_FLOW,
    DecisionState,
    MeetingState,
    TopicState,
)

__all__ = ["TopicSource", "Topic", "TopicTransition", "TopicCosign", "MeetingKind", "Meeting", "MeetingTransition",
           "InviteeKind", "Rsvp", "Invitation", "CheckIn", "SpeakerSide", "MinuteEntry", "Decision",
           "DecisionTransition", "MeetingAttachment"]


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
    # an area's staff see its topics; a grid's leader sees the topics of the grid
    scope_region_lookups = ("area__path", "grid__path")

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class TopicTransition(TransitionRecord):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="transitions")
    flow = TOPIC_FLOW

    class Meta(TransitionRecord.Meta):
        verbose_name = _("topic step")
        verbose_name_plural = _("topic steps")


class TopicCosign(models.Model):
    """One household backing a residents' proposal; a household co-signs a topic once."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="cosigns")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("household"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    scope_region_lookups = ("topic__area__path", "topic__grid__path")

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
    scope_region_lookups = ("topic__area__path", "topic__grid__path")

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title


class MeetingTransition(TransitionRecord):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="transitions")
    flow = MEETING_FLOW

    class Meta(TransitionRecord.Meta):
        verbose_name = _("meeting step")
        verbose_name_plural = _("meeting steps")


MEETING_SCOPE = ("meeting__topic__area__path", "meeting__topic__grid__path")


class InviteeKind(models.TextChoices):
    HOUSEHOLD = "household", _("Household")
    MEMBER_UNIT = "member_unit", _("Member unit")
    PROFESSIONAL_TEAM = "professional_team", _("Professional team")
    VOLUNTEER_TEAM = "volunteer_team", _("Volunteer team")
    PROPERTY_COMPANY = "property_company", _("Property company")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
    PERSON = "person", _("Person")  # someone with an account: a council member, a staff member


class Rsvp(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    YES = "yes", _("Will attend")
    NO = "no", _("Will not attend")
    MAYBE = "maybe", _("Maybe")


class Invitation(models.Model):
    """One invitee of a meeting: a household, a member unit, a professional or volunteer team, the property company
    or the owners' committee of an estate, or a person with an account. The invitee is the foreign key its `kind`
    names (the others stay empty); `key` ("household:12") makes each invitee unique per meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations",
                                verbose_name=_("meeting"))
    kind = models.CharField(_("kind"), max_length=20, choices=InviteeKind.choices)
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("household"))
    member_unit = models.ForeignKey("registry.MemberUnit", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("member unit"))
    professional_team = models.ForeignKey("registry.ProfessionalTeam", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("professional team"))
    volunteer_team = models.ForeignKey("registry.VolunteerTeam", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("volunteer team"))
    estate = models.ForeignKey("registry.Estate", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("estate"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="meeting_invitations", verbose_name=_("person"))
    key = models.CharField(max_length=40, editable=False)
    rsvp = models.CharField(_("reply"), max_length=10, choices=Rsvp.choices, default=Rsvp.PENDING)
    rsvp_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = MEETING_SCOPE

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["kind", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "key"], name="deliberation_invite_once")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The invitee as people name it."""
        if self.kind == InviteeKind.PROPERTY_COMPANY and self.estate_id:
            company = self.estate.property_unit.name if self.estate.property_unit_id else self.estate.property_company
            return f"{company or InviteeKind.PROPERTY_COMPANY.label} · {self.estate.name}"
        if self.kind == InviteeKind.OWNERS_COMMITTEE and self.estate_id:
            return f"{self.estate.name} · {InviteeKind.OWNERS_COMMITTEE.label}"
        target = self.household or self.member_unit or self.professional_team or self.volunteer_team or self.user
        return str(target) if target is not None else ""


class CheckIn(models.Model):
    """One attendee signed in at the door: by name and phone, or for an invited household or unit. `attendee_key`
    (the household, the unit, else the phone's lookup hash) is unique per meeting, so a second scan of the same
    attendee, however concurrent, records nothing more."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("meeting"))
    attendee_key = models.CharField(max_length=100, editable=False)
    name = EncryptedCharField(_("name"), max_length=40, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True)
    phone_hash = LookupHashField(of="phone")
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("household"))
    member_unit = models.ForeignKey("registry.MemberUnit", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("member unit"))
    invitation = models.ForeignKey(Invitation, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="checkins", verbose_name=_("invitation"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    scope_region_lookups = MEETING_SCOPE
    personal_fields = ("name", "phone")

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "attendee_key"], name="deliberation_checkin_once")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.household_id or self.member_unit_id:
            return str(self.household or self.member_unit)
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class SpeakerSide(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    PARTY_ORG = "party_org", _("Party organization")
    RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
    PROPERTY_COMPANY = "property_company", _("Property company")
    COUNCIL = "council", _("Council member")
    UNIT = "unit", _("Member unit")
    PROFESSIONAL = "professional", _("Professional team")
    OTHER = "other", _("Other")


class MinuteEntry(models.Model):
    """One speaker's view in a meeting's minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minute_entries",
                                verbose_name=_("meeting"))
    speaker = models.CharField(_("speaker"), max_length=60)
    side = models.CharField(_("side"), max_length=30, choices=SpeakerSide.choices, default=SpeakerSide.RESIDENT)
    view = models.TextField(_("view"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = MEETING_SCOPE

    class Meta:
        verbose_name = _("speaker's view")
        verbose_name_plural = _("speakers' views")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.view[:40]}"


class Decision(models.Model):
    """A decision of a meeting's minutes (决定事项), with an owner and a deadline, tracked to done."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions",
                                verbose_name=_("meeting"))
    text = models.TextField(_("decision"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deliberation_decisions",
                              verbose_name=_("owner"))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=10, choices=DecisionState.choices, default=DecisionState.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = MEETING_SCOPE

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.text[:60]

    def is_overdue(self, today=None) -> bool:
        return self.state == DecisionState.OPEN and self.deadline < (today or timezone.localdate())


class DecisionTransition(TransitionRecord):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="transitions")
    flow = DECISION_FLOW

    class Meta(TransitionRecord.Meta):
        verbose_name = _("decision step")
        verbose_name_plural = _("decision steps")


class MeetingAttachment(models.Model):
    """A photo or a document of a meeting (the signed attendance sheet, the minutes as signed), stored under a
    random name and served only through the scope-checked media view."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments",
                                verbose_name=_("meeting"))
    file = models.FileField(_("file"), upload_to=RandomName("deliberation/meetings"))
    name = models.CharField(_("name"), max_length=120)
    is_photo = models.BooleanField(_("photo"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = MEETING_SCOPE

    class Meta:
        verbose_name = _("meeting attachment")
        verbose_name_plural = _("meeting attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def download_name(self) -> str:
        """The name the user gave, with the extension of the stored (checked) type."""
        stem = PurePosixPath(self.name.replace("\\", "/")).stem or "attachment"
        return f"{stem}{PurePosixPath(self.file.name).suffix}"
