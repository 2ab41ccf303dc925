"""API of the agreements part: agreements and crowd-funded projects, scoped; a progress report and a pledge."""

import datetime as dt

import pytest

from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.services import agreements as services
from tests.joint import factories_agreements as f


@pytest.fixture
def api(client):
    def call(user, method, url, **kw):
        client.force_login(user)
        return getattr(client, method)(f"/api/v1/joint{url}", content_type="application/json", **kw)
    return call


def test_agreements_list_and_detail_in_scope(api, street, people):
    made = f.agreement(street)
    f.report(made, dt.date(2025, 1, 1), [150, 10, 12])
    listed = api(people.admin, "get", "/agreements").json()
    assert [a["code"] for a in listed["items"]] == [made.code]
    assert api(people.insider, "get", "/agreements").json()["items"] == []
    detail = api(people.admin, "get", f"/agreements/{made.pk}").json()
    assert [p["behind"] for p in detail["progress"]] == [False, True, False]
    assert detail["parties"][0]["id"] == street.unit_a.pk and "report" in detail["actions"]
    assert api(people.insider, "get", f"/agreements/{made.pk}").status_code == 404
    assert api(people.colleague, "get", "/agreements").status_code == 403


def test_a_progress_report(api, street, people):
    made = f.agreement(street)
    items = list(made.commitments.order_by("position"))
    body = {"period": "2025-02-10", "values": [{"commitment_id": c.pk, "value": v}
                                               for c, v in zip(items, [300, 41, 5], strict=True)], "note": "二月"}
    response = api(people.admin, "post", f"/agreements/{made.pk}/reports", data=body)
    assert response.status_code == 201, response.content
    assert response.json()["period"] == "2025-02-01"
    again = api(people.admin, "post", f"/agreements/{made.pk}/reports", data=body)
    assert again.status_code == 422 and "period" in again.json()["errors"]
    negative = api(people.admin, "post", f"/agreements/{made.pk}/reports",
                   data=body | {"values": [{"commitment_id": items[0].pk, "value": -1}]})
    assert negative.status_code == 422


def test_projects_and_a_pledge(api, street, people):
    project = f.project(street)
    services.pledge(project, actor=SYSTEM, member_unit=street.unit_a, kind="money", amount="5000")
    listed = api(people.admin, "get", "/crowd-projects").json()["items"]
    assert listed[0]["totals"][0] == {"kind": "money", "goal": "20000.00", "pledged": "5000.00", "share": 25}
    body = {"member_unit_id": street.unit_b.pk, "kind": "people_hours", "amount": 40}
    made = api(people.admin, "post", f"/crowd-projects/{project.pk}/pledges", data=body)
    assert made.status_code == 201 and made.json()["member_unit"] == street.unit_b.name
    assert api(people.admin, "post", f"/crowd-projects/{project.pk}/pledges", data=body).status_code == 422
    assert api(people.insider, "post", f"/crowd-projects/{project.pk}/pledges", data=body).status_code == 404
    detail = api(people.admin, "get", f"/crowd-projects/{project.pk}").json()
    assert len(detail["pledges"]) == 2
