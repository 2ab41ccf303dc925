"""The registry JSON API over real HTTP with bearer tokens: scoped lists, details, masking, writes."""

import pytest

from gongzhi.accounts import services as account_services
from gongzhi.core.workflow import SYSTEM
from gongzhi.registry.models import MemberUnit, PartyMember
from tests import factories

BASE = "/api/v1/registry"


@pytest.fixture
def bearer(people):
    def make(persona):
        _token, key = account_services.issue_token(getattr(people, persona), actor=SYSTEM, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    return make


def test_without_a_token_the_api_answers_401(client, street):
    assert client.get(f"{BASE}/regions").status_code == 401
    assert client.get(f"{BASE}/regions", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_region_list_is_scoped_and_paginated(client, street, bearer):
    r = client.get(f"{BASE}/regions", **bearer("insider"))
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 3
    assert {x["name"] for x in body["items"]} == {"梧桐居民区", "梧桐一网格", "梧桐二网格"}
    page = client.get(f"{BASE}/regions", {"limit": 2, "offset": 2}, **bearer("insider")).json()
    assert page["count"] == 3 and len(page["items"]) == 1


def test_list_search_and_filters(client, street, bearer):
    factories.member_unit(street.grid_a2, name="联席企业", in_joint_meeting=True)
    auth = bearer("admin")
    names = lambda **p: {x["name"] for x in client.get(f"{BASE}/member-units", p, **auth).json()["items"]}  # noqa: E731
    assert names(q="小学") == {"石库门小学"}
    assert names(kind="hospital") == {"梧桐社区医院"}
    assert names(in_joint_meeting="true") == {"联席企业"}
    assert names(region=street.area_a.pk) == {"梧桐社区医院", "联席企业"}


def test_detail_outside_scope_is_404_like_a_missing_one(client, street, bearer):
    auth = bearer("outsider")
    hidden = client.get(f"{BASE}/party-members/{street.member_a.pk}", **auth)
    missing = client.get(f"{BASE}/party-members/999999", **auth)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() and hidden.json()["code"] == "not_found"
    assert client.get(f"{BASE}/party-members/{street.member_b.pk}", **auth).json()["name"] == "李石库"


def test_resident_without_registry_right_gets_403(client, street, bearer):
    r = client.get(f"{BASE}/buildings", **bearer("resident"))
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_phone_is_masked_unless_privileged(client, street, bearer):
    phone = street.member_a.phone
    factories.member_unit(street.grid_a1, name="电话单位", contact_phone="13800001111")
    privileged = client.get(f"{BASE}/party-members/{street.member_a.pk}", **bearer("insider")).json()
    assert privileged["phone"] == phone
    units = client.get(f"{BASE}/member-units", {"q": "电话"}, **bearer("colleague")).json()["items"]
    assert units[0]["contact_phone"] == "138****1111"


def test_party_org_and_building_details(client, street, bearer):
    auth = bearer("insider")
    org = client.get(f"{BASE}/party-orgs/{street.org_a.pk}", **auth).json()
    assert org["name"] == "梧桐居民区党总支" and org["region_id"] == street.area_a.pk
    b = client.get(f"{BASE}/buildings/{street.building_a1.pk}", **auth).json()
    assert b["name"] == "梧桐1号楼"
    assert client.get(f"{BASE}/regions/{street.area_b.pk}", **auth).status_code == 404


def test_secretary_creates_and_patches_a_member_unit(client, street, people, bearer):
    auth = bearer("insider")
    r = client.post(f"{BASE}/member-units", {"code": "API-1", "name": "接口单位", "kind": "enterprise",
                                             "region_id": street.grid_a2.pk}, content_type="application/json", **auth)
    assert r.status_code == 201, r.content
    unit = MemberUnit.objects.get(code="API-1")
    assert r.json()["id"] == unit.pk and unit.history.first().history_user == people.insider
    r = client.patch(f"{BASE}/member-units/{unit.pk}", {"headcount": 30}, content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["headcount"] == 30 and r.json()["name"] == "接口单位"
    unit.refresh_from_db()
    assert unit.headcount == 30 and unit.history.count() == 2


def test_invalid_payload_is_422_with_field_errors(client, street, bearer):
    r = client.post(f"{BASE}/member-units", {"code": "bad code!", "name": "x", "kind": "nonsense",
                                             "region_id": street.grid_a1.pk, "contact_phone": "12"},
                    content_type="application/json", **bearer("insider"))
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert {"code", "kind", "contact_phone"} <= set(errors)
    assert not MemberUnit.objects.filter(name="x").exists()


def test_creating_outside_scope_is_refused(client, street, bearer):
    r = client.post(f"{BASE}/member-units", {"code": "API-OUT", "name": "越界", "kind": "school",
                                             "region_id": street.grid_b1.pk}, content_type="application/json",
                    **bearer("insider"))
    assert r.status_code == 422 and "region" in r.json()["errors"]
    assert not MemberUnit.objects.filter(code="API-OUT").exists()


def test_grid_leader_cannot_write(client, street, bearer):
    r = client.patch(f"{BASE}/member-units/{street.unit_a.pk}", {"name": "改名"}, content_type="application/json",
                     **bearer("colleague"))
    assert r.status_code == 403
    street.unit_a.refresh_from_db()
    assert street.unit_a.name == "梧桐社区医院"


def test_outsider_cannot_patch_area_a_member(client, street, bearer):
    r = client.patch(f"{BASE}/party-members/{street.member_a.pk}", {"name": "改名"},
                     content_type="application/json", **bearer("outsider"))
    assert r.status_code == 404


def test_create_and_patch_party_member(client, street, bearer):
    auth = bearer("insider")
    r = client.post(f"{BASE}/party-members", {"name": "新党员", "organization_id": street.org_a.pk,
                                              "phone": "13911112222", "registered_area_id": street.area_a.pk},
                    content_type="application/json", **auth)
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = client.patch(f"{BASE}/party-members/{pk}", {"status": "probationary", "is_mobile": True},
                     content_type="application/json", **auth)
    assert r.status_code == 200
    m = PartyMember.objects.get(pk=pk)
    assert m.status == "probationary" and m.is_mobile and m.phone == "13911112222"
    r = client.patch(f"{BASE}/party-members/{pk}", {"grid_id": street.area_a.pk},
                     content_type="application/json", **auth)
    assert r.status_code == 422 and "grid" in r.json()["errors"]


def test_session_login_works_too(client, street, people):
    client.force_login(people.insider)
    assert client.get(f"{BASE}/party-orgs").json()["count"] == 1
