"""The activities part's services: creating activities and series, sign-up rules (consent, closed, past, full,
twice), the waiting list and its promotion, check-in and check-out crediting hours once, finishing, cancelling."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands.models import Notification
from gongzhi.volunteering.models import (
    Activity,
    HoursEntry,
    OrganiserKind,
    Recurrence,
    SignUp,
    SignUpTransition,
)
from gongzhi.volunteering.selectors.volunteers import total_hours
from gongzhi.volunteering.services import activities as services
from gongzhi.volunteering.services.volunteers import get_or_create_volunteer_for
from gongzhi.volunteering.workflow import ActivityState, SignUpState
from tests import factories
from tests.volunteering import factories as vf


def _user(street, name):
    return factories.user(name, Role.RESIDENT, street.grid_a1, display_name=name)


def _vol_user(street, name):
    u = _user(street, name)
    get_or_create_volunteer_for(u, actor=u, consent=True)
    return u


def _past_activity(street, hours=2, **kw):
    """An activity that started `hours`+1 hours ago (check-in is open)."""
    return vf.activity(street.area_a, starts_in=-timedelta(hours=hours + 1), hours=hours, **kw)


def test_create_activity_with_shifts_in_scope(street, people):
    team = vf.team(street.area_a)
    start = timezone.now() + timedelta(days=3)
    a = services.create_activity(
        actor=people.insider, title="党员专家在行动", organiser_kind=OrganiserKind.TEAM, organiser=team.pk,
        starts_at=start, ends_at=start + timedelta(hours=3), location="梧桐楼宇党建服务站",
        shifts=[services.ShiftInput("引导员", start, start + timedelta(hours=1), 2),
                services.ShiftInput("咨询", start, start + timedelta(hours=3), 5)])
    assert a.state == ActivityState.OPEN and a.region == street.area_a and a.team == team
    assert [s.capacity for s in a.shifts.order_by("position")] == [2, 5]
    assert a.transitions.get().action == "publish"
    # outside the organiser's scope: a field error, nothing written
    other = vf.team(street.area_b)
    with pytest.raises(ValidationFailed) as e:
        services.create_activity(actor=people.insider, title="越界", organiser_kind=OrganiserKind.TEAM,
                                 organiser=other.pk, starts_at=start, ends_at=start + timedelta(hours=1),
                                 location="x", capacity=3)
    assert "team" in e.value.field_errors
    assert not Activity.objects.filter(title="越界").exists()


def test_create_activity_refuses_bad_times_and_capacity(street, people):
    team = vf.team(street.area_a)
    start = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationFailed) as e:
        services.create_activity(actor=people.insider, title="t", organiser_kind=OrganiserKind.TEAM,
                                 organiser=team, starts_at=start, ends_at=start - timedelta(hours=1),
                                 location="x", capacity=0)
    assert "ends_at" in e.value.field_errors and "shifts" in e.value.field_errors
    with pytest.raises(Forbidden):
        services.create_activity(actor=people.colleague, title="t", organiser_kind=OrganiserKind.TEAM,
                                 organiser=team, starts_at=start, ends_at=start + timedelta(hours=1), location="x",
                                 capacity=1)
    assert Activity.objects.count() == 0


def test_unit_liaison_organises_only_their_unit(street):
    liaison = factories.user("liaison", Role.UNIT_LIAISON, unit=street.unit_a)
    start = timezone.now() + timedelta(days=3)
    a = services.create_activity(actor=liaison, title="医院义诊", organiser_kind=OrganiserKind.UNIT,
                                 organiser=street.unit_a, starts_at=start, ends_at=start + timedelta(hours=2),
                                 location="门诊楼", capacity=4)
    assert a.unit == street.unit_a
    with pytest.raises(ValidationFailed):
        services.create_activity(actor=liaison, title="别家", organiser_kind=OrganiserKind.UNIT,
                                 organiser=street.unit_b, starts_at=start, ends_at=start + timedelta(hours=2),
                                 location="x", capacity=4)
    services.close_signup(a, actor=liaison)
    area_activity = vf.activity(street.area_a)
    with pytest.raises(NotFound):
        services.close_signup(area_activity, actor=liaison)


def test_weekly_and_monthly_series_generate_their_dates(street, people):
    team = vf.team(street.area_a)
    s = services.create_series(actor=people.insider, title="党员专家在行动", organiser_kind=OrganiserKind.TEAM,
                               organiser=team, recurrence=Recurrence.WEEKLY, weekday=4,
                               starts_on=date(2030, 1, 1), ends_on=date(2030, 1, 31), start_time=time(14),
                               end_time=time(16), location="楼宇站", capacity=6, shift_names=["咨询", "引导"])
    days = [timezone.localtime(a.starts_at).date() for a in s.activities.order_by("starts_at")]
    assert days == [date(2030, 1, 3), date(2030, 1, 10), date(2030, 1, 17), date(2030, 1, 24), date(2030, 1, 31)]
    assert all(a.shifts.count() == 2 for a in s.activities.all())
    m = services.create_series(actor=people.insider, title="文化进楼宇", organiser_kind=OrganiserKind.TEAM,
                               organiser=team, recurrence=Recurrence.MONTHLY, day_of_month=31,
                               starts_on=date(2030, 1, 1), ends_on=date(2030, 5, 31), start_time=time(9),
                               end_time=time(11), location="楼宇", capacity=3)
    assert sorted(timezone.localtime(a.starts_at).date().month for a in m.activities.all()) == [1, 3, 5]
    with pytest.raises(ValidationFailed) as e:
        services.create_series(actor=people.insider, title="x", organiser_kind=OrganiserKind.TEAM, organiser=team,
                               recurrence=Recurrence.WEEKLY, weekday=None, starts_on=date(2030, 1, 1),
                               ends_on=date(2029, 1, 1), start_time=time(9), end_time=time(8), location="x",
                               capacity=0)
    assert {"weekday", "ends_on", "end_time", "capacity"} <= set(e.value.field_errors)


def test_first_sign_up_needs_consent(street):
    u = _user(street, "新志愿者")
    shift = vf.activity(street.area_a).shifts.get()
    with pytest.raises(ValidationFailed) as e:
        services.sign_up(shift, actor=u, consent=False)
    assert "consent" in e.value.field_errors and not SignUp.objects.exists()
    s = services.sign_up(shift, actor=u, consent=True)
    assert s.state == SignUpState.CONFIRMED and s.volunteer.user == u and s.volunteer.consented_at
    assert s.volunteer.region == street.grid_a1
    assert s.transitions.get().action == "sign_up"


def test_party_member_volunteer_is_found_through_the_member(street):
    u = _user(street, "党员")
    street.member_a.user = u
    street.member_a.save()
    vol = vf.volunteer(street.area_a, party_member=street.member_a)
    shift = vf.activity(street.area_a).shifts.get()
    assert services.sign_up(shift, actor=u).volunteer == vol


def test_refusals_write_nothing(street):
    u = _vol_user(street, "志愿者甲")
    closed = vf.activity(street.area_a, state=ActivityState.CLOSED).shifts.get()
    cancelled = vf.activity(street.area_a, state=ActivityState.CANCELLED).shifts.get()
    past = _past_activity(street).shifts.get()
    for shift, code in ((closed, "signup_closed"), (cancelled, "activity_cancelled"), (past, "activity_past")):
        with pytest.raises(Conflict) as e:
            services.sign_up(shift, actor=u, consent=True)
        assert e.value.code == code
    assert not SignUp.objects.exists() and not SignUpTransition.objects.exists()
    shift = vf.activity(street.area_a).shifts.get()
    services.sign_up(shift, actor=u)
    with pytest.raises(Conflict) as e:
        services.sign_up(shift, actor=u)
    assert e.value.code == "already_signed_up" and SignUp.objects.count() == 1


def test_full_shift_refused_unless_waiting_then_promotion_fifo(street, django_capture_on_commit_callbacks):
    shift = vf.activity(street.area_a, capacity=1).shifts.get()
    a, b, c = (_vol_user(street, n) for n in ("甲", "乙", "丙"))
    first = services.sign_up(shift, actor=a)
    with pytest.raises(Conflict) as e:
        services.sign_up(shift, actor=b)
    assert e.value.code == "shift_full" and SignUp.objects.count() == 1
    now = timezone.now()
    wb = services.sign_up(shift, actor=b, wait=True, now=now + timedelta(seconds=1))
    wc = services.sign_up(shift, actor=c, wait=True, now=now + timedelta(seconds=2))
    assert wb.state == wc.state == SignUpState.WAITING and wb.waiting_since < wc.waiting_since
    Notification.objects.all().delete()
    with pytest.raises(NotFound):
        services.cancel_signup(first, actor=c)  # not theirs, not an organiser
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_signup(first, actor=a)
    wb.refresh_from_db()
    wc.refresh_from_db()
    assert wb.state == SignUpState.CONFIRMED and wc.state == SignUpState.WAITING
    assert Notification.objects.filter(user=b).count() == 1
    # cancelling a waiting place promotes nobody
    services.cancel_signup(wc, actor=c)
    assert SignUp.objects.filter(shift=shift, state=SignUpState.CONFIRMED).get() == wb


def test_check_in_out_credits_hours_once(street, people):
    activity = _past_activity(street, hours=3)
    shift = activity.shifts.get()
    s = vf.signup(shift)
    with pytest.raises(InvalidTransition):
        services.check_out(s, actor=people.insider)  # before the check-in
    assert not HoursEntry.objects.exists()
    with pytest.raises(NotFound):
        services.check_in(s, actor=people.outsider)
    services.check_in(s, actor=people.insider)
    done = services.check_out(s, actor=people.insider)
    assert done.state == SignUpState.ATTENDED
    entry = HoursEntry.objects.get()
    assert entry.hours == Decimal("3.00") and entry.signup == done and entry.activity == activity
    assert entry.organiser == activity.team.name
    assert entry.served_on == timezone.localtime(shift.starts_at).date()
    with pytest.raises(InvalidTransition):
        services.check_out(s, actor=people.insider)
    assert HoursEntry.objects.count() == 1 and total_hours(s.volunteer) == Decimal("3.00")


def test_check_out_with_entered_hours_and_limits(street, people):
    shift = _past_activity(street).shifts.get()
    s = vf.signup(shift, state=SignUpState.PRESENT)
    with pytest.raises(ValidationFailed):
        services.check_out(s, actor=people.insider, hours="25")
    s.refresh_from_db()
    assert s.state == SignUpState.PRESENT and not HoursEntry.objects.exists()
    services.check_out(s, actor=people.insider, hours="1.5")
    assert HoursEntry.objects.get().hours == Decimal("1.50")


def test_check_in_waits_for_the_day(street, people):
    s = vf.signup(vf.activity(street.area_a, starts_in=timedelta(days=3)).shifts.get())
    with pytest.raises(Conflict):
        services.check_in(s, actor=people.insider)
    s.refresh_from_db()
    assert s.state == SignUpState.CONFIRMED


def test_finish_marks_remaining_confirmed_absent(street, people):
    activity = _past_activity(street)
    shift = activity.shifts.get()
    confirmed = vf.signup(shift)
    present = vf.signup(shift, state=SignUpState.PRESENT)
    services.finish_activity(activity, actor=people.insider)
    confirmed.refresh_from_db()
    assert confirmed.state == SignUpState.ABSENT
    services.check_out(present, actor=people.insider)  # still possible after the finish
    assert HoursEntry.objects.count() == 1
    with pytest.raises(InvalidTransition):
        services.finish_activity(activity, actor=people.insider)


def test_cancel_activity_cancels_live_sign_ups_and_tells_volunteers(street, people,
                                                                    django_capture_on_commit_callbacks):
    activity = vf.activity(street.area_a, capacity=1)
    shift = activity.shifts.get()
    a, b = _vol_user(street, "甲"), _vol_user(street, "乙")
    s1 = services.sign_up(shift, actor=a)
    s2 = services.sign_up(shift, actor=b, wait=True)
    Notification.objects.all().delete()
    with pytest.raises(ValidationFailed):
        services.cancel_activity(activity, actor=people.insider, reason=" ")
    with pytest.raises(NotFound):
        services.cancel_activity(activity, actor=people.outsider, reason="下雨")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_activity(activity, actor=people.insider, reason="台风预警")
    for s in (s1, s2):
        s.refresh_from_db()
        assert s.state == SignUpState.CANCELLED
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"甲", "乙"}
    assert "台风预警" in Notification.objects.first().text
    activity.refresh_from_db()
    assert activity.state == ActivityState.CANCELLED
    assert activity.transitions.order_by("-id").first().note == "台风预警"


def test_close_and_reopen(street, people):
    activity = vf.activity(street.area_a)
    services.close_signup(activity, actor=people.insider)
    with pytest.raises(Conflict):
        services.sign_up(activity.shifts.get(), actor=_vol_user(street, "甲"))
    services.reopen_signup(activity, actor=people.insider)
    activity.refresh_from_db()
    assert activity.state == ActivityState.OPEN
    with pytest.raises(InvalidTransition):
        services.reopen_signup(activity, actor=people.insider)


def test_update_activity_keeps_places_given(street, people):
    activity = vf.activity(street.area_a, capacity=3)
    shift = activity.shifts.get()
    vf.signup(shift)
    vf.signup(shift)
    start = activity.starts_at

    def edit(cap):
        return services.update_activity(activity, actor=people.insider, title="改名", organiser_kind="team",
                                        organiser=activity.team, starts_at=start, ends_at=activity.ends_at,
                                        location="新地点", shift_ids=[shift.pk],
                                        shifts=[services.ShiftInput("志愿者", shift.starts_at, shift.ends_at, cap)])
    with pytest.raises(ValidationFailed):
        edit(1)
    done = edit(2)
    assert done.title == "改名" and done.shifts.get().capacity == 2


def test_system_actor_for_demo(street):
    start = datetime(2030, 1, 1, 9, tzinfo=timezone.get_current_timezone())
    team = vf.team(street.area_b)
    a = services.create_activity(actor=SYSTEM, title="x", organiser_kind="team", organiser=team, starts_at=start,
                                 ends_at=start + timedelta(hours=1), location="x", capacity=1)
    assert a.region == street.area_b
