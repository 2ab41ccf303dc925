"""The activities API: the open board (scoped to the caller's sub-district), an activity, signing up (consent the
first time, 409 when full, the waiting list) and cancelling one's own sign-up; the staff list and roster, and the
organiser's check-in, check-out (hours credited once, bad hours 422) and absent."""

from __future__ import annotations

import json
from datetime import timedelta

from gongzhi.accounts.roles import Role
from gongzhi.registry.models import RegionKind
from gongzhi.volunteering.models import HoursEntry, SignUp, Volunteer
from gongzhi.volunteering.workflow import SignUpState
from tests import factories
from tests.conftest import login
from tests.volunteering import factories as vf

API = "/api/v1/volunteering"


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_a_member_signs_up_with_consent_and_cancels(client, street, people):
    activity = vf.activity(street.area_a, title="滨江步道巡护", capacity=1)
    shift = activity.shifts.get()
    u = factories.user("member", Role.PARTY_MEMBER, street.grid_a1, display_name="张梧桐")
    login(client, u)
    r = client.get(f"{API}/activities/open")
    assert r.status_code == 200 and [a["id"] for a in r.json()["items"]] == [activity.pk]
    r = client.get(f"{API}/activities/{activity.pk}")
    assert r.status_code == 200 and r.json()["shifts"][0]["free"] == 1 and r.json()["actions"] == []
    r = post(client, f"{API}/shifts/{shift.pk}/sign-up")
    assert r.status_code == 422 and "consent" in r.json()["errors"]
    assert not Volunteer.objects.exists() and not SignUp.objects.exists()
    r = post(client, f"{API}/shifts/{shift.pk}/sign-up", {"consent": True})
    assert r.status_code == 201, r.content
    assert r.json()["state"] == SignUpState.CONFIRMED and r.json()["activity"] == "滨江步道巡护"
    pk = r.json()["id"]
    r = post(client, f"{API}/shifts/{shift.pk}/sign-up")
    assert r.status_code == 409 and r.json()["code"] == "already_signed_up"
    assert [s["id"] for s in client.get(f"{API}/signups/mine").json()] == [pk]
    r = post(client, f"{API}/signups/{pk}/cancel")
    assert r.status_code == 200 and r.json()["state"] == SignUpState.CANCELLED
    assert post(client, f"{API}/signups/{pk}/cancel").status_code == 404  # no longer a coming sign-up
    assert client.get(f"{API}/signups/mine").json() == []


def test_a_full_shift_answers_409_and_the_waiting_list_takes_who_asks(client, street, people):
    shift = vf.activity(street.area_a, capacity=1).shifts.get()
    vf.signup(shift)
    login(client, people.resident)
    r = post(client, f"{API}/shifts/{shift.pk}/sign-up", {"consent": True})
    assert r.status_code == 409 and r.json()["code"] == "shift_full"
    assert SignUp.objects.count() == 1
    r = post(client, f"{API}/shifts/{shift.pk}/sign-up", {"consent": True, "wait": True})
    assert r.status_code == 201 and r.json()["state"] == SignUpState.WAITING
    assert post(client, f"{API}/shifts/999999/sign-up", {"consent": True}).status_code == 404
    assert post(client, f"{API}/shifts/{shift.pk}/sign-up", {"consent": "yes"}).status_code == 422


def test_the_board_shows_the_callers_sub_district_only(client, street, people):
    here = vf.activity(street.area_b, title="石库门活动")
    other_sub = factories.region(RegionKind.SUBDISTRICT, street.district, "另一街道")
    other_area = factories.region(RegionKind.RESIDENTIAL_AREA, other_sub, "另一居民区")
    there = vf.activity(other_area, title="别处活动")
    login(client, people.resident)
    assert [a["id"] for a in client.get(f"{API}/activities/open").json()["items"]] == [here.pk]
    assert client.get(f"{API}/activities/{there.pk}").status_code == 404
    r = post(client, f"{API}/shifts/{there.shifts.get().pk}/sign-up", {"consent": True})
    assert r.status_code == 404 and not SignUp.objects.exists()
    viewer = factories.user("viewer", Role.DISTRICT_VIEWER, street.district)
    login(client, viewer)
    assert {a["id"] for a in client.get(f"{API}/activities/open").json()["items"]} == {here.pk, there.pk}


def test_the_organiser_checks_in_and_out_once_and_marks_absent(client, street, people):
    activity = vf.activity(street.area_a, starts_in=timedelta(minutes=-30), hours=2)
    shift = activity.shifts.get()
    first, second = vf.signup(shift), vf.signup(shift)
    login(client, people.colleague)
    assert client.get(f"{API}/activities").status_code == 403
    assert client.get(f"{API}/activities/{activity.pk}/roster").status_code == 403
    login(client, people.outsider)
    assert client.get(f"{API}/activities", {"when": "all"}).json()["items"] == []
    assert post(client, f"{API}/signups/{first.pk}/check-in").status_code == 404
    login(client, people.insider)
    assert [a["id"] for a in client.get(f"{API}/activities", {"when": "all"}).json()["items"]] == [activity.pk]
    roster = client.get(f"{API}/activities/{activity.pk}/roster").json()
    assert {r["id"] for r in roster} == {first.pk, second.pk} and "check_in" in roster[0]["actions"]
    assert post(client, f"{API}/signups/{first.pk}/check-out").status_code == 409  # not checked in
    r = post(client, f"{API}/signups/{first.pk}/check-in")
    assert r.status_code == 200 and r.json()["state"] == SignUpState.PRESENT
    r = post(client, f"{API}/signups/{first.pk}/check-out", {"hours": "25"})
    assert r.status_code == 422 and "hours" in r.json()["errors"] and not HoursEntry.objects.exists()
    r = post(client, f"{API}/signups/{first.pk}/check-out", {"hours": "1.5"})
    assert r.status_code == 200 and r.json()["state"] == SignUpState.ATTENDED and r.json()["hours"] == "1.50"
    assert post(client, f"{API}/signups/{first.pk}/check-out").status_code == 409
    assert HoursEntry.objects.count() == 1
    r = post(client, f"{API}/signups/{second.pk}/mark-absent")
    assert r.status_code == 200 and r.json()["state"] == SignUpState.ABSENT
