"""The activities part's demo: two years of activities up to today (every Thursday's 党员专家在行动, the monthly
文化进楼宇, the riverside patrols, waste-sorting patrols, the area teams' services) with sign-ups and one ledger row
per attended sign-up; a few upcoming open activities with a place for the demo member. One module-scoped seed."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from gongzhi.demo.volunteering import activities as demo
from gongzhi.volunteering.models import Activity, HoursEntry, SignUp
from gongzhi.volunteering.selectors import activities as selectors
from gongzhi.volunteering.workflow import ActivityState, SignUpState
from tests.dbutil import kept, registry_then


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    yield from kept(django_db_blocker, lambda: registry_then(demo.seed, "volunteering.activities"))


@pytest.mark.django_db
def test_two_years_of_activities_with_hours(seeded):
    today = timezone.localdate()
    thursdays = Activity.objects.filter(title="党员专家在行动", state=ActivityState.FINISHED)
    assert 100 <= thursdays.count() <= 106
    assert all(timezone.localtime(a.starts_at).weekday() == 3 for a in thursdays)
    first = Activity.objects.order_by("starts_at").first()
    assert timezone.localtime(first.starts_at).date() >= today - timedelta(days=731)
    for title in ("文化进楼宇", "滨江步道巡护", "垃圾分类督导"):
        assert Activity.objects.filter(title=title).count() >= 20, title


@pytest.mark.django_db
def test_one_ledger_row_per_attended_sign_up(seeded):
    attended = SignUp.objects.filter(state=SignUpState.ATTENDED)
    assert attended.count() == HoursEntry.objects.count() > 1000
    assert not attended.filter(hours_entry__isnull=True).exists()
    row = HoursEntry.objects.select_related("signup__shift").first()
    assert row.organiser and row.activity_id == row.signup.shift.activity_id
    total = HoursEntry.objects.aggregate(t=Sum("hours"))["t"]
    assert total == sum(h.hours for h in HoursEntry.objects.all())


@pytest.mark.django_db
def test_upcoming_open_activities_with_a_place_for_member1(seeded):
    member1 = seeded.users["member1"]
    open_ = selectors.open_activities(member1)
    assert open_.count() >= 3
    assert any(s.free for a in open_ for s in selectors.shifts_of(a))
    assert not SignUp.objects.filter(volunteer__user=member1).exists()


@pytest.mark.django_db
def test_the_seed_is_timed(seeded):
    print("activities demo", seeded.timings["volunteering.activities"])
    assert seeded.extra["volunteer_activities"] == Activity.objects.count()
