"""The demo's organization life (the meetings part): two years of meetings (the previous year and this year to
date) for every measured organization, most keeping most requirements, the weak ones (small two-new branches
among them) visibly behind; attendance of the organization's own members with leave reasons; lessons with speakers
(micro and walking lessons by the office towers' joint-committee secretaries); study records; nothing in the
future; within its time budget. One module-scoped seed, rolled back at the end."""

import datetime as dt
from collections import Counter

import pytest
from django.db.models import F
from django.utils import timezone

from gongzhi.demo.orglife import meetings as demo
from gongzhi.orglife.models import Attendance, LessonForm, Meeting, MeetingKind, StudyRecord
from gongzhi.orglife.selectors.meetings import MEASURED_ORG_KINDS, meetings_rate
from gongzhi.registry.models import PartyOrg
from tests.dbutil import kept, registry_then


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    yield from kept(django_db_blocker, lambda: registry_then(demo.seed, "orglife.meetings"))


@pytest.mark.django_db
def test_two_years_for_every_measured_organization_within_the_budget(seeded):
    today = timezone.localdate()
    measured = set(PartyOrg.objects.filter(kind__in=MEASURED_ORG_KINDS).values_list("pk", flat=True))
    assert len(measured) >= 100
    assert set(Meeting.objects.values_list("org", flat=True)) == measured
    assert Meeting.objects.filter(held_on__gt=today).count() == 0
    assert Meeting.objects.order_by("held_on").first().held_on.year == today.year - 1
    info = seeded.extra["orglife_meetings"]
    assert info["meetings"] == Meeting.objects.count() > 5000 and info["studies"] == StudyRecord.objects.count()


@pytest.mark.django_db
def test_most_keep_the_rules_the_weak_lag_behind(seeded):
    year = timezone.localdate().year - 1
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rates = {}
    for org in PartyOrg.objects.filter(kind__in=MEASURED_ORG_KINDS).select_related("region"):
        met, required = meetings_rate(org, start, end)
        rates[org.code] = met / required if required else 1
    weak = set(seeded.extra["orglife_meetings"]["weak"])
    strong = [r for code, r in rates.items() if code not in weak]
    assert weak and len(weak) < len(rates) / 2
    assert sum(r >= 0.85 for r in strong) / len(strong) > 0.75
    assert max(rates[c] for c in weak) < 1 and min(rates.values()) < 0.8
    assert sum(rates[c] for c in weak) / len(weak) < sum(strong) / len(strong) - 0.1
    two_new_small = [o.code for o in PartyOrg.objects.filter(member_unit__is_two_new=True, kind="branch")
                     if o.members.count() <= 3]
    assert two_new_small and set(two_new_small) <= weak


@pytest.mark.django_db
def test_attendance_of_own_members_with_leave_reasons(seeded):
    assert not Attendance.objects.exclude(member__organization=F("meeting__org")).exists()
    statuses = Counter(Attendance.objects.values_list("status", flat=True))
    assert statuses["present"] > 10 * statuses["leave"] > 0 and statuses["absent"] > 0
    assert not Attendance.objects.filter(status="leave", leave_reason="").exists()
    assert not Attendance.objects.exclude(status="leave").exclude(leave_reason="").exists()


@pytest.mark.django_db
def test_lessons_have_speakers_some_micro_or_walking_by_building_secretaries(seeded):
    lessons = Meeting.objects.filter(kind=MeetingKind.LESSON)
    assert lessons.count() > 200 and not lessons.filter(speaker="").exists()
    assert not Meeting.objects.exclude(kind=MeetingKind.LESSON).exclude(lesson_form="").exists()
    by_building = lessons.filter(speaker_member__in=seeded.extra["orglife_meetings"]["building_secretaries"],
                                 lesson_form__in=(LessonForm.MICRO, LessonForm.WALKING))
    assert by_building.count() >= 10 and by_building.filter(lesson_form=LessonForm.WALKING).exists()


@pytest.mark.django_db
def test_study_records_for_some_members(seeded):
    subjects = Counter(StudyRecord.objects.values_list("subject", flat=True))
    assert subjects["四史"] > 50
    members = StudyRecord.objects.values("member").distinct().count()
    assert 0.15 * len(seeded.members) < members < 0.5 * len(seeded.members)
