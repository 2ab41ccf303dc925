"""A party member claims a grid micro-item in the browser (亮承诺、认领网格微事项): from the grid topics list to the
topic's page, a claim with a public promise, and the promise on their "my promises" page; the grid leader finds
it on the claims board."""

import pytest
from django.urls import reverse

from gongzhi.accounts.roles import Role
from gongzhi.deliberation.models import MicroItem
from tests import factories
from tests.browser.conftest import log_in
from tests.deliberation.grid_support import grid_topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_party_member_claims_a_micro_item_and_sees_the_promise(page, live_server):
    street = factories.street()
    factories.personas(street)
    factories.user("member", Role.PARTY_MEMBER, street.grid_a1, display_name="张梧桐")
    topic = grid_topic(street.grid_a1, title="楼道堆物：屋檐下的微自治", items=["楼道堆物清理", "电瓶车充电劝导"])
    grid_topic(street.grid_b1, title="石库门议题", items=["石库门微事项"])
    item = topic.micro_items.get(title="楼道堆物清理")

    log_in(page, live_server, "member", factories.PASSWORD)
    page.goto(live_server.url + reverse("deliberation:grid_topics"))
    listing = page.inner_text("#grid-topics")
    assert "楼道堆物：屋檐下的微自治" in listing and "石库门议题" not in listing  # their grid's topics only
    page.click("text=楼道堆物：屋檐下的微自治")
    assert page.url.endswith(reverse("deliberation:grid_topic_detail", args=[topic.pk]))

    card = page.locator(f"#item-{item.pk}")
    card.locator("textarea").fill("本周六上午带志愿者清理3楼楼道")
    card.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    item.refresh_from_db()
    assert item.state == "claimed" and item.claimed_by.username == "member"
    card = page.locator(f"#item-{item.pk}")
    assert "本周六上午带志愿者清理3楼楼道" in card.inner_text() and "张梧桐" in card.inner_text()
    assert card.locator(".claim-form").count() == 0  # one claimant: no second claim form

    page.goto(live_server.url + reverse("deliberation:grid_my_promises"))
    pending = page.inner_text("#my-pending")
    assert "楼道堆物清理" in pending and "本周六上午带志愿者清理3楼楼道" in pending
    assert "电瓶车充电劝导" not in pending

    page.context.clear_cookies()
    log_in(page, live_server, "colleague", factories.PASSWORD)  # grid A1's leader
    page.goto(live_server.url + reverse("deliberation:grid_board"))
    assert "本周六上午带志愿者清理3楼楼道" in page.inner_text("#board")
    assert MicroItem.objects.filter(state="claimed").count() == 1
