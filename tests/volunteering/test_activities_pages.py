"""Pages of the activities part: the organisers' list, form (Chinese field errors), roster with check-in and
check-out, cancelling; the H5 board, sign-up with consent and its refusals, my volunteering, the certificate page
and its xlsx (rows and total)."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from openpyxl import load_workbook

from gongzhi.accounts.roles import Role
from gongzhi.volunteering.models import Activity, HoursEntry, SignUp
from gongzhi.volunteering.services import activities as services
from gongzhi.volunteering.services.volunteers import credit_hours
from gongzhi.volunteering.workflow import ActivityState, SignUpState
from tests import factories
from tests.conftest import login
from tests.volunteering import factories as vf

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _fmt(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_list_shows_scope_and_filters(client, street, people):
    mine = vf.activity(street.area_a, title="滨江步道巡护")
    vf.activity(street.area_b, title="石库门活动")
    vf.activity(street.area_a, title="去年活动", starts_in=-timedelta(days=300))
    login(client, people.insider)
    body = client.get(reverse("volunteering:activities")).content.decode()
    assert mine.title in body and "石库门活动" not in body and "去年活动" not in body
    past = client.get(reverse("volunteering:activities"), {"when": "past"}).content.decode()
    assert "去年活动" in past and mine.title not in past
    assert "滨江" not in client.get(reverse("volunteering:activities"), {"q": "没有"}).content.decode()
    login(client, people.colleague)
    assert client.get(reverse("volunteering:activities")).status_code == 403


def test_create_form_with_shifts_and_chinese_errors(client, street, people):
    team = vf.team(street.area_a, name="梧桐志愿服务队")
    login(client, people.insider)
    start = timezone.now() + timedelta(days=5)
    data = {"title": "党员专家在行动", "organiser_kind": "team", "team": team.pk, "location": "楼宇站",
            "starts_at": _fmt(start), "ends_at": _fmt(start - timedelta(hours=1)),
            "shifts-TOTAL_FORMS": "1", "shifts-INITIAL_FORMS": "0", "shifts-MIN_NUM_FORMS": "1",
            "shifts-MAX_NUM_FORMS": "20", "shifts-0-name": "咨询", "shifts-0-starts_at": _fmt(start),
            "shifts-0-ends_at": _fmt(start + timedelta(hours=2)), "shifts-0-capacity": "0"}
    r = client.post(reverse("volunteering:activity_create"), data, **ZH)
    assert r.status_code == 422
    body = r.content.decode()
    with override("zh-hans"):  # Chinese once the lead compiles the part's catalogue
        assert gettext("The end must be after the start.") in body and not Activity.objects.exists()
        assert gettext("The places must be at least 1.") in body
    data["ends_at"] = _fmt(start + timedelta(hours=2))
    data["shifts-0-capacity"] = "3"
    r = client.post(reverse("volunteering:activity_create"), data)
    a = Activity.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("volunteering:activity", args=[a.pk])
    assert a.shifts.get().capacity == 3 and a.team == team


def test_roster_check_in_out_credits_and_prints(client, street, people):
    activity = vf.activity(street.area_a, starts_in=-timedelta(hours=3), hours=2)
    s = vf.signup(activity.shifts.get())
    login(client, people.insider)
    page = client.get(reverse("volunteering:activity", args=[activity.pk])).content.decode()
    assert "data-print" in page and s.volunteer.name in page and 'value="check_in"' in page
    url = reverse("volunteering:signup_roster", args=[s.pk])
    client.post(url, {"action": "check_out"})  # before the check-in: refused
    assert not HoursEntry.objects.exists()
    client.post(url, {"action": "check_in"})
    client.post(url, {"action": "check_out"})
    client.post(url, {"action": "check_out"})
    s.refresh_from_db()
    assert s.state == SignUpState.ATTENDED and HoursEntry.objects.get().hours == Decimal("2.00")
    login(client, people.outsider)
    assert client.get(reverse("volunteering:activity", args=[activity.pk])).status_code == 404


def test_cancel_activity_page_needs_a_reason(client, street, people):
    activity = vf.activity(street.area_a)
    login(client, people.insider)
    url = reverse("volunteering:activity_act", args=[activity.pk])
    client.post(url, {"action": "cancel", "note": ""})
    activity.refresh_from_db()
    assert activity.state == ActivityState.OPEN
    client.post(url, {"action": "cancel", "note": "暴雨"})
    activity.refresh_from_db()
    assert activity.state == ActivityState.CANCELLED


def test_h5_sign_up_consent_full_and_waiting(client, street):
    u = factories.user("member1", Role.PARTY_MEMBER, street.grid_a1, display_name="党员甲")
    other = factories.user("member2", Role.PARTY_MEMBER, street.grid_a1, display_name="党员乙")
    activity = vf.activity(street.area_a, title="滨江步道巡护", capacity=1)
    shift = activity.shifts.get()
    login(client, u)
    board = client.get(reverse("volunteering:h5_activities")).content.decode()
    assert "滨江步道巡护" in board
    url = reverse("volunteering:h5_sign_up", args=[shift.pk])
    r = client.post(url, {}, **ZH)
    with override("zh-hans"):
        consent = gettext("A volunteer's data is stored only with their consent.")
        full = gettext("This shift is full. You may join its waiting list.")
    assert r.status_code == 422 and consent in r.content.decode() and not SignUp.objects.exists()
    r = client.post(url, {"consent": "1"})
    assert r.status_code == 302 and SignUp.objects.get().state == SignUpState.CONFIRMED
    r = client.post(url, {"consent": "1"}, **ZH)
    assert r.status_code == 422 and SignUp.objects.count() == 1
    login(client, other)
    r = client.post(url, {"consent": "1"}, **ZH)
    assert r.status_code == 422 and full in r.content.decode()
    r = client.post(url, {"consent": "1", "wait": "1"})
    assert SignUp.objects.get(volunteer__user=other).state == SignUpState.WAITING
    # the first cancels on "my volunteering": the waiting one moves up
    login(client, u)
    mine = SignUp.objects.get(volunteer__user=u)
    assert "滨江步道巡护" in client.get(reverse("volunteering:my")).content.decode()
    client.post(reverse("volunteering:h5_cancel", args=[mine.pk]))
    assert SignUp.objects.get(volunteer__user=other).state == SignUpState.CONFIRMED


def test_h5_past_activity_is_not_shown(client, street):
    u = factories.user("member1", Role.PARTY_MEMBER, street.grid_a1)
    past = vf.activity(street.area_b, title="过去的活动", starts_in=-timedelta(days=3))
    login(client, u)
    assert "过去的活动" not in client.get(reverse("volunteering:h5_activities")).content.decode()
    assert client.get(reverse("volunteering:h5_activity", args=[past.pk])).status_code == 404


def _with_hours(street, user=None):
    vol = vf.volunteer(street.area_a, name="张志愿", user=user)
    a1 = vf.activity(street.area_a, title="党员专家在行动", starts_in=-timedelta(days=10))
    a2 = vf.activity(street.area_a, title="文化进楼宇", starts_in=-timedelta(days=3))
    for a, h in ((a1, "2.5"), (a2, "3")):
        s = vf.signup(a.shifts.get(), vol, state=SignUpState.PRESENT)
        services.check_out(s, actor=factories.user(None, Role.AREA_SECRETARY, street.area_a), hours=h)
    return vol


def test_certificate_page_and_xlsx(client, street, people):
    u = factories.user("member1", Role.PARTY_MEMBER, street.grid_a1)
    vol = _with_hours(street, user=u)
    login(client, u)
    my = client.get(reverse("volunteering:my")).content.decode()
    assert "5.50" in my and reverse("volunteering:certificate", args=[vol.pk]) in my
    page = client.get(reverse("volunteering:certificate", args=[vol.pk])).content.decode()
    assert "data-print" in page and "党员专家在行动" in page and "5.50" in page
    r = client.get(reverse("volunteering:certificate_xlsx", args=[vol.pk]))
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "活动", "日期", "时长（小时）", "组织方")
    assert [(r[0], r[1], r[3]) for r in rows[1:3]] == [("张志愿", "党员专家在行动", 2.5), ("张志愿", "文化进楼宇", 3)]
    assert rows[1][4] and rows[-1][0] == "合计" and rows[-1][3] == 5.5
    # staff in scope see it; another account and out-of-scope staff get 404
    login(client, people.insider)
    assert client.get(reverse("volunteering:certificate", args=[vol.pk])).status_code == 200
    for who in (people.outsider, people.resident):
        login(client, who)
        assert client.get(reverse("volunteering:certificate", args=[vol.pk])).status_code == 404


def test_ledger_total_equals_sum_of_rows(street, people):
    vol = _with_hours(street)
    credit_hours(vol, actor=people.admin, hours="-1", served_on=HoursEntry.objects.first().served_on, kind="correction",
                 note="多记")
    from gongzhi.volunteering.selectors.activities import certificate_rows, rows_total
    from gongzhi.volunteering.selectors.volunteers import total_hours
    rows = certificate_rows(vol)
    assert rows_total(rows) == total_hours(vol) == Decimal("4.50") == sum(r.hours for r in rows)


@pytest.mark.parametrize("lang", ["zh-hans"])
def test_week_card(street, people, lang):
    from gongzhi.volunteering.selectors.activities import week_card
    vf.activity(street.area_a, title="本周活动", starts_in=timedelta(hours=1))
    with override(lang):
        card = week_card(people.insider)
    assert card["count"] >= 1 and any("本周活动" in i["text"] for i in card["items"])
    assert week_card(people.colleague) is None
