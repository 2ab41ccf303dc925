"""Issue 11, security 7: Open311 publishes a request's place as its building's coordinates, never the exact point
the sender posted (which can be a resident's door), in the single request, the list, XML and JSON alike."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from gongzhi.core.workflow import SYSTEM
from gongzhi.demands import services
from gongzhi.demands.models import Demand
from tests import factories

KEY = "privacy-open311-key"
EXACT = ("31.221234", "121.471234")  # a few metres from 梧桐1号楼


@pytest.fixture
def gateway(street):
    street.building_a1.latitude, street.building_a1.longitude = Decimal("31.220000"), Decimal("121.470000")
    street.building_a1.save()
    gateway, _key = services.register_open311_client("Privacy app", actor=SYSTEM, user=factories.user("p-gateway"),
                                                     key=KEY, subdistrict=street.subdistrict)
    return gateway


def test_a_request_posted_with_an_exact_point_is_published_at_its_buildings_coordinates(client, street, gateway):
    r = client.post("/open311/v2/requests.json", data={"api_key": KEY, "service_code": "street_lights",
                                                       "lat": EXACT[0], "long": EXACT[1], "description": "路灯坏了"})
    assert r.status_code == 201, r.content
    code = r.json()[0]["service_request_id"]
    demand = Demand.objects.get(tracking_code=code)
    assert demand.building == street.building_a1  # placed at the nearest building
    assert (str(demand.latitude), str(demand.longitude)) == EXACT  # kept inside, for the staff's map
    jurisdiction = {"jurisdiction_id": street.subdistrict.code}

    one = client.get(f"/open311/v2/requests/{code}.json", jurisdiction)
    listed = client.get("/open311/v2/requests.json", jurisdiction)
    for row in (one.json()[0], next(x for x in listed.json() if x["service_request_id"] == code)):
        assert (row["lat"], row["long"]) == (31.22, 121.47)
    as_xml = client.get(f"/open311/v2/requests/{code}.xml", jurisdiction)
    request = ET.fromstring(as_xml.content).find("request")
    assert (float(request.find("lat").text), float(request.find("long").text)) == (31.22, 121.47)
    for response in (one, listed, as_xml):
        body = response.content.decode()
        assert "31.2212" not in body and "121.4712" not in body  # the exact point appears nowhere
