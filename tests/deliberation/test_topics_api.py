"""The topics API (/api/v1/deliberation/) with bearer tokens: scoped lists and details, a new topic with field
errors, steps (and refusals) with the domain errors' JSON, meetings with attendance, and check-in at the desk."""

import pytest

from gongzhi.accounts import services as account_services
from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models import CheckIn, Topic, TopicSource
from tests.deliberation import topics_world as w
from tests.demands.conftest import submit

BASE = "/api/v1/deliberation"


@pytest.fixture
def bearer(people):
    def make(persona: str):
        _token, key = account_services.issue_token(getattr(people, persona), actor=SYSTEM, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    return make


def post(client, url, data, **extra):
    return client.post(url, data, content_type="application/json", **extra)


def test_topics_are_listed_and_read_within_scope(client, street, people, bearer):
    mine = w.topic(street, title="兰花餐厅油烟扰民")
    w.topic(street, title="石库门停车", area=street.area_b, grid=None)
    listed = client.get(f"{BASE}/topics", **bearer("insider")).json()
    assert [t["title"] for t in listed["items"]] == ["兰花餐厅油烟扰民"]
    assert listed["items"][0]["actions"] == ["accept", "decline"]
    assert client.get(f"{BASE}/topics", {"state": "closed"}, **bearer("insider")).json()["count"] == 0
    assert client.get(f"{BASE}/topics", {"state": "bogus"}, **bearer("insider")).status_code == 422
    grid = client.get(f"{BASE}/topics/{mine.pk}", **bearer("colleague")).json()
    assert grid["title"] == "兰花餐厅油烟扰民" and grid["actions"] == []  # the grid leader reads, does not decide
    missing = client.get(f"{BASE}/topics/{mine.pk}", **bearer("outsider"))
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert client.get(f"{BASE}/topics", **bearer("resident")).status_code == 403
    assert client.get(f"{BASE}/topics").status_code == 401


def test_a_topic_is_raised_and_moved_on_through_the_api(client, street, people, bearer):
    demand = submit(street, title="饭店油烟扰民")
    payload = {"title": "兰花餐厅油烟扰民", "area_id": street.area_a.pk, "grid_id": street.grid_a1.pk,
               "source": TopicSource.DEMANDS, "demand_ids": [demand.pk]}
    made = post(client, f"{BASE}/topics", payload, **bearer("insider"))
    assert made.status_code == 201 and made.json()["demand_ids"] == [demand.pk]
    pk = made.json()["id"]
    blank = post(client, f"{BASE}/topics", {**payload, "title": " "}, **bearer("insider"))  # refused by the schema
    assert blank.status_code == 422 and set(blank.json()["errors"]) == {"title"}
    bad = post(client, f"{BASE}/topics", {**payload, "area_id": street.area_b.pk}, **bearer("insider"))  # service
    assert bad.status_code == 422 and "area" in bad.json()["errors"]
    assert post(client, f"{BASE}/topics", payload, **bearer("colleague")).status_code == 403
    assert Topic.objects.count() == 1
    step = post(client, f"{BASE}/topics/{pk}/transitions", {"action": "accept"}, **bearer("insider"))
    assert step.status_code == 200 and step.json()["state"] == "accepted"
    again = post(client, f"{BASE}/topics/{pk}/transitions", {"action": "accept"}, **bearer("insider"))
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    post(client, f"{BASE}/topics/{pk}/transitions", {"action": "hear"}, **bearer("insider"))
    early = post(client, f"{BASE}/topics/{pk}/transitions", {"action": "coordinate"}, **bearer("insider"))
    assert early.status_code == 409 and early.json()["code"] == "condition_unmet"
    reason = post(client, f"{BASE}/topics/{pk}/transitions", {"action": "decline"}, **bearer("outsider"))
    assert reason.status_code == 404


def test_meetings_and_check_in_at_the_desk(client, street, people, bearer):
    topic = w.accepted(street)
    meeting = w.meeting(topic, w.place(street.area_a), quorum=2, convener=people.insider,
                        invitees={"member_units": [street.unit_a]})
    listed = client.get(f"{BASE}/meetings", {"kind": "hearing"}, **bearer("insider")).json()
    assert [m["id"] for m in listed["items"]] == [meeting.pk] and listed["items"][0]["attendance"] == 0
    url = f"{BASE}/meetings/{meeting.pk}/checkins"
    first = post(client, url, {"member_unit_id": street.unit_a.pk}, **bearer("insider"))
    assert first.status_code == 201 and first.json()["attendance"] == 1 and first.json()["created"]
    again = post(client, url, {"member_unit_id": street.unit_a.pk}, **bearer("insider"))
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    bad = post(client, url, {"name": "王阿姨", "phone": "12"}, **bearer("insider"))
    assert bad.status_code == 422 and "phone" in bad.json()["errors"]
    assert post(client, url, {"name": "王阿姨", "phone": "13912345678"}, **bearer("colleague")).status_code == 403
    assert post(client, url, {"name": "王阿姨", "phone": "13912345678"}, **bearer("outsider")).status_code == 404
    detail = client.get(f"{BASE}/meetings/{meeting.pk}", **bearer("insider")).json()
    assert detail["attendance"] == 1 and detail["quorum"] == 2 and "hold" in detail["actions"]
    assert [i["label"] for i in detail["invitations"]] == [street.unit_a.name]
    assert CheckIn.objects.count() == 1
    assert client.get(f"{BASE}/meetings/{meeting.pk}", **bearer("outsider")).status_code == 404
