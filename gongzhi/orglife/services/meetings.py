"""Writes of organization life (the meetings part): one transaction each, signature ``verb(subject, *, actor, ...)``
with plain values.

A service finds its subject as the actor may see it (`NotFound` otherwise), asks
`gongzhi.orglife.policies.meetings` whether the actor may act (`Forbidden`) and refuses bad input with field
errors in the actor's language, writing nothing: a meeting dated in the future, a lesson without a speaker,
attendance of someone who is not a member of the organization, leave without a reason. Reminders go out once per
organization, kind and period (a unique row, `MeetingReminder`, taken under the constraint)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.models import RoleAssignment
from gongzhi.accounts.roles import Role
from gongzhi.core.errors import Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM, check_actor, find, is_user, pk_of, user_of
from gongzhi.orglife.models import (
    Attendance,
    AttendanceStatus,
    Frequency,
    LessonForm,
    Meeting,
    MeetingKind,
    MeetingPhoto,
    MeetingReminder,
    MeetingRequirement,
    StudyRecord,
)
from gongzhi.orglife.policies import meetings as policies
from gongzhi.orglife.selectors import meetings as selectors
from gongzhi.registry.models import PartyMember, PartyOrg, Region

LIMITS = {"topic": 200, "place": 120, "minutes": 20000, "speaker": 60, "leave_reason": 200, "subject": 60,
          "title": 200, "note": 200}
MAX_PHOTOS = 6
RELATED = ("org__region",)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)


def _text(value, name: str, errors: dict, *, required: bool = False, message: str = "") -> str:
    value = str(value or "").strip()
    if required and not value:
        errors.setdefault(name, []).append(message or _("This field is required."))
    elif len(value) > LIMITS[name]:
        errors.setdefault(name, []).append(_("At most %(n)s characters.") % {"n": LIMITS[name]})
    return value


def _find(actor, meeting) -> Meeting:
    return find(actor, meeting, Meeting, selectors.meeting, RELATED)


def _org(actor, org) -> PartyOrg | None:
    if org in (None, ""):
        return None
    found = PartyOrg.objects.select_related("region").filter(pk=pk_of(org),
                                                             kind__in=selectors.MEASURED_ORG_KINDS).first()
    if found is None or not policies.sees_org(actor, found):
        raise NotFound(_("Not found."))
    return found


def _attendance(org: PartyOrg | None, lines: Iterable, errors: dict) -> list[tuple[PartyMember, str, str]]:
    """Attendance lines ``{"member": member or pk, "status": ..., "leave_reason": ...}`` (or tuples) checked
    against the organization's members."""
    parsed, seen = [], set()
    members = {m.pk: m for m in selectors.org_members(org)} if org is not None else {}
    for line in lines or ():
        if isinstance(line, dict):
            member, status, reason = line.get("member"), line.get("status"), line.get("leave_reason", "")
        else:
            member, status, reason = (*line, "")[:3]
        pk = pk_of(member)
        found = members.get(pk) if isinstance(pk, int) else None
        if found is None:
            name = member.name if isinstance(member, PartyMember) else f"#{pk}"  # a posted id is not looked up
            errors.setdefault("attendance", []).append(
                _("%(name)s is not a member of this organization.") % {"name": name})
            continue
        if pk in seen:
            errors.setdefault("attendance", []).append(_("%(name)s is listed twice.") % {"name": found.name})
            continue
        seen.add(pk)
        if status not in AttendanceStatus.values:
            errors.setdefault("attendance", []).append(_("Choose present, on leave or absent for %(name)s.") % {
                "name": found.name})
            continue
        reason = str(reason or "").strip()
        if status == AttendanceStatus.LEAVE and not reason:
            errors.setdefault("attendance", []).append(_("Give the reason for %(name)s's leave.") % {
                "name": found.name})
            continue
        if len(reason) > LIMITS["leave_reason"]:
            errors.setdefault("attendance", []).append(_("At most %(n)s characters.") % {"n": LIMITS["leave_reason"]})
            continue
        parsed.append((found, status, reason if status == AttendanceStatus.LEAVE else ""))
    return parsed


