"""The micro-wish API: the list and the detail in scope with the beneficiary masked for whoever may not see
personal data, the claim (409 when claimed, 422 on bad input) and the fulfilment with a photo (multipart)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gongzhi.volunteering.workflow import WishState
from tests.conftest import login
from tests.volunteering import wish_factories as wf

pytestmark = pytest.mark.django_db
API = "/api/v1/volunteering/wishes"


def test_the_list_and_the_detail_are_scoped(client, street, people):
    a = wf.wish(street.area_a, WishState.OPEN, title="一台电饭煲")
    wf.wish(street.area_b, WishState.OPEN, title="石库门心愿")
    listed = login(client, people.insider).get(API).json()
    assert [w["id"] for w in listed["items"]] == [a.pk]
    assert listed["items"][0]["beneficiary"] == "王阿婆"  # staff who may see personal data: in full
    detail = client.get(f"{API}/{a.pk}").json()
    assert detail["area"] == "梧桐居民区" and detail["actions"] == ["withdraw"] and detail["timeline"] == []
    assert client.get(API, {"state": "overdue"}).json()["items"] == []
    assert login(client, people.outsider).get(f"{API}/{a.pk}").status_code == 404
    assert login(client, people.resident).get(API).status_code == 403


def test_the_claim_masks_the_beneficiary_answers_409_then_and_422_on_bad_input(client, street, people):
    wish = wf.wish(street.area_a, WishState.OPEN)
    member = wf.member_account(street)
    url = f"{API}/{wish.pk}/claim"
    on = (timezone.localdate() + timedelta(days=7)).isoformat()
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    r = login(client, member).post(url, {"promise": "周末送到", "promised_on": past}, content_type="application/json")
    assert r.status_code == 422 and "promised_on" in r.json()["errors"]
    r = client.post(url, {"promise": "周末送到", "promised_on": on}, content_type="application/json")
    body = r.json()
    assert r.status_code == 200 and body["state"] == "claimed" and body["claimer"] == "张梧桐"
    assert body["claimer_kind"] == "member" and body["beneficiary"] == "王**"
    assert body["beneficiary_phone"] == "139****5678" and body["actions"] == ["release", "fulfil"]
    liaison = wf.liaison_account(street)
    r = login(client, liaison).post(url, {"promise": "我们来", "promised_on": on}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "already_claimed"
    r = login(client, people.resident).post(url, {"promise": "我来", "promised_on": on},
                                            content_type="application/json")
    assert r.status_code == 403


def test_the_fulfilment_takes_a_photo_as_multipart(client, street, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    liaison = wf.liaison_account(street)
    wish = wf.wish(street.area_a, WishState.CLAIMED, unit=street.unit_a)
    url = f"{API}/{wish.pk}/fulfil"
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = SimpleUploadedFile("a.png", b"not an image", content_type="image/png")
    r = login(client, liaison).post(url, {"note": "已送达", "photo": text})
    assert r.status_code == 422 and "photos" in r.json()["errors"]
    r = client.post(url, {"note": "已送达", "photo": wf.png()})
    assert r.status_code == 200 and r.json()["state"] == "fulfilled" and r.json()["photos"] == 1
    assert r.json()["beneficiary"] == "王**"
