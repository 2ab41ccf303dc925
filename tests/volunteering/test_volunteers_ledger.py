"""The hours ledger: staff corrections (a reason required, positive or negative), the 24-hour day as a field
error, the page's and the selector's total equal to the sum of the rows; and the property: for any sequence of
credits and corrections (some refused), the total is the sum of the rows, equals a plain model of the rules, and
no day passes 24 hours or falls below zero."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongzhi.core.errors import Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.volunteering.models import HoursEntry, HoursKind
from gongzhi.volunteering.selectors import volunteers as selectors
from gongzhi.volunteering.services import volunteers as services
from tests.conftest import login
from tests.volunteering import factories as f

TODAY = timezone.localdate()


@pytest.fixture
def vol(street):
    return f.volunteer(street.area_a, "陈志愿")


def test_a_correction_needs_a_reason_and_may_be_negative(people, vol):
    services.credit_hours(vol, actor=SYSTEM, hours="3", served_on=TODAY, organiser="梧桐志愿服务队")
    with pytest.raises(ValidationFailed) as e:
        services.correct_hours(vol, actor=people.insider, hours="-1", served_on=TODAY, note="  ")
    assert "note" in e.value.field_errors
    row = services.correct_hours(vol, actor=people.insider, hours="-1", served_on=TODAY, note="提前离开")
    assert (row.kind, row.hours, row.recorded_by) == (HoursKind.CORRECTION, Decimal("-1.00"), people.insider)
    assert selectors.total_hours(vol) == Decimal("2.00")
    with pytest.raises(ValidationFailed) as e:  # more than the day has
        services.correct_hours(vol, actor=people.insider, hours="-2.5", served_on=TODAY, note="再减")
    assert "hours" in e.value.field_errors
    assert HoursEntry.objects.filter(volunteer=vol).count() == 2


def test_more_than_24_hours_in_a_day_is_a_field_error(people, vol):
    day = TODAY - timedelta(days=1)
    services.credit_hours(vol, actor=SYSTEM, hours="20", served_on=day)
    with pytest.raises(ValidationFailed) as e:
        services.correct_hours(vol, actor=people.insider, hours="4.5", served_on=day, note="补登")
    assert list(e.value.field_errors) == ["hours"]
    services.correct_hours(vol, actor=people.insider, hours="4", served_on=day, note="补登")
    assert selectors.hours_on(vol, day) == Decimal("24.00")
    for bad in ("25", "0", "1.234", "abc"):
        with pytest.raises(ValidationFailed):
            services.correct_hours(vol, actor=people.insider, hours=bad, served_on=TODAY, note="x")
    with pytest.raises(ValidationFailed) as e:
        services.correct_hours(vol, actor=people.insider, hours="1", served_on=TODAY + timedelta(days=1), note="x")
    assert "served_on" in e.value.field_errors


def test_only_managers_in_scope_correct(people, vol):
    with pytest.raises(NotFound):
        services.correct_hours(vol, actor=people.outsider, hours="1", served_on=TODAY, note="x")
    with pytest.raises(Forbidden):
        services.correct_hours(vol, actor=people.colleague, hours="1", served_on=TODAY, note="x")
    assert not HoursEntry.objects.exists()


def test_the_page_shows_the_rows_and_their_sum(client, people, vol):
    activity = f.activity(vol.region, title="滨江步道巡护")
    services.credit_hours(vol, actor=SYSTEM, hours="2.5", served_on=TODAY - timedelta(days=2), activity=activity,
                          organiser="滨江一号志愿服务队")
    services.correct_hours(vol, actor=people.insider, hours="-0.75", served_on=TODAY - timedelta(days=2),
                           note="签退时间有误")
    page = login(client, people.insider).get(f"/volunteering/volunteers/{vol.pk}/").content.decode()
    assert "滨江步道巡护" in page and "滨江一号志愿服务队" in page and "签退时间有误" in page
    assert 'id="ledger-total">1.75<' in page and 'id="total">1.75<' in page


def test_a_correction_through_the_page_with_chinese_field_errors(client, people, vol):
    c = login(client, people.insider)
    url = f"/volunteering/volunteers/{vol.pk}/hours/correct/"
    r = c.post(url, {"served_on": TODAY.isoformat(), "hours": "25", "note": "补登"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == 422 and not HoursEntry.objects.exists()
    r = c.post(url, {"served_on": TODAY.isoformat(), "hours": "2", "note": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == 422 and 'id="row-note"' in r.content.decode()
    r = c.post(url, {"served_on": TODAY.isoformat(), "hours": "2", "note": "补登"})
    assert r.status_code == 302 and selectors.total_hours(vol) == Decimal("2.00")
    assert login(client, people.outsider).post(url, {"served_on": TODAY.isoformat(), "hours": "2",
                                                     "note": "越界"}).status_code == 404


DAYS = st.integers(min_value=0, max_value=3)
HOURS = st.decimals(min_value=Decimal("-24"), max_value=Decimal("24"), places=2)
OPS = st.lists(st.tuples(st.sampled_from(["credit", "correct"]), DAYS, HOURS), max_size=20)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_the_total_is_always_the_sum_of_the_rows_and_no_day_passes_24_hours(people, street, ops):
    vol = f.volunteer(street.area_a)
    days: dict = defaultdict(Decimal)
    for op, back, hours in ops:
        day = TODAY - timedelta(days=back)
        before = HoursEntry.objects.filter(volunteer=vol).count()
        try:
            if op == "credit":
                services.credit_hours(vol, actor=SYSTEM, hours=hours, served_on=day, organiser="队")
            else:
                services.correct_hours(vol, actor=people.insider, hours=hours, served_on=day, note="更正")
        except ValidationFailed as e:
            assert "hours" in e.field_errors
            assert (hours == 0 or (op == "credit" and hours < 0) or not 0 <= days[day] + hours <= 24)
            assert HoursEntry.objects.filter(volunteer=vol).count() == before
        else:
            assert hours != 0 and (op == "correct" or hours > 0)
            days[day] += hours
        assert 0 <= days[day] <= 24
    rows = HoursEntry.objects.filter(volunteer=vol)
    expected = sum(days.values(), Decimal(0))
    assert selectors.total_hours(vol) == expected
    assert (rows.aggregate(t=Sum("hours"))["t"] or 0) == expected
    assert selectors.volunteer_detail(people.insider, vol.pk).total == expected
    assert all(0 <= t <= 24 for t in selectors.day_totals(vol).values())
    assert selectors.day_totals(vol) == {d: t for d, t in days.items() if rows.filter(served_on=d).exists()}
