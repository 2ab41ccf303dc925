"""Organization life (the meetings part): 三会一课 and the other meetings of a party organization, with attendance,
minutes and photos; the required frequency of each kind (defaults in `DEFAULT_FREQUENCY`, overridden per region
by `MeetingRequirement`); members' study records. A meeting is a record of what was held: it is never dated in the
future."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.media import RandomName

__all__ = [
    "MeetingKind", "Frequency", "PERIOD_MONTHS", "DEFAULT_FREQUENCY", "LessonForm", "AttendanceStatus", "MeetingRequirement",
    "Meeting", "Attendance", "MeetingPhoto", "MEETING_PHOTO_FOLDER", "StudyRecord", "MeetingReminder",
]

MEETING_PHOTO_FOLDER = "orglife_meetings"


class MeetingKind(models.TextChoices):
    GENERAL_ASSEMBLY = "general_assembly", _("Members' general assembly (党员大会)")
    COMMITTEE = "committee", _("Branch committee meeting (支委会)")
    GROUP = "group", _("Party group meeting (党小组会)")
    LESSON = "lesson", _("Party lesson (党课)")
    THEME_DAY = "theme_day", _("Theme party day (主题党日)")
    LIFE_MEETING = "life_meeting", _("Organization life meeting (组织生活会)")
    APPRAISAL = "appraisal", _("Democratic appraisal of members (民主评议党员)")
    TALK = "talk", _("Heart-to-heart talk (谈心谈话)")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    NONE = "none", _("No fixed frequency")


# Months in one period of each frequency (NONE has no period: such meetings are counted, never required).
PERIOD_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}

# The defaults of the issue (三会一课: 党员大会 and 党课 quarterly, 支委会 and 党小组会 monthly; a monthly 主题党日;
# 组织生活会 and 民主评议党员 yearly; 谈心谈话 as needed). A region's MeetingRequirement overrides one kind.
DEFAULT_FREQUENCY: dict[str, str] = {
    MeetingKind.GENERAL_ASSEMBLY: Frequency.QUARTERLY,
    MeetingKind.COMMITTEE: Frequency.MONTHLY,
    MeetingKind.GROUP: Frequency.MONTHLY,
    MeetingKind.LESSON: Frequency.QUARTERLY,
    MeetingKind.THEME_DAY: Frequency.MONTHLY,
    MeetingKind.LIFE_MEETING: Frequency.YEARLY,
    MeetingKind.APPRAISAL: Frequency.YEARLY,
    MeetingKind.TALK: Frequency.NONE,
}


class LessonForm(models.TextChoices):
    STANDARD = "standard", _("Party lesson")
    MICRO = "micro", _("Micro party lesson (微党课)")
    WALKING = "walking", _("Walking lesson (行走的党课)")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LEAVE = "leave", _("On leave")
    ABSENT = "absent", _("Absent")


class MeetingRequirement(models.Model):
    """How often organizations in `region` (and below it) must hold meetings of one kind. The nearest region's row
    wins; without one the kind's default applies."""

    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="meeting_requirements",
                               verbose_name=_("region"))
    kind = models.CharField(_("meeting kind"), max_length=30, choices=MeetingKind.choices)
    frequency = models.CharField(_("required frequency"), max_length=20, choices=Frequency.choices)
    remind_days = models.PositiveSmallIntegerField(
        _("remind days before due"), default=7, help_text=_("Reminders go out this many days before the period ends."))

    history = HistoricalRecords()
    scope_region_lookups = ("region__path",)

    class Meta:
        verbose_name = _("meeting requirement")
        verbose_name_plural = _("meeting requirements")
        ordering = ["region__path", "kind"]
        constraints = [models.UniqueConstraint(fields=["region", "kind"], name="orglife_requirement_once")]

    def __str__(self) -> str:
        return f"{self.region} · {self.get_kind_display()} · {self.get_frequency_display()}"