def _check(actor, *, org, kind, held_on, topic, place, minutes, speaker, speaker_member, lesson_form, attendance,
           today: dt.date) -> tuple[dict, list]:
    errors: dict[str, list[str]] = {}
    if org is None:
        errors["org"] = [_("Choose the party organization.")]
    elif not policies.records_for(actor, org):
        raise Forbidden(_("You do not have permission to do this."))
    if kind not in MeetingKind.values:
        errors["kind"] = [_("Choose the kind of meeting.")]
    if not isinstance(held_on, dt.date):
        errors["held_on"] = [_("Enter a valid date.")]
    elif held_on > today:
        errors["held_on"] = [_("A meeting is recorded once it is held: the date lies in the future.")]
    values = {
        "topic": _text(topic, "topic", errors, required=True, message=_("Give the meeting's topic.")),
        "place": _text(place, "place", errors), "minutes": _text(minutes, "minutes", errors),
        "speaker": _text(speaker, "speaker", errors),
    }
    speaker_obj = None
    if speaker_member not in (None, ""):
        speaker_obj = PartyMember.objects.filter(pk=pk_of(speaker_member)).first()
        if speaker_obj is None or (org is not None and not policies.sees_org(actor, speaker_obj.organization)):
            errors["speaker_member"] = [_("Choose a party member in your scope.")]
    lesson_form = lesson_form or ""
    if kind == MeetingKind.LESSON:
        if not values["speaker"] and speaker_obj is not None:
            values["speaker"] = speaker_obj.name
        if not values["speaker"]:
            errors["speaker"] = [_("A party lesson has a speaker: name them.")]
        lesson_form = lesson_form or LessonForm.STANDARD
        if lesson_form not in LessonForm.values:
            errors["lesson_form"] = [_("Choose the form of the lesson.")]
    else:
        lesson_form = ""
    lines = _attendance(org, attendance, errors)
    values.update(speaker_member=speaker_obj, lesson_form=lesson_form)
    return errors, [values, lines]


def _write_attendance(meeting: Meeting, lines, actor, *, replace: bool) -> None:
    if replace:
        keep = {m.pk for m, _s, _r in lines}
        meeting.attendance.exclude(member_id__in=keep).delete()
        current = {a.member_id: a for a in meeting.attendance.all()}
    else:
        current = {}
    for member, status, reason in lines:
        row = current.get(member.pk)
        if row is not None and (row.status, row.leave_reason) == (status, reason):
            continue
        row = row or Attendance(meeting=meeting, member=member)
        row.status, row.leave_reason = status, reason
        row._history_user = user_of(actor)
        row.save()


@transaction.atomic
def record_meeting(*, actor, org, kind: str, held_on, topic: str, place: str = "", minutes: str = "",
                   speaker: str = "", speaker_member=None, lesson_form: str = "", attendance: Iterable = (),
                   photos: Iterable = (), today: dt.date | None = None) -> Meeting:
    """A meeting held by an organization in the actor's record scope, with its attendance (members of the
    organization: present, on leave with the reason, or absent) and optional photos."""
    check_actor(actor)
    if not policies.may_record(actor):
        raise Forbidden(_("You do not have permission to do this."))
    today = today or timezone.localdate()
    found_org = _org(actor, org)
    errors, (values, lines) = _check(actor, org=found_org, kind=kind, held_on=held_on, topic=topic, place=place,
                                     minutes=minutes, speaker=speaker, speaker_member=speaker_member,
                                     lesson_form=lesson_form, attendance=attendance, today=today)
    contents = _photos(photos, errors)
    _raise(errors)
    meeting = Meeting(org=found_org, kind=kind, held_on=held_on, recorded_by=user_of(actor), **values)
    meeting._history_user = user_of(actor)
    meeting.save()
    _write_attendance(meeting, lines, actor, replace=False)
    _save_photos(meeting, contents, actor)
    return meeting


@transaction.atomic
def edit_meeting(meeting, *, actor, kind: str, held_on, topic: str, place: str = "", minutes: str = "",
                 speaker: str = "", speaker_member=None, lesson_form: str = "", attendance: Iterable = (),
                 today: dt.date | None = None) -> Meeting:
    """Correct a meeting (its organization stays): every field and the attendance as a whole."""
    found = _find(actor, meeting)
    if not policies.may_edit(actor, found):
        raise Forbidden(_("You do not have permission to do this."))
    today = today or timezone.localdate()
    errors, (values, lines) = _check(actor, org=found.org, kind=kind, held_on=held_on, topic=topic, place=place,
                                     minutes=minutes, speaker=speaker, speaker_member=speaker_member,
                                     lesson_form=lesson_form, attendance=attendance, today=today)
    _raise(errors)
    locked = Meeting.objects.select_for_update().get(pk=found.pk)
    locked.kind, locked.held_on = kind, held_on
    for name, value in values.items():
        setattr(locked, name, value)
    locked._history_user = user_of(actor)
    locked.save()
    _write_attendance(locked, lines, actor, replace=True)
    return locked


def _photos(photos: Iterable, errors: dict) -> list:
    from gongzhi.demands.photos import clean_photo

    photos = [p for p in photos or () if p]
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = [_("At most %(n)s photos.") % {"n": MAX_PHOTOS}]
        return []
    try:
        return [clean_photo(p) for p in photos]
    except ValidationFailed as e:
        errors["photos"] = [e.message]
        return []


