"""The demands JSON API through Django's test client with bearer tokens: idempotent intake, the scoped queue,
every workflow action, photos, extensions, the resident's tracking, review and "me too", the inbox, and the
OpenAPI docs served from local static files."""

import io
import re
from datetime import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gongzhi.accounts import services as account_services
from gongzhi.accounts.roles import Role
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands import services
from gongzhi.demands.models import Demand, Extension, Notification
from tests import factories
from tests.demands.conftest import PHONE, SHANGHAI, submit

BASE = "/api/v1/demands"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def bearer(people):
    def make(persona_or_user):
        user = getattr(people, persona_or_user) if isinstance(persona_or_user, str) else persona_or_user
        _token, key = account_services.issue_token(user, actor=SYSTEM, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    return make


def post(client, url, data=None, **extra):
    return client.post(url, data or {}, content_type="application/json", **extra)


def resident_payload(**kw):
    return {"title": "楼道灯坏了", "description": "3楼楼道灯不亮。", "submitter_name": "王阿姨",
            "submitter_phone": PHONE, **kw}


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 10)).save(buf, "PNG")
    return buf.getvalue()


# --- Intake -------------------------------------------------------------------------------------------------

def test_a_resident_submits_without_an_account_and_a_retry_returns_the_same_demand(client, street):
    payload = resident_payload(building_id=street.building_a1.pk, category_code="street_lights")
    first = post(client, f"{BASE}/", payload, HTTP_IDEMPOTENCY_KEY="phone-app-1")
    assert first.status_code == 201, first.content
    body = first.json()
    assert re.fullmatch(r"GZ\d{6}[0-9A-Z]{6}", body["tracking_code"])
    assert body["grid_id"] == street.grid_a1.pk and body["category_code"] == "street_lights"
    assert body["submitter_phone"] == "139****5678"  # personal data masked for the anonymous caller
    again = post(client, f"{BASE}/", {**payload, "title": "changed on retry"}, HTTP_IDEMPOTENCY_KEY="phone-app-1")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Demand.objects.count() == 1 and Demand.objects.get().channel == "web"


def test_staff_record_a_walk_in_with_their_token_and_the_key_in_the_body(client, street, people, bearer):
    auth = bearer("insider")
    payload = resident_payload(channel="walk_in", building_id=street.building_a1.pk, idempotency_key="desk-7")
    r = post(client, f"{BASE}/", payload, **auth)
    assert r.status_code == 201 and r.json()["submitter_phone"] == PHONE  # the secretary sees personal data
    assert post(client, f"{BASE}/", payload, **auth).status_code == 200
    demand = Demand.objects.get()
    assert demand.recorded_by == people.insider and demand.channel == "walk_in"
    # The same key from another client is another demand.
    assert post(client, f"{BASE}/", payload, **bearer("colleague")).status_code == 201
    assert Demand.objects.count() == 2


def test_invalid_submissions_are_422_with_field_errors_and_write_nothing(client, street, bearer):
    r = post(client, f"{BASE}/", {"title": "", "description": "x", "submitter_phone": "12"})
    assert r.status_code == 422
    assert r.json()["code"] == "validation_failed" and {"title", "submitter_phone"} <= set(r.json()["errors"])
    r = post(client, f"{BASE}/", resident_payload(building_id="not a number"))
    assert r.status_code == 422 and "building_id" in r.json()["errors"]
    r = post(client, f"{BASE}/", resident_payload(channel="hotline_12345"))  # only staff record other channels
    assert r.status_code == 422 and "channel" in r.json()["errors"]
    r = post(client, f"{BASE}/", resident_payload(channel="open311"), **bearer("insider"))
    assert r.status_code == 422 and "channel" in r.json()["errors"]
    assert Demand.objects.count() == 0


def test_a_wrong_token_is_401_even_on_the_public_submit(client, street):
    r = post(client, f"{BASE}/", resident_payload(), HTTP_AUTHORIZATION="Bearer wrong")
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    assert client.get(f"{BASE}/").status_code == 401


