"""Issue 16's wish walk in a real browser (a phone): a member unit's liaison opens the micro-wish board (微心愿),
claims an open wish of a household in hardship with a public promise (亮承诺), then fulfils it uploading a photo;
the board then shows it fulfilled with the photo (loaded through the scope-checked media), the promise and the
unit's name, the beneficiary masked throughout. The starting world: the factories' street, one open wish of
area A and the liaison of unit A."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from gongzhi.volunteering.models import Wish
from gongzhi.volunteering.workflow import WishState
from tests import factories
from tests.browser.conftest import log_in
from tests.volunteering import wish_factories as wf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_unit_claims_a_wish_with_a_promise_and_fulfils_it_with_a_photo(browser, live_server, settings,
                                                                          tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    street = factories.street()
    wish = wf.wish(street.area_a, WishState.OPEN, title="一辆轻便轮椅", beneficiary_name="赵大伯",
                   description="下肢残疾，原来的轮椅太重，出门下楼很吃力。")
    wf.liaison_account(street, "hospital")
    photo = tmp_path / "wheelchair.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buf, "JPEG")
    photo.write_bytes(buf.getvalue())

    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    refused = []
    page = context.new_page()
    page.set_default_timeout(15000)
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        log_in(page, live_server, "hospital", factories.PASSWORD)
        page.goto(live_server.url + reverse("volunteering:wish_h5_board"))
        card = page.locator(f"#wish-{wish.pk}")
        expect(card).to_contain_text("一辆轻便轮椅")
        expect(card).to_contain_text("赵**")
        expect(page.locator("body")).not_to_contain_text("赵大伯")
        card.locator(f'[data-claim="{wish.pk}"]').click()

        page.fill("#id_promise", "医院党支部一周内送到家中，并教会老人使用")
        page.fill("#id_promised_on", f"{timezone.localdate() + timedelta(days=7):%Y-%m-%d}")
        page.locator("#claim button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator(".claimer")).to_contain_text("梧桐社区医院")
        expect(page.locator(".promise")).to_contain_text("医院党支部一周内送到家中")

        page.fill("#fulfil textarea", "已把轮椅送到赵大伯家中，调好了座椅高度")
        page.set_input_files("#fulfil input[type=file]", str(photo))
        page.locator("#fulfil button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator(".fulfilment")).to_contain_text("已把轮椅送到赵大伯家中")

        page.goto(live_server.url + reverse("volunteering:wish_h5_board") + "?state=fulfilled")
        card = page.locator(f"#wish-{wish.pk}")
        expect(card).to_contain_text("一辆轻便轮椅")
        expect(card).to_contain_text("医院党支部一周内送到家中")
        img = card.locator("img.wish-photo")
        expect(img).to_have_count(1)
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
        assert img.evaluate("img => img.naturalWidth") == 64
    finally:
        context.close()
    wish.refresh_from_db()
    assert wish.state == WishState.FULFILLED and wish.claimer_unit == street.unit_a
    assert Wish.objects.get(pk=wish.pk).photos.count() == 1
    assert not refused, refused[:3]
