"""The volunteers API under /api/v1/volunteering/ over HTTP: the scoped register (phone masked for callers who may
not see personal data), a volunteer, their ledger with its total, and a correction with its refusals as JSON 422."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gongzhi.accounts import services as account_services
from gongzhi.core.workflow import SYSTEM
from gongzhi.volunteering.models import HoursEntry
from gongzhi.volunteering.services import volunteers as services

API = "/api/v1/volunteering"
PHONE = "13812345678"
TODAY = timezone.localdate()


def bearer(user) -> dict:
    _, key = account_services.issue_token(user, actor=SYSTEM, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def chen(street, people):
    v = services.register_volunteer(street.area_a, actor=people.insider, name="陈志愿", consent=True, phone=PHONE,
                                    skills="理发")
    services.credit_hours(v, actor=SYSTEM, hours="3", served_on=TODAY - timedelta(days=1), organiser="队")
    return v


def test_list_detail_and_ledger(client, people, chen):
    auth = bearer(people.insider)
    r = client.get(f"{API}/volunteers", **auth)
    assert r.status_code == 200
    items = r.json()["items"]
    assert [(i["name"], i["phone"]) for i in items] == [("陈志愿", PHONE)]  # a holder of personal-data rights
    assert client.get(f"{API}/volunteers", {"q": "王"}, **auth).json()["items"] == []
    detail = client.get(f"{API}/volunteers/{chen.pk}", **auth).json()
    assert (detail["total_hours"], detail["teams"]) == ("3.00", [])
    ledger = client.get(f"{API}/volunteers/{chen.pk}/hours", **auth).json()
    assert ledger["total"] == "3.00" and [r["hours"] for r in ledger["rows"]] == ["3.00"]
    assert client.get(f"{API}/volunteers/{chen.pk}", **bearer(people.outsider)).status_code == 404
    assert client.get(f"{API}/volunteers", **bearer(people.colleague)).status_code == 403


def test_the_phone_is_masked_for_a_viewer_without_personal_data_rights(client, street, chen):
    from gongzhi.accounts.roles import Role
    from tests import factories

    viewer = factories.user("district", Role.DISTRICT_VIEWER, street.district)
    item = client.get(f"{API}/volunteers", **bearer(viewer)).json()["items"][0]
    assert item["phone"] == "138****5678"


def post(client, url, auth, **body):
    return client.post(url, body, content_type="application/json", **auth)


def test_a_correction_and_its_refusals(client, people, chen):
    auth = bearer(people.insider)
    url = f"{API}/volunteers/{chen.pk}/hours"
    day = (TODAY - timedelta(days=1)).isoformat()
    r = post(client, url, auth, served_on=day, hours="-1.5", note="提前离开")
    assert r.status_code == 201 and r.json()["total"] == "1.50"
    r = post(client, url, auth, served_on=day, hours=23, note="补登")
    assert r.status_code == 422 and "hours" in r.json()["errors"]
    r = post(client, url, auth, served_on=day, hours="-2", note="再减")
    assert r.status_code == 422 and "hours" in r.json()["errors"]
    r = post(client, url, auth, served_on=(TODAY + timedelta(days=1)).isoformat(), hours=1, note="未来")
    assert r.status_code == 422 and "served_on" in r.json()["errors"]
    assert post(client, url, auth, served_on=day, hours=1, note="").status_code == 422
    assert post(client, url, bearer(people.outsider), served_on=day, hours=1, note="越界").status_code == 404
    assert HoursEntry.objects.filter(volunteer=chen).count() == 2