def test_anonymous_submissions_are_rate_limited_per_ip(client, street, settings, bearer):
    settings.GONGZHI_ANON_RATE = "2/m"
    payload = resident_payload(building_id=street.building_a1.pk)
    assert [post(client, f"{BASE}/", payload).status_code for _ in range(2)] == [201, 201]
    limited = post(client, f"{BASE}/", payload)
    assert limited.status_code == 429 and limited.json()["code"] == "throttled"
    assert post(client, f"{BASE}/", payload, REMOTE_ADDR="10.0.0.9").status_code == 201  # another address
    assert post(client, f"{BASE}/", payload, HTTP_X_FORWARDED_FOR="10.0.0.10").status_code == 429  # not trusted
    assert post(client, f"{BASE}/", payload, **bearer("insider")).status_code == 201  # staff are not limited
    assert Demand.objects.count() == 4


# --- The queue ----------------------------------------------------------------------------------------------

def test_the_list_is_scoped_filtered_and_paginated(client, street, bearer):
    a1 = submit(street, title="梧桐灯坏了")
    a2 = submit(street, title="梧桐垃圾")
    b1 = submit(street, building=street.building_b1, title="石库门漏水")
    r = client.get(f"{BASE}/", **bearer("insider"))
    assert r.status_code == 200
    assert {d["id"] for d in r.json()["items"]} == {a1.pk, a2.pk} and r.json()["count"] == 2
    assert r.json()["items"][0]["submitter_phone"] == PHONE
    outsider = client.get(f"{BASE}/", **bearer("outsider")).json()
    assert [d["id"] for d in outsider["items"]] == [b1.pk]
    colleague = client.get(f"{BASE}/", {"q": "垃圾"}, **bearer("colleague")).json()
    assert [d["title"] for d in colleague["items"]] == ["梧桐垃圾"]
    assert colleague["items"][0]["submitter_phone"] == "139****5678"  # a grid leader sees it masked
    page = client.get(f"{BASE}/", {"limit": 1, "offset": 1}, **bearer("admin")).json()
    assert page["count"] == 3 and len(page["items"]) == 1
    states = client.get(f"{BASE}/", {"state": "claimed,assigned"}, **bearer("admin")).json()
    assert states["count"] == 0
    assert client.get(f"{BASE}/", **bearer("resident")).status_code == 403


def test_detail_has_the_timeline_and_an_outsider_gets_404_like_a_missing_demand(client, street, bearer):
    demand = submit(street)
    r = client.get(f"{BASE}/{demand.pk}", **bearer("colleague"))
    assert r.status_code == 200
    body = r.json()
    assert [t["action"] for t in body["timeline"]] == ["submit"]
    assert "assign" in body["actions"] and body["region_name"] == "梧桐一网格"
    hidden = client.get(f"{BASE}/{demand.pk}", **bearer("outsider"))
    missing = client.get(f"{BASE}/999999", **bearer("outsider"))
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    # Acting on it is just as invisible.
    r = post(client, f"{BASE}/{demand.pk}/reject", {"reason": "不归我们管"}, **bearer("outsider"))
    assert r.status_code == 404
    assert Demand.objects.get().state == "submitted"


# --- The workflow -------------------------------------------------------------------------------------------

