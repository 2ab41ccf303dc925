"""Issue 2: a residential-area secretary logs in and sees only that area's grids, members and units."""

import pytest
from django.urls import reverse

from tests import factories
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_area_secretary_sees_only_own_area(page, live_server):
    street = factories.street()
    factories.personas(street)
    log_in(page, live_server, "insider", factories.PASSWORD)

    page.goto(live_server.url + reverse("registry:tree"))
    tree = page.inner_text("main")
    assert "梧桐居民区" in tree and "梧桐一网格" in tree and "梧桐二网格" in tree
    assert "石库门" not in tree

    page.goto(live_server.url + reverse("registry:partymember_list"))
    members = page.inner_text("main")
    assert "张梧桐" in members and "李石库" not in members
    assert street.member_a.phone not in members  # masked in lists

    page.goto(live_server.url + reverse("registry:memberunit_list"))
    units = page.inner_text("main")
    assert "梧桐社区医院" in units and "石库门小学" not in units

    # Searching narrows the list live (htmx) without leaving the page.
    page.goto(live_server.url + reverse("registry:region_list"))
    page.fill("input[name=q]", "二网格")
    page.wait_for_timeout(800)
    page.wait_for_load_state("networkidle")
    rows = page.inner_text("table")
    assert "梧桐二网格" in rows and "梧桐一网格" not in rows

    # Another area's member, typed in by hand, is "not found" like a missing one.
    response = page.goto(live_server.url + reverse("registry:partymember_detail", args=[street.member_b.pk]))
    assert response.status == 404
