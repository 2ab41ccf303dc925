"""Issue 11 (walk-through 19) in the browser: printed, a demand page is a work order without navigation."""

import pytest
from django.urls import reverse

from tests import factories
from tests.browser.conftest import log_in
from tests.demands.conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_demand_prints_as_a_work_order_without_navigation(page, live_server):
    street = factories.street()
    factories.personas(street)
    demand = submit(street, title="楼道灯坏了")
    log_in(page, live_server, "insider", factories.PASSWORD)
    page.goto(live_server.url + reverse("demands:detail", args=[demand.pk]))
    assert page.locator(".work-order-head").is_hidden() and page.locator(".topbar").is_visible()  # on screen

    page.emulate_media(media="print")
    for hidden in (".topbar", ".breadcrumbs", "aside.actions", ".footer", "[data-print]", "main h1"):
        assert page.locator(hidden).first.is_hidden(), hidden
    head = page.locator(".work-order-head")
    assert head.is_visible() and demand.tracking_code in head.inner_text() and "139****5678" in head.inner_text()
    assert page.locator("#timeline").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