def test_a_demand_goes_through_the_whole_workflow_and_the_resident_reviews_it(client, street, people, bearer):
    demand = submit(street)
    secretary, leader = bearer("insider"), bearer("colleague")
    r = post(client, f"{BASE}/{demand.pk}/assign", {"assignee_id": people.colleague.pk, "note": "请处理"}, **secretary)
    assert r.status_code == 200 and r.json()["state"] == "assigned" and r.json()["assignee_name"] == "梧桐网格长"
    assert post(client, f"{BASE}/{demand.pk}/claim", {}, **leader).json()["state"] == "claimed"
    assert post(client, f"{BASE}/{demand.pk}/start", {"note": "上门查看"}, **leader).json()["state"] == "in_progress"
    r = post(client, f"{BASE}/{demand.pk}/resolve", {"resolution": "已更换灯泡"}, **leader)
    assert r.json()["state"] == "resolved"
    assert [t["action"] for t in r.json()["timeline"]] == ["submit", "assign", "claim", "start", "resolve"]

    track = client.get(f"{BASE}/track/{demand.tracking_code}", {"last4": PHONE[-4:]})
    assert track.status_code == 200 and track.json()["state"] == "resolved"
    assert "actor" not in track.json()["timeline"][0]  # no staff names in the public view
    assert client.get(f"{BASE}/track/{demand.tracking_code}", {"last4": "0000"}).status_code == 404
    r = post(client, f"{BASE}/track/{demand.tracking_code}/review", {"last4": PHONE[-4:], "satisfaction": 5,
                                                                     "comment": "很快"})
    assert r.status_code == 200 and r.json()["state"] == "closed" and r.json()["satisfaction"] == 5


def test_an_invalid_transition_is_409_json(client, street, bearer):
    demand = submit(street)
    r = post(client, f"{BASE}/{demand.pk}/resolve", {"resolution": "done"}, **bearer("insider"))
    assert r.status_code == 409 and r.json()["code"] == "invalid_transition"
    r = post(client, f"{BASE}/track/{demand.tracking_code}/review", {"last4": PHONE[-4:], "satisfaction": 5})
    assert r.status_code == 409
    assert Demand.objects.get().state == "submitted"


def test_a_missing_reason_is_422_and_reject_close_merge_need_the_dispatcher(client, street, people, bearer):
    original, duplicate, junk = submit(street), submit(street), submit(street)
    secretary = bearer("insider")
    r = post(client, f"{BASE}/{junk.pk}/reject", {"reason": " "}, **secretary)  # the schema requires a reason
    assert r.status_code == 422 and "reason" in r.json()["errors"]
    assert post(client, f"{BASE}/{junk.pk}/reject", {"reason": "重复广告"}, **secretary).json()["state"] == "rejected"
    assert post(client, f"{BASE}/{junk.pk}/close", {}, **secretary).json()["state"] == "closed"
    r = post(client, f"{BASE}/{duplicate.pk}/merge", {"into_id": original.pk}, **secretary)
    assert r.status_code == 200 and r.json()["merged_into_id"] == original.pk
    r = post(client, f"{BASE}/{original.pk}/merge", {"into_id": original.pk}, **secretary)
    assert r.status_code == 422 and "merged_into" in r.json()["errors"]
    assert client.get(f"{BASE}/{original.pk}", **secretary).json()["followers"] == [
        {"name": "王阿姨", "phone": PHONE}]


def test_route_return_escalate_to_the_sub_district_and_a_referral_reaches_the_joint_meeting_agenda(client, street, people, bearer):
    demand = submit(street, subdistrict=street.subdistrict, address="不知道在哪里")
    admin = bearer("admin")
    r = post(client, f"{BASE}/{demand.pk}/route", {"grid_id": street.area_a.pk}, **admin)
    assert r.status_code == 422 and "grid" in r.json()["errors"]
    r = post(client, f"{BASE}/{demand.pk}/route", {"building_id": street.building_a1.pk}, **admin)
    assert r.status_code == 200 and r.json()["grid_id"] == street.grid_a1.pk
    post(client, f"{BASE}/{demand.pk}/assign", {"assignee_id": people.colleague.pk}, **admin)
    r = post(client, f"{BASE}/{demand.pk}/return", {"reason": "不是本网格"}, **bearer("colleague"))
    assert r.status_code == 200 and r.json()["state"] == "returned"
    for level in (1, 2):
        r = post(client, f"{BASE}/{demand.pk}/escalate", {"note": "需要协调"}, **admin)
        assert r.status_code == 200 and r.json()["escalation_level"] == level
    # escalation stops at the sub-district; the joint meeting gets it only by the leader's referral
    assert post(client, f"{BASE}/{demand.pk}/escalate", {"note": "需要协调"}, **admin).status_code == 409
    assert client.get(f"{BASE}/joint-meeting", **admin).json()["count"] == 0
    services.refer_demand(demand, actor=people.admin, note="涉及区级部门")
    agenda = client.get(f"{BASE}/joint-meeting", **admin).json()
    assert [d["id"] for d in agenda["items"]] == [demand.pk]
    assert client.get(f"{BASE}/joint-meeting", **bearer("outsider")).json()["count"] == 0


