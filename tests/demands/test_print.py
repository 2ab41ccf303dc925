"""Issue 11 (walk-through 19): a demand prints as a work order (工单), without navigation, through the print rules
of the one stylesheet (app.css, `@media print`). The page carries a print-only work-order header with the tracking
code, category, place, the submitter masked, the deadlines, and the timeline below it."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from gongzhi.core.masking import mask_phone
from gongzhi.demands.models import Category
from tests.conftest import login
from tests.demands.conftest import PHONE, submit
from tests.reveal import reveal_page

HIDDEN_IN_PRINT = (".topbar", ".mainnav", ".breadcrumbs", ".footer", ".actions", "form", "button", ".btn",
                   ".no-print")


def print_rules() -> dict[str, str]:
    """selector → declarations of the rules inside app.css's `@media print { … }`."""
    css = open(finders.find("gongzhi/app.css"), encoding="utf-8").read()
    start = css.index("{", css.index("@media print")) + 1
    depth, end = 1, start
    while depth:
        depth += {"{": 1, "}": -1}.get(css[end], 0)
        end += 1
    block = re.sub(r"/\*.*?\*/", "", css[start:end - 1], flags=re.S)
    rules = {}
    for selectors, body in re.findall(r"([^{}@]+)\{([^{}]*)\}", block):
        for selector in selectors.split(","):
            rules[selector.strip()] = rules.get(selector.strip(), "") + body
    return rules


def work_order(html: str) -> str:
    found = re.search(r'<header class="work-order-head print-only">(.*?)</header>', html, re.S)
    assert found, "no work-order header"
    return found.group(1)


@pytest.fixture
def demand(street):
    lights = Category.objects.get(code="street_lights", subdistrict=None)
    return submit(street, title="楼道灯坏了", building=street.building_a1, category=lights)


def test_the_print_rules_hide_the_navigation_and_show_the_work_order():
    rules = print_rules()
    for selector in HIDDEN_IN_PRINT:
        assert re.search(r"display:\s*none", rules.get(selector, "")), selector
    assert re.search(r"display:\s*block", rules[".print-only"])
    css = open(finders.find("gongzhi/app.css"), encoding="utf-8").read()
    assert re.search(r"(^|\n)\.print-only\s*\{\s*display:\s*none", css)  # on screen the header stays hidden


def test_the_demand_page_links_the_stylesheet_and_carries_the_work_order(client, people, demand):
    url = reverse("demands:detail", args=[demand.pk])
    html = login(client, people.insider).get(url).content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/gongzhi/app\.css"', html)
    # what the print rules hide is marked so: the navigation, the actions, the screen's cards
    for marker in ('<header class="topbar">', '<nav class="mainnav"', '<nav class="breadcrumbs">',
                   '<aside class="actions">', '<div class="card no-print">', 'class="toolbar no-print"'):
        assert marker in html, marker
    assert "data-print" in html  # the print button (app.js)
    head = work_order(html)
    assert demand.tracking_code in head and str(demand.category) in head and str(demand.building) in head
    assert mask_phone(PHONE) in head and PHONE not in head and "王**" in head
    assert demand.due_on and demand.response_due_on
    assert f"{demand.due_on:%Y}年{demand.due_on.month}月{demand.due_on.day}日" in head
    assert 'id="timeline"' in html and html.index('id="timeline"') > html.index("work-order-head")


def test_the_work_order_keeps_the_submitter_masked_even_when_revealed_on_screen(client, people, demand):
    login(client, people.insider)
    html = reveal_page(client, reverse("demands:detail", args=[demand.pk]))
    assert PHONE in html  # on screen, after the reveal
    assert PHONE not in work_order(html) and mask_phone(PHONE) in work_order(html)