def _save_photos(meeting: Meeting, contents: list, actor) -> list[MeetingPhoto]:
    made = []
    for content in contents:
        photo = MeetingPhoto(meeting=meeting, image=content, uploaded_by=user_of(actor))
        photo._history_user = user_of(actor)
        photo.save()
        made.append(photo)
    return made


@transaction.atomic
def add_meeting_photos(meeting, *, actor, photos: Iterable) -> list[MeetingPhoto]:
    """Photos of a meeting (checked by content, re-encoded without metadata such as EXIF and GPS)."""
    found = _find(actor, meeting)
    if not policies.may_edit(actor, found):
        raise Forbidden(_("You do not have permission to do this."))
    errors: dict[str, list[str]] = {}
    photos = [p for p in photos or () if p]
    if not photos:
        errors["photos"] = [_("Add a photo of the meeting.")]
    contents = _photos(photos, errors)
    if not errors and found.photos.count() + len(contents) > MAX_PHOTOS:
        errors["photos"] = [_("At most %(n)s photos.") % {"n": MAX_PHOTOS}]
    _raise(errors)
    return _save_photos(found, contents, actor)


# --- requirements ----------------------------------------------------------------------------------------------

@transaction.atomic
def set_requirement(*, actor, region, kind: str, frequency: str, remind_days) -> MeetingRequirement:
    """How often the organizations of `region` (and below) must hold meetings of `kind`, and how many days before
    a period ends the reminders go out (one row per region and kind, taken under a lock)."""
    check_actor(actor)
    if not policies.may_manage_requirements(actor):
        raise Forbidden(_("You do not have permission to do this."))
    place = Region.objects.filter(pk=pk_of(region)).first() if region not in (None, "") else None
    if place is None or not policies.manages_region(actor, place):
        raise NotFound(_("Not found."))
    errors: dict[str, list[str]] = {}
    if kind not in MeetingKind.values:
        errors["kind"] = [_("Choose the kind of meeting.")]
    if frequency not in Frequency.values:
        errors["frequency"] = [_("Choose the frequency.")]
    try:
        days = int(remind_days)
    except (TypeError, ValueError):
        days = -1
    if not 0 <= days <= 90:
        errors["remind_days"] = [_("Enter a number of days from 0 to 90.")]
    _raise(errors)
    Region.objects.select_for_update().filter(pk=place.pk).first()
    row = MeetingRequirement.objects.filter(region=place, kind=kind).first() or MeetingRequirement(
        region=place, kind=kind)
    row.frequency, row.remind_days = frequency, days
    row._history_user = user_of(actor)
    row.save()
    return row


@transaction.atomic
def clear_requirement(*, actor, region, kind: str) -> None:
    """Back to the inherited rule (or the default) for `kind` in `region`."""
    check_actor(actor)
    place = Region.objects.filter(pk=pk_of(region)).first() if region not in (None, "") else None
    if place is None or not policies.manages_region(actor, place):
        raise NotFound(_("Not found."))
    for row in MeetingRequirement.objects.filter(region=place, kind=kind):
        row._history_user = user_of(actor)
        row.delete()


# --- study records ----------------------------------------------------------------------------------------------

@transaction.atomic
def add_study(*, actor, member, subject: str, title: str, studied_on, hours, note: str = "",
              today: dt.date | None = None) -> StudyRecord:
    """A member's study (e.g. 四史) with the hours spent, by staff whose record scope covers the member."""
    check_actor(actor)
    if not policies.may_record(actor):
        raise Forbidden(_("You do not have permission to do this."))
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    found = PartyMember.objects.select_related("organization__region").filter(pk=pk_of(member)).first() \
        if member not in (None, "") else None
    if found is None:
        errors["member"] = [_("Choose the party member.")]
    elif not policies.records_for(actor, found.organization):
        raise NotFound(_("Not found."))
    subject = _text(subject, "subject", errors, required=True)
    title = _text(title, "title", errors, required=True)
    note = _text(note, "note", errors)
    if not isinstance(studied_on, dt.date):
        errors["studied_on"] = [_("Enter a valid date.")]
    elif studied_on > today:
        errors["studied_on"] = [_("The date lies in the future.")]
    try:
        amount = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        amount = Decimal(0)
    if not Decimal("0") < amount <= Decimal("999"):
        errors["hours"] = [_("Enter the hours, more than 0.")]
    _raise(errors)
    record = StudyRecord(member=found, subject=subject, title=title, studied_on=studied_on, hours=amount, note=note,
                         recorded_by=user_of(actor))
    record._history_user = user_of(actor)
    record.save()
    return record


# --- reminders ---------------------------------------------------------------------------------------------------

