"""Issue 11, security 1 in a real browser: a resident with an account proves their phone by SMS code and sees
every demand filed with it under 我的诉求 (reached from the menu); a tracking code becomes locked after repeated
wrong digits, the page says how to recover, and the SMS re-send's link opens the demand again."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from gongzhi.demands import services
from gongzhi.demands.models import Channel
from gongzhi.demands.notify import MemoryNotifier
from tests import factories
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13912345678"


@pytest.fixture
def sms(settings):
    settings.GONGZHI_SMS_BACKEND = "gongzhi.demands.notify.MemoryNotifier"
    MemoryNotifier.outbox.clear()
    yield MemoryNotifier.outbox
    MemoryNotifier.outbox.clear()


def _file(street, title, **kw):
    demand, _created = services.submit_demand(title=title, description=f"{title}，请尽快处理。", channel=Channel.WEB,
                                              submitter_name="王阿姨", submitter_phone=PHONE,
                                              building=street.building_a1, **kw)
    return demand


def test_a_resident_with_an_account_sees_their_demands(page, live_server, sms):
    cache.clear()
    street = factories.street()
    people = factories.personas(street)
    walk_in = _file(street, "电梯异响", recorded_by=people.colleague)  # taken in by the grid leader, by phone
    online = _file(street, "楼道灯坏了")  # reported on the H5 page without an account
    log_in(page, live_server, "resident", factories.PASSWORD)
    mine = page.locator(f"#mainnav a[href='{reverse('demands:mine')}']")
    assert mine.count() == 1  # 我的诉求 is in the menu
    page.goto(live_server.url + reverse("demands:mine"))
    assert page.locator("#my-demands tbody tr td a").count() == 0
    page.click("#verify-phone")
    page.fill("#id_phone", PHONE)
    page.click("#phone-form button[type=submit]")
    page.wait_for_selector("#code-form")
    code = re.search(r"\d{6}", sms[-1][1]).group(0)
    page.fill("#id_code", code)
    page.click("#code-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(reverse("demands:mine"))
    table = page.inner_text("#my-demands")
    assert walk_in.tracking_code in table and online.tracking_code in table and "电梯异响" in table
    page.click(f"#my-demands a:text('{walk_in.tracking_code}')")
    page.wait_for_load_state("networkidle")
    assert "电梯异响" in page.inner_text("h1") and page.locator("#timeline li").count() >= 1


def test_a_tracking_code_locks_after_wrong_digits_and_says_how_to_recover(browser, page, live_server, sms):
    cache.clear()
    street = factories.street()
    demand = _file(street, "楼道灯坏了")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("demands:track"))
    for guess in ("1111", "2222", "3333", "4444", "5555"):
        page.fill("#id_tracking_code", demand.tracking_code)
        page.fill("#id_last4", guess)
        page.click("form.card button[type=submit] >> nth=-1")
        page.wait_for_load_state("networkidle")
    assert page.locator("#locked").is_visible()
    # even the right digits are refused now
    page.fill("#id_tracking_code", demand.tracking_code)
    page.fill("#id_last4", PHONE[-4:])
    page.click("form.card button[type=submit] >> nth=-1")
    page.wait_for_load_state("networkidle")
    locked = page.inner_text("#locked")
    assert page.locator("#resend").is_visible()
    assert any(word in locked for word in ("service station", "服务站")) and any(
        word in locked for word in ("SMS", "短信"))
    sms.clear()
    page.click("#resend")
    page.wait_for_load_state("networkidle")
    assert len(sms) == 1 and sms[0][0] == PHONE and demand.tracking_code in sms[0][1]
    link = re.search(r"/demands/h5/recover/\S+/", sms[0][1]).group(0)
    phone = browser.new_context(locale="zh-CN").new_page()  # the link opens on the resident's phone
    phone.goto(live_server.url + link)
    assert phone.url.endswith(reverse("demands:track_status", args=[demand.tracking_code]))
    assert "楼道灯坏了" in phone.inner_text("h1")
    phone.context.close()
