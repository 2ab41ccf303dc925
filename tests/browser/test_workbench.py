"""Issue 10: each persona logs in and finds work on their home page (a card with a number, an item linking to the
object), and at 390 px the menu folds behind ☰ and no menu label or title wraps one character per line.

Set GONGZHI_SCREENSHOTS=<dir> to keep screenshots of the pages checked."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.conftest import log_in
from tests.core import workbench_world
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("GONGZHI_SCREENSHOTS")

# Elements whose text must stay readable on a phone: a line holds at least two characters on average.
CRAMPED = """(selector) => {
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!el.offsetParent) continue;  // not shown
    const text = el.innerText.replace(/\\s+/g, "");
    if (text.length < 2) continue;
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    if (tops.size > 1 && text.length / tops.size < 2) out.push(`${el.tagName}.${el.className}: ${text} (${tops.size} lines)`);
  }
  return out;
}"""
TITLES = ".mainnav a, .navgroup-label, .usermenu summary, .brand, h1, h2, th"


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def card_with_work(page, card_id):
    """The card's number (non-zero) and its first item's link."""
    card = page.locator(f"#{card_id}")
    assert int(card.locator(".wb-num").inner_text()) > 0, card_id
    return card.locator(".wb-items a").first


@pytest.fixture
def work():
    return workbench_world.build()


def test_each_persona_finds_work_on_the_home_page(page, live_server, work):
    url = live_server.url

    # the sub-district administrator: extension requests to decide, leading to the demand
    log_in(page, live_server, "streetadmin", PASSWORD)
    assert page.url == url + reverse("home")
    page.hover(".navgroup-label >> nth=0")  # a module's drop-down opens on hover (and on keyboard focus)
    assert page.locator(f".navgroup-items a[href='{reverse('demands:extensions')}']").is_visible()
    assert not page.locator(f".navgroup-items a[href='{reverse('audit')}']").is_visible()  # other groups stay shut
    shot(page, "streetadmin-home-desktop")
    link = card_with_work(page, "card-demands-extensions")
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.url == url + reverse("demands:detail", args=[work.assigned.pk])
    assert work.assigned.tracking_code in page.inner_text("main")
    page.context.clear_cookies()

    # the grid leader: what is assigned to him, and what is overdue in his grid
    log_in(page, live_server, "colleague", PASSWORD)
    assert work.overdue.title in page.inner_text("#card-demands-overdue")
    card_with_work(page, "card-demands-assigned").click()
    page.wait_for_load_state("networkidle")
    assert page.url == url + reverse("demands:detail", args=[work.assigned.pk])
    page.context.clear_cookies()

    # the party member: the claim board of his grid, with the new item on it
    log_in(page, live_server, "member", PASSWORD)
    assert work.claimed.title in page.inner_text("#card-demands-claims")
    card_with_work(page, "card-demands-board").click()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(url + reverse("demands:claim_board"))
    assert work.board.title in page.inner_text(f"#board-{work.board.pk}")
    page.context.clear_cookies()

    # the resident with an account: their own demand, opened without typing the phone digits
    log_in(page, live_server, "resident", PASSWORD)
    home = page.inner_text("main")
    assert work.own.title in home and work.outside["submitted_by_other"].title not in home
    card_with_work(page, "card-demands-mine").click()
    page.wait_for_load_state("networkidle")
    assert page.url == url + reverse("demands:track_status", args=[work.own.tracking_code])
    assert work.own.title in page.inner_text("main")


@pytest.mark.parametrize("username, lists", [
    ("streetadmin", ("demands:queue", "matching:projects", "registry:partymember_list")),
    ("colleague", ("demands:overdue",)), ("member", ("demands:claim_board",)), ("resident", ("demands:mine",)),
])
def test_phone_width_menu_and_titles(browser, live_server, work, username, lists):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        log_in(page, live_server, username, PASSWORD)
        for name, path in (("home", reverse("home")), *((n.replace(":", "-"), reverse(n)) for n in lists)):
            page.goto(live_server.url + path)
            assert not page.locator(".mainnav").is_visible()  # folded behind ☰
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
            assert page.evaluate(CRAMPED, TITLES + ", .wb-head h2, .wb-items li") == [], name
            shot(page, f"{username}-{name}-390")
            page.click(".nav-toggle-label")
            assert page.locator(".mainnav").is_visible()
            assert page.locator(".mainnav a").count() >= 2  # the workbench and this role's entries
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
            assert page.evaluate(CRAMPED, TITLES) == [], name
            shot(page, f"{username}-{name}-390-menu")
        page.click(".usermenu summary")
        assert page.locator(f".usermenu-items a[href='{reverse('password_change')}']").is_visible()
        assert page.locator(f".usermenu-items a[href='{reverse('api_tokens')}']").is_visible()
        assert page.evaluate(CRAMPED, ".usermenu-items a, .usermenu-items button") == []
    finally:
        context.close()
