"""Security 1: the last four phone digits cannot be guessed. One failure counter per tracking code, shared by the
H5 tracking page, the tracking API, the review and the photo upload, whoever the client is; after five wrong
tries the code is locked for an hour (even the right digits are refused) and the resident is told how to get it
back: an SMS re-send of the code with a recovery link, or the service station."""

import io
import re
from datetime import timedelta
from functools import partial

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from gongzhi.core.errors import NotFound, TrackingLocked
from gongzhi.demands import services
from gongzhi.demands.models import TrackingGuard
from tests.concurrency import run_at_once
from tests.demands.conftest import MONDAY, PHONE, submit

API = "/api/v1/demands"
LAST4 = PHONE[-4:]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _jpeg():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(out, "JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def test_wrong_digits_from_every_client_share_one_counter_and_lock_the_code(client, street):
    demand = submit(street)
    code = demand.tracking_code
    # five wrong tries, each through another client and from another address
    client.post(reverse("demands:track"), {"tracking_code": code, "last4": "0001"}, REMOTE_ADDR="10.0.0.1")
    client.get(f"{API}/track/{code}", {"last4": "0002"}, REMOTE_ADDR="10.0.0.2")
    client.post(f"{API}/track/{code}/review", {"last4": "0003", "satisfaction": 5}, content_type="application/json",
                REMOTE_ADDR="10.0.0.3")
    client.post(f"{API}/track/{code}/photos", {"last4": "0004", "image": _jpeg()}, REMOTE_ADDR="10.0.0.4")
    r = client.get(f"{API}/track/{code}", {"last4": "0005"}, REMOTE_ADDR="10.0.0.5")
    assert r.status_code == 429 and r.json()["code"] == "tracking_locked" and r.json()["locked_until"]
    # now even the right digits are refused, on every path
    r = client.get(f"{API}/track/{code}", {"last4": LAST4}, REMOTE_ADDR="10.0.0.6")
    assert r.status_code == 429
    r = client.post(f"{API}/track/{code}/review", {"last4": LAST4, "satisfaction": 5},
                    content_type="application/json", REMOTE_ADDR="10.0.0.7")
    assert r.status_code == 429
    page = client.post(reverse("demands:track"), {"tracking_code": code, "last4": LAST4}, REMOTE_ADDR="10.0.0.8")
    assert page.status_code == 429
    html = page.content.decode()
    # the page says how to recover: the SMS re-send (a button) and the service station
    assert 'id="locked"' in html and reverse("demands:track_resend", args=[code]) in html
    assert str(page.context["locked"].message) in html
    assert demand.photos.count() == 0


def test_the_lock_ends_after_an_hour_and_a_right_guess_gives_the_attempts_back(street):
    demand = submit(street)
    code = demand.tracking_code
    for _i in range(4):
        with pytest.raises(NotFound):
            services.access_by_tracking(code, "0000", now=MONDAY)
    assert services.access_by_tracking(code, LAST4, now=MONDAY) == demand  # the resident: attempts back
    for _i in range(4):
        with pytest.raises(NotFound):
            services.access_by_tracking(code, "0000", now=MONDAY)
    with pytest.raises(TrackingLocked):
        services.access_by_tracking(code, "0000", now=MONDAY)
    with pytest.raises(TrackingLocked):
        services.access_by_tracking(code, LAST4, now=MONDAY + timedelta(minutes=59))
    assert services.access_by_tracking(code, LAST4, now=MONDAY + timedelta(hours=1)) == demand


def test_the_resident_has_the_code_sent_again_and_its_link_lifts_the_lock(client, street, sms,
                                                                          django_capture_on_commit_callbacks):
    demand = submit(street)
    code = demand.tracking_code
    for guess in ("0001", "0002", "0003", "0004", "0005"):
        client.get(f"{API}/track/{code}", {"last4": guess})
    assert client.get(f"{API}/track/{code}", {"last4": LAST4}).status_code == 429
    sms.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("demands:track_resend", args=[code]))
        assert r.status_code == 302
        client.post(reverse("demands:track_resend", args=[code]))  # throttled: one SMS per ten minutes
        r = client.post(f"{API}/track/{code}/resend")
        assert r.status_code == 202
        assert client.post(f"{API}/track/GZ000000AAAAAA/resend").status_code == 202  # says nothing either way
    assert len(sms) == 1
    phone, text = sms[0]
    assert phone == PHONE and code in text
    link = re.search(r"/demands/h5/recover/\S+/", text).group(0)
    other = type(client)()  # the resident's phone: another browser
    r = other.get(link)
    assert r.status_code == 302 and r.url == reverse("demands:track_status", args=[code])
    assert demand.title in other.get(r.url).content.decode()
    assert client.get(f"{API}/track/{code}", {"last4": LAST4}).status_code == 200  # unlocked for everyone
    assert other.get(link[:-3] + "xx/").status_code == 404  # a forged link


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_cannot_test_more_digits_than_the_limit(street):
    demand = submit(street)
    code = demand.tracking_code
    guesses = [f"{n:04d}" for n in range(31) if f"{n:04d}" != LAST4][:30]  # 30 wrong guesses at once

    def guess(last4: str) -> str:
        try:
            services.access_by_tracking(code, last4)
        except NotFound:
            return "wrong"
        except TrackingLocked:
            return "locked"
        return "found"

    outcomes = run_at_once([partial(guess, g) for g in guesses])
    assert len(outcomes) == 30
    assert "found" not in outcomes
    assert outcomes.count("wrong") <= services.TRACK_MAX_FAILURES - 1  # the fifth wrong one locks
    assert outcomes.count("locked") >= 30 - services.TRACK_MAX_FAILURES
    assert TrackingGuard.objects.get(pk=demand.pk).locked_until is not None  # and it ends in an hour
