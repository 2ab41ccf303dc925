"""The meetings API (/api/v1/orglife/): the list and the detail with attendance are scoped, a meeting is recorded
with its attendance (201; 422 with field errors on bad input, 404 outside the scope) and an organization's
compliance for a year shows the status of each month and kind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.orglife.models import Meeting
from tests.conftest import login
from tests.orglife.factories import meeting

pytestmark = pytest.mark.django_db
API = "/api/v1/orglife"


def test_the_list_and_the_detail_are_scoped(client, street, people):
    a = meeting(street.org_a, present=[street.member_a], topic="梧桐主题党日")
    meeting(street.org_b, present=[street.member_b], topic="石库门主题党日")
    listed = login(client, people.insider).get(f"{API}/meetings").json()
    assert [m["topic"] for m in listed["items"]] == ["梧桐主题党日"]
    detail = client.get(f"{API}/meetings/{a.pk}").json()
    assert detail["attendance"] == [{"member_id": street.member_a.pk, "member": "张梧桐", "status": "present",
                                     "leave_reason": ""}]
    assert detail["can_edit"] is True
    assert client.get(f"{API}/meetings", {"kind": "lesson"}).json()["items"] == []
    assert login(client, people.outsider).get(f"{API}/meetings/{a.pk}").status_code == 404
    assert login(client, people.colleague).get(f"{API}/meetings").status_code == 403


def test_recording_a_meeting_and_the_422s(client, street, people):
    login(client, people.insider)
    today = timezone.localdate()
    body = {"org": street.org_a.pk, "kind": "theme_day", "held_on": today.isoformat(), "topic": "重温入党誓词",
            "attendance": [{"member": street.member_a.pk, "status": "leave", "leave_reason": "住院"}]}
    r = client.post(f"{API}/meetings", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["attendance"][0]["leave_reason"] == "住院"
    bad = {**body, "held_on": (today + dt.timedelta(days=1)).isoformat(),
           "attendance": [{"member": street.member_b.pk, "status": "present"}]}
    r = client.post(f"{API}/meetings", bad, content_type="application/json")
    assert r.status_code == 422 and {"held_on", "attendance"} <= set(r.json()["errors"])
    r = client.post(f"{API}/meetings", {**body, "kind": "lesson"}, content_type="application/json")
    assert r.status_code == 422 and "speaker" in r.json()["errors"]
    r = client.post(f"{API}/meetings", {**body, "org": street.org_b.pk}, content_type="application/json")
    assert r.status_code == 404
    assert Meeting.objects.count() == 1


def test_the_compliance_of_an_organization(client, street, people):
    today = timezone.localdate()
    meeting(street.org_a, "theme_day", held_on=today)
    data = login(client, people.insider).get(f"{API}/compliance/{street.org_a.pk}", {"year": today.year}).json()
    cell = next(c for c in data["cells"] if c["month"] == today.month and c["kind"] == "theme_day")
    assert cell["status"] == "met" and cell["held_in_month"] == 1 and data["org"] == street.org_a.name
    assert len(data["cells"]) == 12 * 8
    assert client.get(f"{API}/compliance/{street.org_b.pk}").status_code == 404
