"""Issue 17's organization-life walk in a real browser: a branch secretary (the insider persona, area A's
secretary) sees this month's 主题党日 due on the compliance grid of the area's organization, records a 主题党日
with attendance (one member present, one on leave with the reason), and the grid's cell for this month turns green
(met). The starting world: the factories' street and its personas, with a second member in org A."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.orglife.models import Meeting
from tests import factories
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_branch_secretary_records_a_theme_day_and_the_month_turns_green(browser, live_server):
    street = factories.street()
    factories.personas(street)
    other = factories.party_member(street.org_a, name="王二")
    month = timezone.localdate().month
    context = browser.new_context(locale="zh-CN")
    refused = []
    page = context.new_page()
    page.set_default_timeout(15000)
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        log_in(page, live_server, "insider", factories.PASSWORD)
        grid = live_server.url + reverse("orglife:meeting_compliance", args=[street.org_a.pk])
        page.goto(grid)
        cell = page.locator(f"#cell-theme_day-{month}")
        expect(cell).to_have_attribute("data-status", "due")
        expect(cell).to_have_class(re.compile(r"\bc-due\b"))
        expect(cell).to_contain_text("0/1")

        page.locator(f'a[href$="?org={street.org_a.pk}"]').click()
        page.wait_for_load_state("networkidle")
        page.select_option("#id_kind", "theme_day")
        page.fill("#id_topic", "重温入党誓词，参观中共一大纪念馆")
        page.fill("#id_place", "中共一大纪念馆")
        expect(page.locator(f'input[name="att-{street.member_a.pk}"][value="present"]')).to_be_checked()
        page.check(f'input[name="att-{other.pk}"][value="leave"]')
        page.fill(f'input[name="reason-{other.pk}"]', "住院治疗")
        page.locator("#meeting-save").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator("#attendance-table")).to_contain_text("住院治疗")
        expect(page.locator("#attendance-table")).to_contain_text("张梧桐")

        page.goto(grid)
        cell = page.locator(f"#cell-theme_day-{month}")
        expect(cell).to_have_attribute("data-status", "met")
        expect(cell).to_have_class(re.compile(r"\bc-met\b"))
        expect(cell).to_contain_text("✓")
        expect(cell).to_contain_text("1/1")
        color = cell.evaluate("td => getComputedStyle(td).backgroundColor")
        assert color == "rgb(217, 242, 220)"  # green
    finally:
        context.close()
    m = Meeting.objects.get()
    assert m.org == street.org_a and m.kind == "theme_day" and m.leave_names == "王二（住院治疗）"
    assert not refused, refused[:3]
