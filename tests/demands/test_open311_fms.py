"""Open311 as FixMyStreet's own client (perllib/Open311.pm) uses it (issue 11, "Open311, checked with FixMyStreet's
own client"): mySociety's servicerequestupdates extension, date-only end dates, deduplication within a window,
coordinates of address-only requests, the jurisdiction's bounds, Open311 errors everywhere, several media_url."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.demands import services
from gongzhi.demands.models import Demand, DemandPhoto, DemandTransition, PhotoKind
from gongzhi.demands.workflow import Action
from tests import factories
from tests.demands.conftest import SHANGHAI, submit

KEY = "fms-open311-key"
UPDATE_FIELDS = {"update_id", "service_request_id", "status", "updated_datetime", "description", "media_url"}


@pytest.fixture
def gateway(street):
    street.building_a1.latitude, street.building_a1.longitude = Decimal("31.220000"), Decimal("121.470000")
    street.building_a1.address = "梧桐路1号"
    street.building_a1.save()
    account = factories.user("fms-gateway")
    gateway, _key = services.register_open311_client("FixMyStreet", actor=SYSTEM, user=account, key=KEY,
                                                     subdistrict=street.subdistrict)
    return gateway


def post(client, path, **data):
    return client.post(f"/open311/v2/{path}", data={"api_key": KEY, **data})


def xml(response):
    return ET.fromstring(response.content)


# --- 1. servicerequestupdates ---------------------------------------------------------------------------------

def test_servicerequestupdates_lists_the_public_timeline_in_xml_and_json(client, street, people, gateway):
    demand = submit(street, now=timezone.now() - timedelta(hours=2))
    services.assign_demand(demand, actor=people.insider, assignee_id=people.colleague.pk, note="内部：找13912345678")
    services.claim_demand(demand, actor=people.colleague, promise="今天修好")
    services.start_demand(demand, actor=people.colleague)
    DemandPhoto.objects.create(demand=demand, kind=PhotoKind.AFTER,
                               image=SimpleUploadedFile("after.jpg", b"jpeg", content_type="image/jpeg"))
    services.resolve_demand(demand, actor=people.colleague, resolution="已修好，联系 139-1234-5678")

    r = client.get("/open311/v2/servicerequestupdates.xml", {"jurisdiction_id": street.subdistrict.code})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/xml")
    root = xml(r)
    assert root.tag == "service_request_updates"
    updates = [{c.tag: (c.text or "") for c in el} for el in root.findall("request_update")]
    assert updates and all(set(u) == UPDATE_FIELDS for u in updates)
    assert [u["status"] for u in updates] == ["open", "action_scheduled", "in_progress", "fixed"]
    assert {u["service_request_id"] for u in updates} == {demand.tracking_code}
    assign, claim, _start, resolve = updates
    assert "13912345678" not in r.content.decode() and "内部" not in assign["description"]  # public projection
    assert claim["description"] == "今天修好" and resolve["description"] == "已修好，联系 139****5678"
    media = urlsplit(resolve["media_url"])  # a signed, expiring link to the upload view
    assert resolve["media_url"].startswith("http://testserver/media/") and media.path.endswith(".jpg") and media.query
    assert resolve["update_id"] == str(demand.transitions.get(action=Action.RESOLVE).pk)

    as_json = client.get("/open311/v2/servicerequestupdates.json").json()
    assert [u["update_id"] for u in as_json] == [u["update_id"] for u in updates]
    assert set(as_json[0]) == UPDATE_FIELDS


@pytest.mark.django_db(transaction=True)
def test_a_client_adds_a_public_comment_to_its_own_request_over_http(live_server, street, gateway):
    root = f"{live_server.url}/open311/v2"
    created = requests.post(f"{root}/requests.xml", timeout=10, data={
        "api_key": KEY, "service_code": "street_lights", "address_string": "梧桐路1号", "description": "路灯坏了"})
    code = ET.fromstring(created.content).find("request/service_request_id").text
    comment = {"api_key": KEY, "jurisdiction_id": street.subdistrict.code, "service_request_id": code,
               "update_id": "fms-77", "status": "OPEN", "updated_datetime": "2026-12-02T10:00:00Z",
               "description": "还是不亮，电话13812345678", "first_name": "Bob", "last_name": "Mould",
               "media_url": ["http://fms.example/p/1.jpeg", "http://fms.example/p/2.jpeg"]}
    r = requests.post(f"{root}/servicerequestupdates.xml", data=comment, timeout=10)
    assert r.status_code == 201, r.content
    update_id = ET.fromstring(r.content).find("request_update/update_id").text
    entry = DemandTransition.objects.get(pk=update_id)
    assert entry.action == Action.COMMENT and entry.demand.tracking_code == code
    assert "2.jpeg" in entry.note and "1.jpeg" in entry.note  # several media_url values are kept
    again = requests.post(f"{root}/servicerequestupdates.json", data=comment, timeout=10)  # a retry
    assert again.status_code == 200 and again.json() == [{"update_id": update_id}]
    assert DemandTransition.objects.filter(action=Action.COMMENT).count() == 1

    listed = requests.get(f"{root}/servicerequestupdates.json", timeout=10).json()
    mine = [u for u in listed if u["update_id"] == update_id]
    assert mine and mine[0]["description"].startswith("还是不亮，电话138****5678") and mine[0]["status"] == "open"

    # another client's request, a missing field, a bad status: Open311 errors
    other = submit(street)
    r = requests.post(f"{root}/servicerequestupdates.json", timeout=10,
                      data={**comment, "service_request_id": other.tracking_code, "update_id": "x"})
    assert r.status_code == 404 and r.json()[0]["code"] == 404
    r = requests.post(f"{root}/servicerequestupdates.json", timeout=10,
                      data={**comment, "description": "", "media_url": [], "update_id": "fms-78"})
    assert r.status_code == 400 and "description" in r.json()[0]["description"]
    r = requests.post(f"{root}/servicerequestupdates.json", data={**comment, "status": "WHATEVER"}, timeout=10)
    assert r.status_code == 400 and "status" in r.json()[0]["description"]
    r = requests.post(f"{root}/servicerequestupdates.json", data={**comment, "api_key": "nope"}, timeout=10)
    assert r.status_code == 403


# --- 2. date-only end_date -----------------------------------------------------------------------------------

def test_a_date_only_end_date_includes_its_whole_day(client, street):
    afternoon = datetime(2026, 12, 2, 15, 30, tzinfo=SHANGHAI)
    demand = submit(street, now=afternoon)
    r = client.get("/open311/v2/requests.json", {"start_date": "2026-12-01", "end_date": "2026-12-02"})
    assert [row["service_request_id"] for row in r.json()] == [demand.tracking_code]


@pytest.mark.parametrize("path", ["requests.json", "servicerequestupdates.json"])
@pytest.mark.parametrize(("field", "value"), [("start_date", "2026-13-45"), ("end_date", "2026-02-30T10:00:00Z"),
                                              ("start_date", "9" * 30)])
def test_an_impossible_date_is_a_400_naming_the_field(client, street, path, field, value):
    r = client.get(f"/open311/v2/{path}", {field: value})
    assert r.status_code == 400 and field in r.json()[0]["description"]


# --- 3. deduplication ----------------------------------------------------------------------------------------

def test_the_same_payload_is_one_request_within_ten_minutes_only(client, street, gateway, monkeypatch):
    data = {"service_code": "street_lights", "address_string": "梧桐路1号", "description": "路灯坏了"}
    first = post(client, "requests.json", **data)
    again = post(client, "requests.json", **data)
    assert first.status_code == 201 and again.status_code == 200
    code = first.json()[0]["service_request_id"]
    assert again.json()[0]["service_request_id"] == code
    eleven_minutes_later = timezone.now() + timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: eleven_minutes_later)
    later = post(client, "requests.json", **data)  # the same report again, later: a new request
    assert later.status_code == 201 and later.json()[0]["service_request_id"] != code
    assert Demand.objects.count() == 2


# --- 4. coordinates of address-only requests -----------------------------------------------------------------

def test_an_address_only_request_comes_back_with_its_building_coordinates(client, street, gateway):
    r = post(client, "requests.xml", service_code="street_lights", address_string="梧桐路1号")
    code = xml(r).find("request/service_request_id").text
    row = xml(client.get(f"/open311/v2/requests/{code}.xml")).find("request")
    assert (row.find("lat").text, row.find("long").text) == ("31.22", "121.47")
    assert row.find("address_id").text == street.building_a1.code


def test_an_address_without_a_building_comes_back_with_its_regions_centre(client, street, gateway):
    street.subdistrict.boundary = {"type": "Polygon", "coordinates": [[[121.46, 31.21], [121.48, 31.21],
                                                                       [121.48, 31.23], [121.46, 31.21]]]}
    street.subdistrict.save()
    r = post(client, "requests.json", service_code="street_lights", address_string="梧桐路口的公交站")
    code = r.json()[0]["service_request_id"]
    assert Demand.objects.get(tracking_code=code).building is None
    row = client.get(f"/open311/v2/requests/{code}.json").json()[0]
    assert (row["lat"], row["long"]) == (31.22, 121.47)  # FixMyStreet skips requests without coordinates


# --- 5. the jurisdiction's bounds ----------------------------------------------------------------------------

@pytest.mark.parametrize(("lat", "long"), [("0", "0"), ("51.5074", "-0.1278")])  # null island, London
def test_a_point_outside_the_jurisdiction_is_a_400(client, street, gateway, lat, long):
    r = post(client, "requests.json", service_code="street_lights", lat=lat, long=long)
    assert r.status_code == 400 and r.json()[0]["code"] == 400 and "lat" in r.json()[0]["description"]
    assert not Demand.objects.exists()
    near = post(client, "requests.json", service_code="street_lights", lat="31.2201", long="121.4701")
    assert near.status_code == 201


# --- 6. Open311 errors everywhere ----------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "path", "status", "fmt"), [
    ("get", "nothing.json", 404, "json"),
    ("get", "requests.txt", 404, "xml"),
    ("get", "services", 404, "xml"),
    ("put", "requests.json", 405, "json"),
    ("delete", "services.xml", 405, "xml"),
    ("post", "services.json", 405, "json"),
    ("patch", "servicerequestupdates.xml", 405, "xml"),
])
def test_every_path_format_and_method_answers_an_open311_error(client, street, method, path, status, fmt):
    r = getattr(client, method)(f"/open311/v2/{path}")
    assert r.status_code == status
    if fmt == "json":
        assert r["Content-Type"].startswith("application/json") and r.json()[0]["code"] == status
    else:
        root = xml(r)
        assert root.tag == "errors" and root.find("error/code").text == str(status)
        assert root.find("error/description").text


@pytest.mark.parametrize("path", ["services.json", "services/street_lights.json", "requests.json",
                                  "requests/{code}.json", "tokens/{token}.json", "servicerequestupdates.json"])
def test_jurisdiction_id_is_checked_on_every_method(client, street, gateway, path):
    created = post(client, "requests.json", service_code="street_lights", address_string="梧桐路1号").json()[0]
    one_request = path.startswith(("requests/", "tokens/"))
    path = path.format(code=created["service_request_id"], token=created["token"])
    assert client.get(f"/open311/v2/{path}", {"jurisdiction_id": street.subdistrict.code}).status_code == 200
    r = client.get(f"/open311/v2/{path}", {"jurisdiction_id": "NO-SUCH-PLACE"})
    assert r.status_code == 404 and "jurisdiction_id" in r.json()[0]["description"]
    other = factories.region(street.subdistrict.kind, street.district, name="别的街道")
    r = client.get(f"/open311/v2/{path}", {"jurisdiction_id": other.code})
    assert r.status_code == (404 if one_request else 200)  # a request of another jurisdiction is not found there
    r = post(client, "requests.json", jurisdiction_id=other.code, service_code="street_lights",
             address_string="梧桐路1号")
    assert r.status_code == 403


# --- 7. several media_url values -----------------------------------------------------------------------------

def test_several_media_urls_are_all_kept(client, street, gateway):
    r = post(client, "requests.json", service_code="street_lights", address_string="梧桐路1号",
             media_url=["https://fms.example/photo/1.jpeg", "https://fms.example/photo/2.jpeg"])
    demand = Demand.objects.get(tracking_code=r.json()[0]["service_request_id"])
    assert "photo/1.jpeg" in demand.description and "photo/2.jpeg" in demand.description