def test_a_party_member_claims_from_the_claim_board_with_a_public_promise(client, street, bearer):
    user = factories.user("member-a1", Role.PARTY_MEMBER, street.grid_a1, display_name="张梧桐")
    street.member_a.user, street.member_a.grid = user, street.grid_a1
    street.member_a.save()
    demand = submit(street)
    member = bearer(user)
    board = client.get(f"{BASE}/claim-board", **member).json()
    assert [d["tracking_code"] for d in board["items"]] == [demand.tracking_code]
    r = post(client, f"{BASE}/{demand.pk}/claim", {"promise": ""}, **member)
    assert r.status_code == 422 and "promise" in r.json()["errors"]
    r = post(client, f"{BASE}/{demand.pk}/claim", {"promise": "本周内修好"}, **member)
    assert r.status_code == 200 and r.json()["claimed_by_name"] == "张梧桐" and r.json()["promise"] == "本周内修好"
    assert client.get(f"{BASE}/claim-board", **member).json()["count"] == 0


# --- Photos, extensions, overdue, me too, inbox -------------------------------------------------------------

def test_photos_are_uploaded_as_multipart(client, street, bearer):
    demand = submit(street)
    leader = bearer("colleague")
    r = client.post(f"{BASE}/{demand.pk}/photos", {"image": SimpleUploadedFile("after.png", png()),
                                                   "kind": "after"}, **leader)
    assert r.status_code == 201 and r.json()["kind"] == "after"
    url = r.json()["url"]  # a signed, expiring link: token clients have no session for /media/
    assert url.split("?")[0].endswith(".png") and "?t=" in url
    assert client.get(url).status_code == 200
    bad = client.post(f"{BASE}/{demand.pk}/photos", {"image": SimpleUploadedFile("x.png", b"not an image")},
                      **leader)
    assert bad.status_code == 422 and "image" in bad.json()["errors"]
    r = client.post(f"{BASE}/track/{demand.tracking_code}/photos",
                    {"image": SimpleUploadedFile("before.png", png()), "last4": PHONE[-4:]})
    assert r.status_code == 201 and r.json()["kind"] == "before"
    assert client.post(f"{BASE}/{demand.pk}/photos", {"image": SimpleUploadedFile("y.png", png())},
                       **bearer("outsider")).status_code == 404
    assert [p["kind"] for p in client.get(f"{BASE}/{demand.pk}", **leader).json()["photos"]] == ["after", "before"]


def test_an_extension_is_requested_by_the_handler_and_decided_by_an_approver(client, street, people, bearer):
    demand = submit(street, now=timezone.now())
    r = post(client, f"{BASE}/{demand.pk}/extensions", {"days": 3, "reason": "需要协调施工队"}, **bearer("colleague"))
    assert r.status_code == 201 and r.json()["status"] == "pending"
    ext_id = r.json()["id"]
    r = post(client, f"{BASE}/{demand.pk}/extensions", {"days": 30, "reason": "太久"}, **bearer("colleague"))
    assert r.status_code == 422 and "days" in r.json()["errors"]
    assert client.get(f"{BASE}/extensions", **bearer("insider")).status_code == 403
    pending = client.get(f"{BASE}/extensions", **bearer("admin")).json()
    assert [e["id"] for e in pending["items"]] == [ext_id]
    assert post(client, f"{BASE}/extensions/{ext_id}/decision", {"approve": True},
                **bearer("outsider")).status_code == 404
    r = post(client, f"{BASE}/extensions/{ext_id}/decision", {"approve": True, "note": "同意"}, **bearer("admin"))
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert Demand.objects.get().due_on > demand.due_on
    again = post(client, f"{BASE}/extensions/{ext_id}/decision", {"approve": False}, **bearer("admin"))
    assert again.status_code == 409 and Extension.objects.get().status == "approved"


