"""Triage intelligence in the browser: confirm a suggestion in the triage queue, merge a duplicate from the
demand page's fragment (after a confirmation), read the hot issues and a grid's top-10 with its trend chart (SVG drawn
on the server)."""

import importlib
from datetime import datetime, timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from gongzhi.demands.workflow import State
from gongzhi.triage.models import Status
from gongzhi.triage.services import retrain_model
from tests import factories
from tests.browser.conftest import log_in
from tests.triage.conftest import SHANGHAI, category, labelled_history, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def street_with_people():
    # Transactional tests flush the tables between tests: put the default taxonomy (a data migration) back.
    importlib.import_module("gongzhi.demands.migrations.0002_default_taxonomy").forwards(apps, None)
    street = factories.street()
    factories.personas(street)
    return street


def test_a_secretary_confirms_a_suggestion(page, live_server, settings, street_with_people):
    street = street_with_people
    labelled_history(street, n_per_topic=12)
    assert retrain_model(street.subdistrict, min_rows=10).active
    settings.GONGZHI_TRIAGE_THRESHOLD = 1.01  # no suggestion is sure enough: it waits for a person
    vague = submit(street, "楼下的灯", "晚上看不清路")  # classified after commit
    vague.refresh_from_db()
    suggested = vague.classification.suggested_category
    assert vague.classification.status == Status.NEEDS_REVIEW

    log_in(page, live_server, "insider", factories.PASSWORD)
    page.goto(live_server.url + reverse("triage:queue"))
    row = page.locator(f"#triage-{vague.pk}")
    assert "晚上看不清路" in row.inner_text() and suggested.name in row.inner_text()
    row.locator("button.top-choice").first.click()
    page.locator(f"#triage-{vague.pk}.decided").wait_for()
    vague.refresh_from_db()
    assert vague.category == suggested and vague.classification.status == Status.CONFIRMED


def test_a_duplicate_is_merged_from_the_demand_page_after_a_confirmation(page, live_server, street_with_people):
    street = street_with_people
    original = submit(street, "3号楼电梯停运", "3号楼电梯从昨天起停运，老人上下楼很困难")
    submit(street, "垃圾桶满了", "垃圾房的垃圾桶满了没人清运")
    copy = submit(street, "3号楼电梯又停了", "3号楼电梯从昨天开始停运，老人上下楼困难")

    log_in(page, live_server, "insider", factories.PASSWORD)
    page.goto(live_server.url + reverse("demands:detail", args=[copy.pk]))
    first = page.locator("#duplicates-fragment tr.duplicate").first
    assert original.tracking_code in first.inner_text()
    first.locator("button").click()
    # the confirmation page: both demands and what the merge does; nothing merged yet
    confirm = page.locator("#merge-confirm")
    confirm.wait_for()
    assert original.tracking_code in confirm.inner_text() and copy.tracking_code in confirm.inner_text()
    copy.refresh_from_db()
    assert copy.state == State.SUBMITTED
    page.click("#confirm-merge")
    # back on the demand page, which shows the merged state at once
    page.wait_for_url(live_server.url + reverse("demands:detail", args=[copy.pk]))
    assert page.inner_text("#state") == "已合并"
    assert original.tracking_code in page.inner_text("#duplicates-fragment")
    copy.refresh_from_db()
    assert copy.state == State.MERGED and copy.merged_into == original
    # the target lists it
    page.goto(live_server.url + reverse("demands:detail", args=[original.pk]))
    assert copy.tracking_code in page.inner_text("#merged-demands")
    page.wait_for_load_state("networkidle")  # the duplicates fragment has loaded before the tables are flushed


def test_hot_issues_and_a_grids_top_ten_with_its_chart(page, live_server, street_with_people):
    street = street_with_people
    now = timezone.now()
    for i, (title, text) in enumerate([("1号楼电梯停运", "电梯又坏了，老人下不了楼"),
                                       ("1号楼电梯故障", "电梯坏了停运三天，老人下楼困难"),
                                       ("电梯停运", "1号楼电梯停运，老人下不了楼，请尽快修")]):
        submit(street, title, text, now=now - timedelta(days=i + 1))
    for i, (title, text) in enumerate([("垃圾桶满了", "垃圾房没人清运"), ("路灯不亮", "门口路灯坏了"),
                                       ("停车难", "外来车辆占用车位"), ("流浪猫", "楼道里流浪猫太多")]):
        submit(street, title, text, building=street.building_b1, now=now - timedelta(days=i + 2))
    labelled = [("street_lights", "路灯不亮"), ("street_lights", "灯杆歪了"), ("street_lights", "照明太暗"),
                ("parking", "车位被占"), ("parking", "停车收费贵"), ("stray_cats", "流浪猫太多")]
    for i, (code, title) in enumerate(labelled):
        submit(street, title, title, category=category(code), now=datetime(2025, 3 + i, 10, tzinfo=SHANGHAI))

    log_in(page, live_server, "streetadmin", factories.PASSWORD)
    page.goto(live_server.url + reverse("triage:hot_issues") + f"?region={street.subdistrict.pk}&days=30")
    top = page.locator("#hot-issues tr.hot-issue").first
    assert "梧桐1号楼" in top.inner_text() and top.locator("td.count").inner_text() == "3"

    page.goto(live_server.url + reverse("triage:top_concerns"))
    page.select_option("select[name=region]", str(street.grid_a1.pk))
    page.select_option("select[name=year]", "2025")
    page.click("form.toolbar button[type=submit]")
    page.locator("svg#trend-chart").first.wait_for()
    first = page.locator("#top-concerns tr.concern").first
    assert "公共设施" in first.inner_text() and first.locator("td.rank").inner_text() == "1"
    assert page.locator("#trend-chart g.series").count() == 3
