"""The cases API under /api/v1/services/ over HTTP: scoped list and detail (masked for callers who may not see
personal data), opening a case, a step with its refusals, and the back office's queue."""

from __future__ import annotations

import pytest

from gongzhi.accounts import services as account_services
from gongzhi.accounts.roles import Role
from gongzhi.core.workflow import SYSTEM
from gongzhi.services.models import Case
from gongzhi.services.services import cases as services
from tests import factories
from tests.services import factories as f

API = "/api/v1/services"
PHONE = "13812345678"


def bearer(user) -> dict:
    _, key = account_services.issue_token(user, actor=SYSTEM, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, url, auth, **body):
    return client.post(url, body, content_type="application/json", **auth)


@pytest.fixture
def world(street):
    station = f.place(street.area_a, "梧桐家门口服务站")
    item = f.item("居民医保参保登记", materials=("身份证", "户口簿"), time_limit_days=5)
    return station, item, list(item.materials.values_list("pk", flat=True))


def test_open_act_and_read(client, people, world):
    station, item, materials = world
    auth = bearer(people.insider)
    response = post(client, f"{API}/cases", auth, place_id=station.pk, item_id=item.pk, applicant_name="王阿姨",
                    applicant_phone=PHONE, provided=materials[:1])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "incomplete" and body["missing"] == ["户口簿"] and body["code"].startswith("SJ")
    assert "supply" in body["actions"] and "receive" not in body["actions"]
    refused = post(client, f"{API}/cases/{body['id']}/actions", auth, action="supply")
    assert refused.status_code == 422 and "provided" in refused.json()["errors"]
    done = post(client, f"{API}/cases/{body['id']}/actions", auth, action="supply", provided=materials[1:])
    assert done.status_code == 200 and done.json()["state"] == "accepted" and done.json()["visits"] == 2
    conflict = post(client, f"{API}/cases/{body['id']}/actions", auth, action="pick_up")
    assert conflict.status_code == 409
    unnamed = post(client, f"{API}/cases/{body['id']}/actions", auth, action="forward")
    assert unnamed.status_code == 422 and "back_office" in unnamed.json()["errors"]
    fwd = post(client, f"{API}/cases/{body['id']}/actions", auth, action="forward", back_office="区社保中心")
    assert fwd.json()["state"] == "forwarded"
    assert post(client, f"{API}/cases/{body['id']}/actions", auth, action="receive").status_code == 403
    queue = client.get(f"{API}/cases/back-office", **bearer(people.admin)).json()
    assert [c["id"] for c in queue["items"]] == [body["id"]]
    assert client.get(f"{API}/cases/back-office", **auth).status_code == 403


def test_bad_input_and_scope(client, people, street, world):
    station, item, materials = world
    outsider = bearer(people.outsider)
    assert post(client, f"{API}/cases", outsider, place_id=station.pk, item_id=item.pk,
                applicant_name="王阿姨").status_code == 404
    bad = post(client, f"{API}/cases", bearer(people.insider), place_id=station.pk, item_id=item.pk,
               applicant_name="王阿姨", applicant_id_number="110105194912310021")
    assert bad.status_code == 422 and "applicant_id_number" in bad.json()["errors"]
    assert post(client, f"{API}/cases", bearer(people.insider), place_id=station.pk, item_id=item.pk,
                applicant_name="王阿姨", applicant_phone="021-12345678").status_code == 422
    assert not Case.objects.exists()
    case, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="王阿姨",
                                  applicant_phone=PHONE, provided=materials)
    assert client.get(f"{API}/cases/{case.pk}", **outsider).status_code == 404
    assert client.get(f"{API}/cases", **outsider).json()["items"] == []


def test_the_phone_is_masked_for_callers_without_personal_data(client, people, street, world):
    station, item, materials = world
    case, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="王阿姨",
                                  applicant_phone=PHONE, applicant_id_number="11010519491231002X",
                                  provided=materials)
    viewer = factories.user("viewer", Role.DISTRICT_VIEWER, street.subdistrict.parent or street.subdistrict)
    body = client.get(f"{API}/cases/{case.pk}", **bearer(viewer)).json()
    assert body["applicant_phone"] == "138****5678" and body["applicant_id_number"] == "1101**********002X"
    listed = client.get(f"{API}/cases", **bearer(viewer)).json()["items"]
    assert [c["applicant_phone"] for c in listed] == ["138****5678"]
    assert client.get(f"{API}/cases/{case.pk}", **bearer(people.insider)).json()["applicant_phone"] == PHONE
