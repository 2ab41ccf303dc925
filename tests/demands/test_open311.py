"""Open311 GeoReport v2 over real HTTP (live_server): the `georeport` client from PyPI reads services, a service
definition, requests and one request in JSON and XML; raw POSTs create requests with an api_key."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import requests
from django.utils import timezone
from georeport import GeoReport

from gongzhi.core.workflow import SYSTEM
from gongzhi.demands import open311, services
from gongzhi.demands import services as demand_services
from gongzhi.demands.models import Category, Channel, Demand
from tests import factories
from tests.demands.conftest import submit

pytestmark = pytest.mark.django_db(transaction=True)  # tests/conftest.py restores the taxonomy after flushes
KEY = "test-open311-key"


@pytest.fixture
def root(live_server):
    return f"{live_server.url}/open311/v2"


@pytest.fixture
def gateway(street):
    account = factories.user("open311-gateway")
    client, _ = demand_services.register_open311_client("市民App", actor=SYSTEM, user=account, key=KEY, subdistrict=street.subdistrict)
    return client


@pytest.fixture
def lights(db):
    return Category.objects.get(code="street_lights", subdistrict=None)


def create(root, fmt="json", **data):
    return requests.post(f"{root}/requests.{fmt}", data={"api_key": KEY, **data}, timeout=10)


# --- Reading with the georeport client ------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_client_reads_services_and_a_service_definition(root, street, fmt):
    client = GeoReport(root, output_format=fmt)
    services_ = {s["service_code"]: s for s in client.get_service_list()}
    lights = services_["street_lights"]
    assert lights["service_name"] == "路灯照明" and lights["group"] == "公共设施"
    assert lights["type"] == "realtime" and str(lights["metadata"]).lower() == "true"
    assert "facilities" not in services_  # a parent category is the group, not a service
    definition = client.get_service_definition("street_lights")
    attributes = definition["attributes"] if fmt == "json" else definition["attributes"]["attribute"]
    by_code = {a["code"]: a for a in attributes}
    assert set(by_code) == {"building", "grid", "kind"}
    grid_values = by_code["grid"]["values"] if fmt == "json" else by_code["grid"]["values"]["value"]
    assert {"key": street.grid_a1.code, "name": "梧桐一网格"} in [dict(v) for v in grid_values]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_client_reads_requests_and_one_request(root, street, people, lights, fmt):
    now = timezone.now()
    open_one = submit(street, category=lights, title="路灯不亮", description="路灯不亮，电话13912345678", now=now)
    done = submit(street, building=street.building_b1, now=now)
    services.claim_demand(done, actor=people.outsider, promise="今天处理")
    services.start_demand(done, actor=people.outsider)
    services.resolve_demand(done, actor=people.outsider, resolution="已修好")
    client = GeoReport(root, output_format=fmt)

    rows = client.get_service_requests()
    assert {r["service_request_id"] for r in rows} == {open_one.tracking_code, done.tracking_code}
    assert {r["service_request_id"]: r["status"] for r in rows} == {open_one.tracking_code: "open",
                                                                  done.tracking_code: "closed"}
    closed = client.get_service_requests(status="closed")
    closed = [closed] if isinstance(closed, dict) else closed
    assert [r["service_request_id"] for r in closed] == [done.tracking_code]

    one = client.get_service_request(open_one.tracking_code)
    assert one["service_code"] == "street_lights" and one["service_name"] == "路灯照明"
    assert one["description"] == "路灯不亮，电话139****5678"  # phone numbers are not published
    assert one["expected_datetime"].startswith(open_one.due_on.isoformat())
    assert one["grid"] == "梧桐一网格" and str(one["escalation_level"]) == "0"
    assert one["address_id"] == street.building_a1.code and one["agency_responsible"] == "梧桐一网格"
    fixed = client.get_service_request(done.tracking_code)
    # issue 11 (Open311 7): no person's name is published, only that someone took it on
    assert fixed["claimant"] == "已认领" and fixed["status_notes"] == "已修好"
    assert "石库门书记" not in str(fixed)


def test_an_unknown_request_is_a_404_in_the_open311_error_format(root, street):
    r = requests.get(f"{root}/requests/GZ000000AAAAAA.json", timeout=10)
    assert r.status_code == 404 and r.json()[0]["code"] == 404 and r.json()[0]["description"]
    r = requests.get(f"{root}/services/no_such_service.xml", timeout=10)
    error = ET.fromstring(r.content)
    assert r.status_code == 404 and error.tag == "errors" and error.find("error/code").text == "404"


# --- Creating -------------------------------------------------------------------------------------------

def test_a_client_posts_a_request_and_a_retry_returns_the_same_one(root, street, gateway):
    street.building_a1.latitude, street.building_a1.longitude = 31.2200, 121.4700
    street.building_a1.save()
    data = {"service_code": "street_lights", "lat": "31.2201", "long": "121.4701",
            "description": "小区门口路灯坏了", "first_name": "明", "last_name": "王", "phone": "13800001111",
            "attribute[kind]": "complaint"}
    r = create(root, **data)
    assert r.status_code == 201, r.content
    created = r.json()[0]
    demand = Demand.objects.get(tracking_code=created["service_request_id"])
    assert demand.channel == Channel.OPEN311 and demand.recorded_by == gateway.user
    assert demand.building == street.building_a1 and demand.grid == street.grid_a1  # the nearest building
    assert demand.kind == "complaint" and demand.submitter_name == "王明"
    again = create(root, **data)
    assert again.status_code == 200 and again.json()[0]["service_request_id"] == created["service_request_id"]
    assert Demand.objects.count() == 1
    token = requests.get(f"{root}/tokens/{created['token']}.json", timeout=10).json()
    assert token == [{"service_request_id": created["service_request_id"], "token": created["token"]}]


def test_a_post_in_xml_with_an_idempotency_key_and_a_grid_attribute(root, street, gateway):
    data = {"service_code": "street_lights", "address_string": "梧桐路口", "attribute[grid]": street.grid_a2.code}
    r = requests.post(f"{root}/requests.xml", data={"api_key": KEY, **data}, timeout=10,
                      headers={"Idempotency-Key": "app-42"})
    assert r.status_code == 201 and r.headers["Content-Type"].startswith("text/xml")
    request = ET.fromstring(r.content).find("request")
    assert request.find("token").text == "app-42"
    demand = Demand.objects.get(tracking_code=request.find("service_request_id").text)
    assert demand.grid == street.grid_a2 and demand.description == "路灯照明"  # no description: the service name
    r = requests.post(f"{root}/requests.xml", data={"api_key": KEY, **data, "description": "changed"},
                      timeout=10, headers={"Idempotency-Key": "app-42"})
    assert r.status_code == 200 and Demand.objects.count() == 1


def test_a_bad_api_key_is_403_in_the_open311_error_format(root, street, gateway):
    r = requests.post(f"{root}/requests.json", data={"api_key": "wrong", "service_code": "street_lights",
                                                     "address_string": "x"}, timeout=10)
    assert r.status_code == 403 and r.json() == [{"code": 403, "description": "api_key 无效。"}]  # zh-hans by default
    gateway.active = False
    gateway.save()
    r = create(root, "xml", service_code="street_lights", address_string="x")
    assert r.status_code == 403 and ET.fromstring(r.content).find("error/code").text == "403"
    assert not Demand.objects.exists()


@pytest.mark.parametrize(("data", "mentions"), [
    ({"lat": "31.2", "long": "121.4"}, "service_code"),
    ({"service_code": "street_lights"}, "位置"),
    ({"service_code": "street_lights", "lat": "31.2"}, "位置"),
    ({"service_code": "no_such_service", "address_string": "x"}, "service_code"),
    ({"service_code": "street_lights", "address_id": "NO-SUCH-BUILDING"}, "楼栋"),
    ({"service_code": "street_lights", "address_string": "x", "phone": "12"}, "submitter_phone"),
])
def test_missing_or_bad_fields_are_400(root, street, gateway, data, mentions):
    r = create(root, **data)
    assert r.status_code == 400, r.content
    assert r.json()[0]["code"] == 400 and mentions in r.json()[0]["description"]
    assert not Demand.objects.exists()


# --- The window -----------------------------------------------------------------------------------------

def test_the_default_window_is_90_days_and_a_wider_one_is_refused(root, street, monkeypatch):
    now = timezone.now()
    recent = submit(street, now=now - timedelta(days=3))
    old = submit(street, now=now - timedelta(days=100))
    listed = lambda **params: [r["service_request_id"] for r in  # noqa: E731
                               requests.get(f"{root}/requests.json", params=params, timeout=10).json()]
    assert listed() == [recent.tracking_code]
    start = (now - timedelta(days=120)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (now - timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert listed(start_date=start, end_date=end) == [old.tracking_code]
    assert listed(start_date=start) == [old.tracking_code]  # start + 90 days
    wide = requests.get(f"{root}/requests.json", params={"start_date": start, "end_date": now.isoformat()},
                        timeout=10)
    assert wide.status_code == 400 and "90 天" in wide.json()[0]["description"]
    assert requests.get(f"{root}/requests.json", params={"start_date": "yesterday"}, timeout=10).status_code == 400
    # Asking by id ignores the window.
    assert listed(service_request_id=f"{old.tracking_code},{recent.tracking_code}") == [
        recent.tracking_code, old.tracking_code]
    # At most MAX_REQUESTS records, newest first.
    newer = submit(street, now=now - timedelta(days=1))
    monkeypatch.setattr(open311, "MAX_REQUESTS", 1)
    assert listed() == [newer.tracking_code]