class Meeting(models.Model):
    """One meeting held by a party organization. Lessons (党课) record their speaker and form (micro or walking)."""

    org = models.ForeignKey("registry.PartyOrg", on_delete=models.PROTECT, related_name="orglife_meetings",
                            verbose_name=_("party organization"))
    kind = models.CharField(_("meeting kind"), max_length=30, choices=MeetingKind.choices)
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    place = models.CharField(_("place"), max_length=120, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    speaker = models.CharField(_("speaker"), max_length=60, blank=True)
    speaker_member = models.ForeignKey("registry.PartyMember", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", verbose_name=_("speaker (party member)"))
    lesson_form = models.CharField(_("lesson form"), max_length=20, choices=LessonForm.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("org__region__path",)
    scope_unit_lookups = ("org__member_unit_id",)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["org", "kind", "held_on"], name="orglife_meeting_org_kind_day")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()} · {self.topic}"

    # The attendance as an organization's secretary writes it in Excel (names joined by 、; leave with its reason
    # in brackets). Read from `attendance` (prefetch it with its members for a list).
    def _names(self, status: str) -> str:
        lines = sorted(self.attendance.all(), key=lambda a: (a.member.name, a.member_id))
        if status == AttendanceStatus.LEAVE:
            return "、".join(f"{a.member.name}（{a.leave_reason}）" for a in lines if a.status == status)
        return "、".join(a.member.name for a in lines if a.status == status)

    @property
    def present_names(self) -> str:
        return self._names(AttendanceStatus.PRESENT)

    @property
    def leave_names(self) -> str:
        return self._names(AttendanceStatus.LEAVE)

    @property
    def absent_names(self) -> str:
        return self._names(AttendanceStatus.ABSENT)


class Attendance(models.Model):
    """A member of the meeting's organization at the meeting: present, on leave (with the reason) or absent."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance",
                                verbose_name=_("meeting"))
    member = models.ForeignKey("registry.PartyMember", on_delete=models.PROTECT, related_name="orglife_attendance",
                               verbose_name=_("party member"))
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.PRESENT)
    leave_reason = models.CharField(_("reason for leave"), max_length=200, blank=True)

    history = HistoricalRecords()
    scope_region_lookups = ("meeting__org__region__path",)
    scope_unit_lookups = ("meeting__org__member_unit_id",)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "member__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="orglife_attendance_once")]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"


class MeetingPhoto(models.Model):
    """A photo of a meeting (re-encoded without metadata, served through gongzhi.core.media)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="photos", verbose_name=_("meeting"))
    image = models.ImageField(_("photo"), upload_to=RandomName(MEETING_PHOTO_FOLDER))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("meeting__org__region__path",)
    scope_unit_lookups = ("meeting__org__member_unit_id",)

    class Meta:
        verbose_name = _("meeting photo")
        verbose_name_plural = _("meeting photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.image.name


class StudyRecord(models.Model):
    """A member's study (e.g. 四史: the history of the Party, of New China, of reform and opening-up and of
    socialist development), with the hours spent."""

    member = models.ForeignKey("registry.PartyMember", on_delete=models.PROTECT, related_name="orglife_studies",
                               verbose_name=_("party member"))
    subject = models.CharField(_("subject"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    studied_on = models.DateField(_("studied on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=1)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))

    history = HistoricalRecords()
    scope_region_lookups = ("member__organization__region__path",)
    scope_unit_lookups = ("member__organization__member_unit_id",)

    class Meta:
        verbose_name = _("study record")
        verbose_name_plural = _("study records")
        ordering = ["-studied_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(hours__gt=0), name="orglife_study_hours_positive")]

    def __str__(self) -> str:
        return f"{self.member} · {self.subject} · {self.title}"


class MeetingReminder(models.Model):
    """A reminder sent that a required period of one meeting kind ends soon with nothing held: one per
    organization, kind and period (the daily job's idempotence)."""

    org = models.ForeignKey("registry.PartyOrg", on_delete=models.CASCADE, related_name="+",
                            verbose_name=_("party organization"))
    kind = models.CharField(_("meeting kind"), max_length=30, choices=MeetingKind.choices)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    scope_region_lookups = ("org__region__path",)
    scope_unit_lookups = ("org__member_unit_id",)

    class Meta:
        verbose_name = _("meeting reminder")
        verbose_name_plural = _("meeting reminders")
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["org", "kind", "period_start"],
                                               name="orglife_reminder_once")]

    def __str__(self) -> str:
        return f"{self.org} · {self.get_kind_display()} · {self.period_start}"