def test_overdue_demands_are_listed_in_scope(client, street, bearer):
    late = submit(street, now=datetime(2026, 1, 5, 10, 0, tzinfo=SHANGHAI))
    submit(street, now=timezone.now())
    r = client.get(f"{BASE}/overdue", **bearer("insider"))
    assert r.status_code == 200 and [d["id"] for d in r.json()["items"]] == [late.pk]
    assert client.get(f"{BASE}/overdue", **bearer("outsider")).json()["count"] == 0


def test_me_too_counts_each_account_once_and_needs_one(client, street, bearer):
    demand = submit(street)
    url = f"{BASE}/track/{demand.tracking_code}/support"
    r = post(client, url, {"contact": "13800000001"})  # a phone typed in proves nothing
    assert r.status_code == 422 and "contact" in r.json()["errors"]
    assert post(client, url, {}, **bearer("resident")).json()["support_count"] == 1
    assert post(client, url, {}, **bearer("resident")).json()["support_count"] == 1
    assert post(client, url, {}, **bearer("colleague")).json()["support_count"] == 2
    assert post(client, f"{BASE}/track/GZ000000AAAAAA/support", {}, **bearer("resident")).status_code == 404


def test_the_inbox_lists_and_marks_notifications(client, street, people, bearer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, f"{BASE}/", resident_payload(building_id=street.building_a1.pk))  # tells grid A1's leader
    leader = bearer("colleague")
    inbox = client.get(f"{BASE}/inbox", {"unread": True}, **leader).json()
    assert inbox["count"] == 1 and inbox["items"][0]["tracking_code"]
    assert client.get(f"{BASE}/inbox", **bearer("outsider")).json()["count"] == 0
    assert post(client, f"{BASE}/inbox/read", {}, **leader).json() == {"marked": 1}
    assert client.get(f"{BASE}/inbox", {"unread": True}, **leader).json()["count"] == 0
    assert Notification.objects.get().read_at is not None


# --- Documentation ------------------------------------------------------------------------------------------

def test_the_openapi_docs_render_from_local_static_files(client, db):
    r = client.get("/api/v1/docs")
    assert r.status_code == 200
    html = r.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/static/") for u in urls), urls
    for url in urls:
        assert client.get(url).status_code == 200, url
    schema = client.get("/api/v1/openapi.json").json()
    submit_op = schema["paths"]["/api/v1/demands/"]["post"]
    assert {"201", "200", "401", "409", "422", "429"} <= set(submit_op["responses"])
    for path, methods in schema["paths"].items():
        if path.startswith("/api/v1/demands"):
            for op in methods.values():
                assert {"400", "401", "403", "404", "409", "422"} <= set(op["responses"]), path


def test_tracking_shows_the_public_projection_only(client, street, people):
    """Issue 11 (security 7 and 8): the tracking API hides internal notes and masks phone and ID numbers written
    with separators or +86; no staff name is in the answer."""
    demand = submit(street, description="电话 +86 139-1234-5678，身份证 310101199001011234，楼道灯坏了")
    demand = services.assign_demand(demand, actor=people.colleague, assignee_id=people.colleague.pk,
                                    note="内部：先联系物业经理 13800005555")
    demand = services.return_demand(demand, actor=people.colleague, reason="不属于本网格，居民电话13912345678")
    body = client.get(f"{BASE}/track/{demand.tracking_code}", {"last4": PHONE[-4:]}).json()
    text = str(body)
    for secret in ("13800005555", "13912345678", "139-1234-5678", "310101199001011234", "物业经理",
                   str(people.colleague)):
        assert secret not in text
    assert "139****5678" in body["description"] and "3101**********1234" in body["description"]
    assert [step["action"] for step in body["timeline"]] == ["submit", "assign", "return"]
    assert all(step["note"] == "" for step in body["timeline"][1:])