def reminder_recipients(org: PartyOrg) -> list:
    """The secretary's account (PartyOrg.secretary → PartyMember.user) and the staff of its area (the area's
    secretaries), or the sub-district's administrators for an organization above an area."""
    from gongzhi.registry.models import RegionKind

    users = []
    if org.secretary_id and org.secretary.user_id:
        users.append(org.secretary.user)
    area = org.region if org.region.kind == RegionKind.RESIDENTIAL_AREA else \
        org.region.ancestor_of_kind(RegionKind.RESIDENTIAL_AREA)
    if area is not None:
        users += [a.user for a in RoleAssignment.objects.filter(region=area, role=Role.AREA_SECRETARY)
                  .select_related("user")]
    else:
        sub = org.region if org.region.kind == RegionKind.SUBDISTRICT else org.region.subdistrict()
        users += [a.user for a in RoleAssignment.objects.filter(region=sub, role=Role.SUBDISTRICT_ADMIN)
                  .select_related("user")]
    return list({u.pk: u for u in users if u is not None and u.is_active}.values())


def send_reminders(*, today: dt.date | None = None) -> list[MeetingReminder]:
    """The daily job: for each measured organization, each required period that runs now with nothing held and
    ends within its rule's remind days is told once (one MeetingReminder per organization, kind and period; a run
    again the same day or the next sends nothing new). Each reminder is its own transaction."""
    from gongzhi.demands.notify import notify_users

    today = today or timezone.localdate()
    labels = dict(MeetingKind.choices)
    sent = []
    orgs = PartyOrg.objects.filter(kind__in=selectors.MEASURED_ORG_KINDS).select_related(
        "region", "secretary__user").order_by("code")
    for org in orgs:
        rules = selectors.frequencies_for(org)
        for cell in selectors.due_now(org, today=today, within_month=False):
            if (cell.period_end - today).days > rules[cell.kind].remind_days:
                continue
            try:
                with transaction.atomic():
                    row = MeetingReminder.objects.create(org=org, kind=cell.kind, period_start=cell.period_start,
                                                         period_end=cell.period_end)
                    users = reminder_recipients(org)
                    text = _("%(org)s has held no %(kind)s in the period %(start)s – %(end)s, which ends in %(days)s "
                             "day(s).") % {"org": org.name, "kind": labels[cell.kind], "start": cell.period_start,
                                           "end": cell.period_end, "days": (cell.period_end - today).days}
                    link = reverse("orglife:meeting_compliance", args=[org.pk]) + f"?year={today.year}"
                    notify_users(users, None, text, link=link)
                    row.recipients = len(users)
                    row.save(update_fields=["recipients"])
            except IntegrityError:
                continue  # already reminded for this period (another run got there first)
            sent.append(row)
    return sent


# --- Excel import -------------------------------------------------------------------------------------------------

@transaction.atomic
def import_meetings(new: list[dict], revised: list[dict], *, actor) -> None:
    """The Excel import's writer, all or nothing: each new row a meeting recorded with its attendance, each revised
    row a meeting corrected (through the same checks as the pages)."""
    for row in new:
        record_meeting(actor=actor, **row)
    for row in revised:
        meeting = row.pop("meeting")
        edit_meeting(meeting, actor=actor, **row)


# --- the demo seeder ------------------------------------------------------------------------------------------------

@transaction.atomic
def seed_meetings(rows: list[tuple[Meeting, list[Attendance]]], studies: list[StudyRecord] = (), *,
                  actor) -> list[Meeting]:
    """Meetings of the past with their attendance at once (the demo seeder's volume). Each row: an unsaved meeting
    (held by today) and its unsaved attendance lines (members of its organization)."""
    check_actor(actor)
    if is_user(actor):
        raise Forbidden(_("You do not have permission to do this."))
    today = timezone.localdate()
    for meeting, lines in rows:
        if meeting.held_on > today:
            raise ValueError(f"{meeting}: dated in the future")
        for line in lines:
            if line.member.organization_id != meeting.org_id:
                raise ValueError(f"{line.member} is not a member of {meeting.org}")
    made = Meeting.objects.bulk_create([m for m, _lines in rows], batch_size=1000)
    lines = []
    for meeting, attendance in zip(made, [a for _m, a in rows], strict=True):
        for line in attendance:
            line.meeting = meeting
            lines.append(line)
    Attendance.objects.bulk_create(lines, batch_size=2000)
    if studies:
        StudyRecord.objects.bulk_create(list(studies), batch_size=1000)
    return made


__all__ = ["record_meeting", "edit_meeting", "add_meeting_photos", "set_requirement", "clear_requirement",
           "add_study", "send_reminders", "import_meetings", "seed_meetings", "SYSTEM"]
