"""The sessions API under /api/v1/joint/ over HTTP (bearer tokens): scoped lists and details, the referral of a
demand (403 for who may not refer), a held session's decision (422 naming a missing owner unit or deadline), and
the completion of a decision."""

from datetime import timedelta

from django.utils import timezone

from gongzhi.accounts import services as account_services
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands.models import Demand
from gongzhi.joint.services import sessions as services
from tests.joint import sessions_world as w

API = "/api/v1/joint"


def bearer(user) -> dict:
    _, key = account_services.issue_token(user, actor=SYSTEM, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, url, auth, **body):
    return client.post(url, body, content_type="application/json", **auth)


def test_refer_decide_and_complete_through_the_api(client, street, people):
    platform = w.platform(street)
    session = w.planned(platform, people.admin)
    demand = w.subdistrict_demand(street, people)
    admin = bearer(people.admin)
    refused = post(client, f"{API}/demands/{demand.pk}/refer", bearer(people.colleague), note="请联席会议")
    assert refused.status_code == 403
    referred = post(client, f"{API}/demands/{demand.pk}/refer", admin, note="需区级部门协调")
    assert referred.status_code == 200, referred.content
    body = referred.json()
    assert (body["platform_id"], body["session_id"]) == (platform.pk, session.pk)
    assert Demand.objects.get(pk=demand.pk).escalation_level == 3

    services.hold_session(session, actor=people.admin)
    unit = w.department(street)
    missing = post(client, f"{API}/sessions/{session.pk}/decisions", admin, text="市容局牵头")
    assert missing.status_code == 422 and set(missing.json()["errors"]) == {"owner_unit", "deadline"}
    deadline = f"{timezone.localdate() + timedelta(days=30):%Y-%m-%d}"
    made = post(client, f"{API}/sessions/{session.pk}/decisions", admin, text="市容局牵头", owner_unit_id=unit.pk,
                deadline=deadline, agenda_item_id=body["agenda_item_id"])
    assert made.status_code == 200, made.content
    decision = made.json()
    assert (decision["demand_id"], decision["owner_unit"], decision["state"]) == (demand.pk, unit.name, "open")
    assert Demand.objects.get(pk=demand.pk).handling_unit == unit
    # a decision on a handed demand completes with the demand's resolution, not by hand
    assert post(client, f"{API}/decisions/{decision['id']}/complete", admin, outcome="x").status_code == 409
    plain = services.record_decision(session, actor=people.admin, text="制定方案", owner_unit=unit.pk,
                                     deadline=timezone.localdate())
    clerk = bearer(w.clerk(unit))
    done = post(client, f"{API}/decisions/{plain.pk}/complete", clerk, outcome="方案已印发")
    assert done.status_code == 200 and done.json()["state"] == "done"


def test_lists_and_details_are_scoped(client, street, people):
    session = w.planned(w.platform(street), people.admin)
    services.hold_session(session, actor=people.admin)
    decision = services.record_decision(session, actor=people.admin, text="整治", owner_unit=street.unit_a.pk,
                                        deadline=timezone.localdate())
    admin, insider = bearer(people.admin), bearer(people.insider)
    assert [s["id"] for s in client.get(f"{API}/sessions", **admin).json()["items"]] == [session.pk]
    assert client.get(f"{API}/sessions", **insider).json()["items"] == []
    detail = client.get(f"{API}/sessions/{session.pk}", **admin).json()
    assert detail["decisions"][0]["id"] == decision.pk and "decide" in detail["actions"]
    assert client.get(f"{API}/sessions/{session.pk}", **insider).status_code == 404
    assert client.get(f"{API}/decisions?state=open", **admin).json()["count"] == 1
    assert client.get(f"{API}/decisions/{decision.pk}", **insider).status_code == 404
    assert client.get(f"{API}/sessions", **bearer(people.colleague)).status_code == 403
