"""Issue 11, security 2 and 14: demand photos are read through the scope-checked media view, or through signed,
expiring links where they are shown publicly (tracking page, Open311 media_url, API); images are limited in
pixels, not only in bytes."""

import io
import re
import time

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from gongzhi.core import media
from gongzhi.demands.models import Demand
from tests.conftest import login
from tests.demands.conftest import PHONE, submit


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _jpeg(size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def demand(street):
    return submit(street, photos=[_jpeg()])


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_photos_are_stored_under_a_random_name_and_seen_only_in_scope(client, demand, people):
    photo = demand.photos.get()
    assert re.fullmatch(r"demands/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", photo.image.name)
    url = photo.image.url
    assert client.get(url).status_code == 404  # /media/ is not public
    login(client, people.outsider)
    assert client.get(url).status_code == 404
    login(client, people.insider)
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    assert not r["Content-Disposition"].startswith("attachment")  # an image may show inline
    assert r["X-Content-Type-Options"] == "nosniff" and r["Content-Security-Policy"] == "sandbox"
    assert _body(r)[:3] == b"\xff\xd8\xff"


def test_a_signed_link_opens_one_photo_without_an_account_until_it_expires(client, demand, monkeypatch):
    photo = demand.photos.get()
    url = media.signed_url(photo.image, max_age=60)
    assert url.startswith(photo.image.url + "?t=")
    assert client.get(url).status_code == 200
    other = url.replace(photo.image.name, "demands/2026/01/" + "0" * 32 + ".jpg")
    assert client.get(other).status_code == 404  # the token names its file
    assert client.get(url[:-3] + "xyz").status_code == 404  # tampered
    later = time.time() + 61
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert client.get(url).status_code == 404  # expired


def test_the_public_tracking_page_shows_signed_photo_links(client, demand):
    client.post(reverse("demands:track"), {"tracking_code": demand.tracking_code, "last4": PHONE[-4:]})
    page = client.get(reverse("demands:track_status", args=[demand.tracking_code])).content.decode()
    src = re.search(r'<img src="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "?t=" in src
    client.logout()
    fresh = client.__class__()  # another visitor with the link only
    assert fresh.get(src).status_code == 200


def test_open311_media_url_is_a_signed_link(client, demand):
    data = client.get(reverse("open311:request", kwargs={"request_id": demand.tracking_code, "fmt": "json"})).json()
    media_url = data[0]["media_url"]
    assert "?t=" in media_url and media_url.startswith("http://testserver/media/demands/")
    assert client.get(media_url.removeprefix("http://testserver")).status_code == 200


def test_a_6300_by_6300_png_is_refused_with_a_chinese_field_error(client, street):
    out = io.BytesIO()
    Image.new("1", (6300, 6300)).save(out, "PNG")
    assert len(out.getvalue()) < 200_000  # small in bytes, 39.7 megapixels
    upload = SimpleUploadedFile("huge.png", out.getvalue(), content_type="image/png")
    r = client.post(reverse("demands:submit"), {
        "title": "楼道灯坏了", "description": "3楼楼道灯不亮。", "address": "梧桐1号楼", "submitter_name": "王阿姨",
        "submitter_phone": PHONE, "idempotency_key": "key-huge", "photos": [upload]})
    assert r.status_code == 422
    errors = r.context["form"].errors["photos"]
    with translation.override("zh-hans"):  # the field error is the catalogue's Chinese sentence
        assert errors == [media.too_many_pixels_message(6300, 6300)]
    assert "6300 × 6300" in errors[0] and "30" in errors[0]
    assert not Demand.objects.exists()
