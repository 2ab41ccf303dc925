"""The meetings services: recording with attendance, every refusal writing nothing (future date, lesson without a
speaker, someone not a member, leave without a reason), scope, editing, photos, requirements, study records and the
compliance grid's status turning from due to met."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gongzhi.core.errors import Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.orglife.models import Attendance, Frequency, Meeting, MeetingKind, MeetingPhoto, StudyRecord
from gongzhi.orglife.selectors import meetings as selectors
from gongzhi.orglife.services import meetings as services
from tests import factories
from tests.volunteering.wish_factories import png

pytestmark = pytest.mark.django_db


def _record(actor, org, members=(), **kw):
    values = {"kind": MeetingKind.THEME_DAY, "held_on": timezone.localdate(), "topic": "重温入党誓词",
              "attendance": [{"member": m, "status": "present"} for m in members]}
    values.update(kw)
    return services.record_meeting(actor=actor, org=org, **values)


def _counts():
    return Meeting.objects.count(), Attendance.objects.count(), Meeting.history.count()


def test_a_secretary_records_a_theme_day_with_attendance_and_a_leave_reason(street, people):
    other = factories.party_member(street.org_a, name="王二")
    absent = factories.party_member(street.org_a, name="赵三")
    m = services.record_meeting(
        actor=people.insider, org=street.org_a, kind=MeetingKind.THEME_DAY, held_on=timezone.localdate(),
        topic="重温入党誓词", place="党群服务站", attendance=[
            {"member": street.member_a, "status": "present"},
            {"member": other.pk, "status": "leave", "leave_reason": "住院"},
            {"member": absent, "status": "absent", "leave_reason": "ignored"}])
    lines = {a.member.name: (a.status, a.leave_reason) for a in m.attendance.select_related("member")}
    assert lines == {"张梧桐": ("present", ""), "王二": ("leave", "住院"), "赵三": ("absent", "")}
    assert m.recorded_by == people.insider and m.history.first().history_user == people.insider
    assert m.present_names == "张梧桐" and m.leave_names == "王二（住院）" and m.absent_names == "赵三"


@pytest.mark.parametrize("change, field", [
    ({"held_on": "tomorrow"}, "held_on"),
    ({"kind": MeetingKind.LESSON, "speaker": ""}, "speaker"),
    ({"kind": MeetingKind.LESSON, "lesson_form": "micro", "speaker": "  "}, "speaker"),
    ({"topic": "   "}, "topic"),
    ({"kind": "party"}, "kind"),
    ({"attendance": "outsider"}, "attendance"),
    ({"attendance": "leave"}, "attendance"),
    ({"attendance": "twice"}, "attendance"),
])
def test_bad_input_is_a_field_error_and_writes_nothing(street, people, change, field):
    before = _counts()
    change = dict(change)
    if change.get("held_on") == "tomorrow":
        change["held_on"] = timezone.localdate() + dt.timedelta(days=1)
    lines = {"outsider": [{"member": street.member_b, "status": "present"}],
             "leave": [{"member": street.member_a, "status": "leave", "leave_reason": " "}],
             "twice": [{"member": street.member_a, "status": "present"}] * 2}
    if "attendance" in change:
        change["attendance"] = lines[change["attendance"]]
    with pytest.raises(ValidationFailed) as e:
        _record(people.insider, street.org_a, [street.member_a], **change)
    assert field in e.value.field_errors
    assert _counts() == before


def test_the_member_not_in_the_organization_is_named(street, people):
    with pytest.raises(ValidationFailed) as e:
        _record(people.insider, street.org_a, [street.member_b])
    assert "李石库" in e.value.field_errors["attendance"][0]


def test_a_lesson_keeps_its_speaker_and_form(street, people):
    m = _record(people.insider, street.org_a, kind=MeetingKind.LESSON, speaker="楼宇党委书记", lesson_form="walking")
    assert (m.speaker, m.lesson_form) == ("楼宇党委书记", "walking")
    standard = _record(people.insider, street.org_a, kind=MeetingKind.LESSON, speaker_member=street.member_a)
    assert (standard.speaker, standard.lesson_form, standard.speaker_member) == ("张梧桐", "standard", street.member_a)
    plain = _record(people.insider, street.org_a, lesson_form="micro")
    assert plain.lesson_form == ""  # only lessons have a form


def test_scope_out_of_scope_is_not_found_and_no_capability_is_forbidden(street, people):
    with pytest.raises(NotFound):
        _record(people.outsider, street.org_a)
    with pytest.raises(Forbidden):
        _record(people.colleague, street.org_a)
    with pytest.raises(Forbidden):
        _record(people.resident, street.org_a)
    m = _record(people.insider, street.org_a)
    with pytest.raises(NotFound):
        services.edit_meeting(m, actor=people.outsider, kind=m.kind, held_on=m.held_on, topic="改")
    assert _record(people.admin, street.org_b).org == street.org_b


def test_editing_replaces_the_attendance(street, people):
    other = factories.party_member(street.org_a, name="王二")
    m = _record(people.insider, street.org_a, [street.member_a, other])
    services.edit_meeting(m, actor=people.insider, kind=MeetingKind.COMMITTEE, held_on=m.held_on, topic="支委会",
                          attendance=[{"member": other, "status": "leave", "leave_reason": "出差"}])
    m.refresh_from_db()
    assert m.kind == MeetingKind.COMMITTEE and m.topic == "支委会"
    assert list(m.attendance.values_list("member__name", "status", "leave_reason")) == [("王二", "leave", "出差")]


def test_photos_are_added_and_served_only_in_scope(street, people):
    m = _record(people.insider, street.org_a)
    services.add_meeting_photos(m, actor=people.insider, photos=[png()])
    photo = MeetingPhoto.objects.get(meeting=m)
    assert photo.image.name.startswith("orglife_meetings/")
    assert selectors.photo_for_file(people.insider, photo.image.name) == photo
    assert selectors.photo_for_file(people.outsider, photo.image.name) is None
    with pytest.raises(ValidationFailed):
        services.add_meeting_photos(m, actor=people.insider, photos=[])
    with pytest.raises(NotFound):
        services.add_meeting_photos(m, actor=people.outsider, photos=[png()])


def test_compliance_turns_from_due_to_met_and_a_past_month_stays_missed(street, people):
    today = timezone.localdate()
    month = today.month

    def status(kind):
        grid = selectors.compliance_year(street.org_a, today.year, today=today)
        return next(c for c in grid[month] if c.kind == kind).status

    assert status(MeetingKind.THEME_DAY) == "due"
    assert status(MeetingKind.TALK) == "optional"
    _record(people.insider, street.org_a, [street.member_a])
    assert status(MeetingKind.THEME_DAY) == "met"
    if month > 1:
        grid = selectors.compliance_year(street.org_a, today.year, today=today)
        assert next(c for c in grid[month - 1] if c.kind == MeetingKind.THEME_DAY).status == "missed"


def test_a_requirement_changes_the_rule_for_the_region(street, people):
    row = services.set_requirement(actor=people.admin, region=street.area_a, kind=MeetingKind.THEME_DAY,
                                   frequency=Frequency.QUARTERLY, remind_days=10)
    rules = selectors.frequencies_for(street.org_a)
    assert rules[MeetingKind.THEME_DAY].frequency == "quarterly" and rules[MeetingKind.THEME_DAY].remind_days == 10
    assert selectors.frequencies_for(street.org_b)[MeetingKind.THEME_DAY].frequency == "monthly"
    services.set_requirement(actor=people.admin, region=street.area_a, kind=MeetingKind.THEME_DAY,
                             frequency=Frequency.YEARLY, remind_days=3)
    row.refresh_from_db()
    assert row.frequency == "yearly"  # one row per region and kind
    with pytest.raises(Forbidden):
        services.set_requirement(actor=people.insider, region=street.area_a, kind=MeetingKind.THEME_DAY,
                                 frequency=Frequency.MONTHLY, remind_days=7)
    with pytest.raises(ValidationFailed) as e:
        services.set_requirement(actor=people.admin, region=street.area_a, kind=MeetingKind.THEME_DAY,
                                 frequency="weekly", remind_days=-1)
    assert set(e.value.field_errors) == {"frequency", "remind_days"}
    table = {r["kind"]: r for r in selectors.requirement_table(street.area_a)}
    assert table["theme_day"]["own"] and table["committee"]["default"] == "monthly"
    services.clear_requirement(actor=people.admin, region=street.area_a, kind=MeetingKind.THEME_DAY)
    assert selectors.frequencies_for(street.org_a)[MeetingKind.THEME_DAY].frequency == "monthly"


def test_study_records_per_member_in_scope(street, people):
    s = services.add_study(actor=people.insider, member=street.member_a, subject="四史", title="党史学习",
                           studied_on=timezone.localdate(), hours="2.5")
    assert s.hours == Decimal("2.5") and s.recorded_by == people.insider
    assert list(selectors.studies_for(people.insider, {"member": str(street.member_a.pk)})) == [s]
    assert not selectors.studies_for(people.outsider).exists()
    with pytest.raises(NotFound):
        services.add_study(actor=people.outsider, member=street.member_a, subject="四史", title="x",
                           studied_on=timezone.localdate(), hours=1)
    with pytest.raises(ValidationFailed) as e:
        services.add_study(actor=people.insider, member=street.member_a, subject="", title="x",
                           studied_on=timezone.localdate() + dt.timedelta(days=1), hours=0)
    assert set(e.value.field_errors) == {"subject", "studied_on", "hours"}
    assert StudyRecord.objects.count() == 1


def test_the_demo_seeder_refuses_a_user_and_a_future_meeting(street):
    with pytest.raises(Forbidden):
        services.seed_meetings([], actor=factories.user("u"))
    future = Meeting(org=street.org_a, kind="theme_day", held_on=timezone.localdate() + dt.timedelta(days=1),
                     topic="x")
    with pytest.raises(ValueError):
        services.seed_meetings([(future, [])], actor=SYSTEM)
