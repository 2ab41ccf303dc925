"""The catalogue API under /api/v1/services/catalogue/: public reads (no credentials) of the active items a region
serves, and staff writes with their refusals (403 without services.manage, 422 with field errors)."""

import pytest

from gongzhi.accounts import services as account_services
from gongzhi.core.workflow import SYSTEM
from gongzhi.services.models import ServiceItem, ServiceLevel
from tests.services import factories as sf

pytestmark = pytest.mark.django_db
API = "/api/v1/services/catalogue"


def bearer(user) -> dict:
    _, key = account_services.issue_token(user, actor=SYSTEM, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def items(street):
    return {"city": sf.item("医保账单打印", code="C1", remote=True), "retired": sf.item("旧事项", code="C2", active=False),
            "a": sf.item("梧桐助餐登记", code="A1", level=ServiceLevel.AREA, region=street.area_a, bookable=True),
            "b": sf.item("乙区事项", code="B1", level=ServiceLevel.AREA, region=street.area_b)}


def test_the_public_lists_and_reads_active_items_without_credentials(client, street, items):
    rows = client.get(f"{API}/items", {"region": street.area_a.pk}).json()
    assert {r["code"] for r in rows["items"]} == {"C1", "A1"} and rows["count"] == 2
    assert [r["code"] for r in client.get(f"{API}/items").json()["items"]] == ["C1"]
    assert [r["code"] for r in client.get(f"{API}/items", {"region": street.subdistrict.pk, "bookable": "true"})
            .json()["items"]] == ["A1"]
    detail = client.get(f"{API}/items/{items['a'].pk}").json()
    assert detail["materials"] == [{"name": "身份证", "required": True, "note": ""}, {"name": "户口簿", "required": True,
                                                                                   "note": ""}]
    assert detail["region"] == street.area_a.name and detail["fee"] == "0.00"
    assert client.get(f"{API}/items/{items['retired'].pk}").status_code == 404
    assert client.get(f"{API}/items", {"audience": "martians"}).status_code == 422


def _body(**kw):
    return {"code": "NEW-1", "name": "长护险可视化咨询", "category_id": sf.category().pk, "time_limit_days": 0,
            "remote": True, "bookable": True, "materials": [{"name": "身份证"}, {"name": "病历", "required": False}]} | kw


def test_managers_create_and_update_items(client, people, items):
    auth = bearer(people.admin)
    r = client.post(f"{API}/items", _body(), content_type="application/json", **auth)
    assert r.status_code == 201, r.content
    made = ServiceItem.objects.get(code="NEW-1")
    assert [(m.name, m.required) for m in made.materials.all()] == [("身份证", True), ("病历", False)]
    r = client.post(f"{API}/items/{made.pk}", _body(name="长护险咨询", fee="5.5", materials=[]),
                    content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["fee"] == "5.50" and r.json()["materials"] == []


def test_refusals_forbidden_and_field_errors(client, people, items):
    r = client.post(f"{API}/items", _body(), content_type="application/json", **bearer(people.insider))
    assert r.status_code == 403
    r = client.post(f"{API}/items", _body(code="C1", level="subdistrict"), content_type="application/json",
                    **bearer(people.admin))
    assert r.status_code == 422 and set(r.json()["errors"]) == {"code", "region"}
    r = client.post(f"{API}/items/{items['b'].pk}", _body(code="B1"), content_type="application/json",
                    **bearer(people.outsider))
    assert r.status_code == 403
    assert not ServiceItem.objects.filter(code="NEW-1").exists()
