"""Issue 17's award walk in a real browser: a reviewer on the panel of a 金银奖 round under review opens an
organization's entry, scores its self-assessed criterion, and the score page shows each point's source: for the
indicator criterion its value (3 of 3 demands on time), weight, points and the link to its source records, and for
the self-assessed one the reviewer's score. The reviewer also opens the source link."""

import datetime as dt
from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from gongzhi.demands import services as demand_services
from gongzhi.orglife.models import CriterionSource, Evidence, Reviewer
from gongzhi.orglife.selectors import awards as sel
from gongzhi.orglife.workflow import RoundState
from tests import factories
from tests.browser.conftest import log_in
from tests.demands.conftest import MONDAY, submit
from tests.orglife import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_scores_an_organization_and_the_score_page_shows_each_points_source(page, live_server):
    street = factories.street()
    people = factories.personas(street)
    for _i in range(3):
        d = demand_services.claim_demand(submit(street), actor=people.colleague, now=MONDAY)
        d = demand_services.start_demand(d, actor=people.colleague, now=MONDAY)
        demand_services.resolve_demand(d, actor=people.colleague, resolution="已处理", now=MONDAY + timedelta(hours=2))
    r = f.award_round(street, RoundState.REVIEWING, year=MONDAY.year, orgs=(street.org_a,))
    entry = r.entries.get()
    self_c = r.criteria.get(source=CriterionSource.SELF)
    ind = r.criteria.get(source=CriterionSource.INDICATOR)
    Evidence.objects.create(entry=entry, criterion=self_c, statement="党员骨干急事先做，暴雨夜转移独居老人")
    Reviewer.objects.create(round=r, user=people.admin)
    source = sel.source_url(ind.indicator, street.org_a, dt.date(MONDAY.year, 1, 1), dt.date(MONDAY.year, 12, 31))

    log_in(page, live_server, "streetadmin", factories.PASSWORD)
    page.goto(live_server.url + reverse("orglife:award_round", args=[r.pk]))
    page.locator(f"#entry-{entry.pk} a").click()
    expect(page.locator(".statement")).to_contain_text("暴雨夜转移独居老人")
    page.fill(f"#points-{self_c.pk}", "34.5")
    page.fill(f"#comment-{self_c.pk}", "事例真实")
    page.locator(f"#score-submit-{self_c.pk}").click()
    page.wait_for_load_state("networkidle")

    row = page.locator(f"#criterion-{ind.pk}")
    expect(row.locator(".value")).to_contain_text("3/3 = 100.0%")
    expect(row.locator(".weight")).to_have_text("60")
    expect(row.locator(".points")).to_have_text("60.00")
    expect(row.locator(".target")).to_have_text("0.95")
    assert row.locator("a.source").get_attribute("href") == source
    own = page.locator(f"#criterion-{self_c.pk}")
    expect(own.locator(".score-points")).to_have_text("34.5")
    expect(own.locator(".points")).to_have_text("34.50")
    expect(page.locator("#total")).to_have_text("94.50")
    expect(page.locator("#tier")).to_have_text("金奖标兵")

    row.locator("a.source").click()
    expect(page.locator("#source-value")).to_contain_text("3/3")
    expect(page.locator("#source-table tbody tr")).to_have_count(3)


def test_removing_an_entry_from_a_draft_round_asks_first(page, live_server):
    """The remove button's form carries data-confirm: declining the question keeps the entry, agreeing takes it
    out (app.js asks; the page has no inline script)."""
    from gongzhi.orglife.models import AwardEntry

    street = factories.street()
    factories.personas(street)
    r = f.award_round(street, RoundState.DRAFT)
    entry = r.entries.get(org=street.org_b)
    questions = []
    log_in(page, live_server, "streetadmin", factories.PASSWORD)
    page.goto(live_server.url + reverse("orglife:award_round", args=[r.pk]))

    def decline(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    page.locator(f"#remove-entry-{entry.pk}").click()
    expect(page.locator(f"#entry-{entry.pk}")).to_be_visible()
    assert questions == ["确定将该组织移出本轮评选吗？"] and AwardEntry.objects.filter(pk=entry.pk).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#remove-entry-{entry.pk}").click()
    expect(page.locator(f"#entry-{entry.pk}")).to_have_count(0)
    expect(page.locator(".messages")).to_contain_text(street.org_b.name)
    assert not AwardEntry.objects.filter(pk=entry.pk).exists()
