"""The resident's H5 pages, without an account: submit (idempotent, rate-limited, field errors in Chinese),
track with the code + last four phone digits, me too, and the review."""

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from gongzhi.demands import services
from gongzhi.demands.models import Category, Demand, PhotoKind
from gongzhi.demands.workflow import State
from tests.demands.conftest import PHONE, submit

SUBMIT = reverse("demands:submit")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def photo(name="p.jpg", color="red"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def form_data(**kw):
    data = {"title": "楼道灯坏了", "description": "3楼楼道灯不亮，晚上很黑。", "address": "梧桐1号楼",
            "submitter_name": "王阿姨", "submitter_phone": PHONE, "idempotency_key": "key-1"}
    return data | kw


def test_the_form_carries_a_fresh_idempotency_key_and_the_top_categories(client, street):
    first, second = client.get(SUBMIT), client.get(SUBMIT)
    assert first.status_code == 200
    key1, key2 = first.context["form"].initial["idempotency_key"], second.context["form"].initial["idempotency_key"]
    assert key1 and key1 != key2
    assert 'name="idempotency_key"' in first.content.decode()
    assert "物业管理" in first.content.decode()


def test_a_resident_submits_with_a_photo_and_sees_the_tracking_code(client, street):
    lights = Category.objects.get(code="street_lights", subdistrict=None)
    response = client.post(SUBMIT, form_data(category=lights.parent_id or lights.pk, subcategory=lights.pk,
                                             photos=[photo()]), follow=True)
    demand = Demand.objects.get()
    assert demand.tracking_code in response.content.decode()
    assert (demand.channel, demand.grid, demand.state) == ("web", street.grid_a1, State.SUBMITTED)
    assert demand.category == lights
    assert demand.photos.get().kind == PhotoKind.BEFORE


def test_a_double_submit_creates_one_demand(client, street):
    first = client.post(SUBMIT, form_data())
    second = client.post(SUBMIT, form_data(title="又提交了一次"))
    assert first.status_code == second.status_code == 302
    assert Demand.objects.count() == 1
    assert Demand.objects.get().title == "楼道灯坏了"
    # A new form (new key) is a new demand.
    client.post(SUBMIT, form_data(idempotency_key="key-2"))
    assert Demand.objects.count() == 2


def test_errors_are_shown_per_field_in_chinese_and_nothing_is_written(client, street):
    response = client.post(SUBMIT, form_data(title="", submitter_phone="123"))
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors["title"] == ["这个字段是必填项。"]
    assert form.errors["submitter_phone"] == ["请输入有效的手机或座机号码。"]
    assert Demand.objects.count() == 0


def test_at_most_three_photos_and_only_images(client, street):
    response = client.post(SUBMIT, form_data(photos=[photo(f"{i}.jpg") for i in range(4)]))
    assert response.status_code == 422 and "photos" in response.context["form"].errors
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(SUBMIT, form_data(photos=[fake]))
    assert response.status_code == 422 and "photos" in response.context["form"].errors
    assert Demand.objects.count() == 0


def test_anonymous_intake_is_rate_limited_per_address(client, street, settings):
    settings.GONGZHI_INTAKE_RATE_LIMIT = 2
    for i in range(2):
        assert client.post(SUBMIT, form_data(idempotency_key=f"k{i}")).status_code == 302
    response = client.post(SUBMIT, form_data(idempotency_key="k3"))
    assert response.status_code == 429
    assert Demand.objects.count() == 2
    # A refresh of an already accepted form still answers with its code, not with the limit.
    assert client.post(SUBMIT, form_data(idempotency_key="k0")).status_code == 302
    # Another address is not limited.
    assert client.post(SUBMIT, form_data(idempotency_key="k4"), REMOTE_ADDR="10.0.0.9").status_code == 302


def test_the_sub_category_select_is_filled_from_the_category(client, street):
    top = Category.objects.filter(subdistrict=None, parent=None).first()
    response = client.get(reverse("demands:category_children"), {"category": top.pk}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert all(c.name in html for c in top.children.all()) and html.count("<option") == top.children.count() + 1


def _track(client, code, last4):
    return client.post(reverse("demands:track"), {"tracking_code": code, "last4": last4})


def test_tracking_needs_the_code_and_the_last_four_digits(client, street):
    demand = submit(street)
    status_url = reverse("demands:track_status", args=[demand.tracking_code])
    assert client.get(status_url).url.startswith(reverse("demands:track"))  # not proven yet
    response = _track(client, demand.tracking_code, "0000")
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    response = _track(client, demand.tracking_code.lower(), PHONE[-4:])
    assert response.url == status_url
    page = client.get(status_url).content.decode()
    assert demand.title in page and "已受理" in page
    assert PHONE not in page and "王阿姨" not in page  # no personal data on the public page


def test_failed_tracking_guesses_are_limited(client, street, settings):
    settings.GONGZHI_TRACK_RATE_LIMIT = 3
    demand = submit(street)
    for guess in ("0001", "0002", "0003"):
        _track(client, demand.tracking_code, guess)
    assert _track(client, demand.tracking_code, PHONE[-4:]).status_code == 429


def test_me_too_counts_once_per_verified_visitor(client, street):
    demand = submit(street)
    session = client.session
    session["demands_verified_phone"] = "13800000001"
    session.save()
    url = reverse("demands:support", args=[demand.tracking_code])
    client.post(url)
    client.post(url)
    demand.refresh_from_db()
    assert demand.support_count == 1


def test_the_resident_reviews_a_resolved_demand(client, street, people):
    demand = submit(street)
    services.claim_demand(demand, actor=people.colleague)
    services.start_demand(demand, actor=people.colleague)
    services.resolve_demand(demand, actor=people.colleague, resolution="已更换灯泡")
    _track(client, demand.tracking_code, PHONE[-4:])
    url = reverse("demands:track_status", args=[demand.tracking_code])
    page = client.get(url)
    assert page.context["can_review"] and "已更换灯泡" in page.content.decode()

    client.post(url, {"action": "review", "satisfaction": "2", "comment": "灯还是暗"})
    demand.refresh_from_db()
    assert demand.state == State.REOPENED and demand.reopen_count == 1
    assert not client.get(url).context["can_review"]

    services.start_demand(demand, actor=people.colleague)
    services.resolve_demand(demand, actor=people.colleague, resolution="换了更亮的灯")
    client.post(url, {"action": "review", "satisfaction": "5"})
    demand.refresh_from_db()
    assert (demand.state, demand.satisfaction) == (State.CLOSED, 5)


def test_a_review_without_a_score_is_refused(client, street, people):
    demand = submit(street)
    for step in (services.claim_demand, services.start_demand):
        step(demand, actor=people.colleague)
    services.resolve_demand(demand, actor=people.colleague, resolution="ok")
    _track(client, demand.tracking_code, PHONE[-4:])
    response = client.post(reverse("demands:track_status", args=[demand.tracking_code]), {"action": "review"})
    assert response.status_code == 200 and "satisfaction" in response.context["review_form"].errors
    demand.refresh_from_db()
    assert demand.state == State.RESOLVED


def test_the_pages_are_laid_out_for_a_phone(client, street):
    html = client.get(SUBMIT).content.decode()
    assert 'name="viewport"' in html and 'class="h5"' in html and 'inputmode="tel"' in html
