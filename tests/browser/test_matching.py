"""Two-way matching in the browser: a unit's liaison claims a need on the need board, the area's secretary
confirms, the unit runs the project to completion and the secretary evaluates it."""

import pytest
from django.urls import reverse

from gongzhi.matching.models import Project, ProjectTransition
from tests import factories
from tests.browser.conftest import log_in
from tests.matching.conftest import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, username):
    page.context.clear_cookies()
    log_in(page, live_server, username, factories.PASSWORD)


def _step(page, action, **fields):
    form = page.locator(f"form[data-action={action}]")
    for name, value in fields.items():
        form.locator(f"[name={action}-{name}]").fill(str(value))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_unit_claims_a_need_and_the_project_is_completed_and_evaluated(page, live_server):
    street = factories.street()
    factories.personas(street)
    world = make_world(street)

    _as(page, live_server, "liaison")
    page.goto(live_server.url + reverse("matching:needs"))
    board = page.inner_text("main")
    assert "老人健康义诊" in board and "石库门义诊" in board  # the unit sees its sub-district's needs
    page.click("text=老人健康义诊")
    assert "家庭医生义诊" in page.inner_text("main")  # suggested, with reasons
    page.select_option("#claim-form select[name=resource]", str(world.resource.pk))
    page.fill("#claim-form textarea[name=plan]", "五月、六月各两次上门义诊")
    page.click("#claim-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    project = Project.objects.get()
    assert page.url.endswith(reverse("matching:project_detail", args=[project.pk]))
    assert project.state == "proposed" and page.locator("form[data-action=agree]").count() == 0

    _as(page, live_server, "insider")
    page.goto(live_server.url + reverse("matching:project_detail", args=[project.pk]))
    _step(page, "agree", note="欢迎")
    assert Project.objects.get().state == "agreed"

    _as(page, live_server, "liaison")
    page.goto(live_server.url + reverse("matching:project_detail", args=[project.pk]))
    _step(page, "start")
    _step(page, "complete", beneficiaries_served=36, hours=16)
    assert Project.objects.get().state == "completed"
    assert page.locator("form[data-action=evaluate]").count() == 0  # the community evaluates

    _as(page, live_server, "insider")
    page.goto(live_server.url + reverse("matching:project_detail", args=[project.pk]))
    _step(page, "evaluate", satisfaction=5, note="居民很满意")
    project.refresh_from_db()
    assert (project.state, project.beneficiaries_served, project.hours, project.satisfaction) == (
        "evaluated", 36, 16, 5)
    assert list(ProjectTransition.objects.filter(project=project).values_list("to_state", flat=True)) == [
        "proposed", "agreed", "in_progress", "completed", "evaluated"]
    log = page.inner_text("#project-log")
    assert "居民很满意" in log and "医院联络人" in log and "梧桐书记" in log

    page.goto(live_server.url + reverse("matching:results") + f"?campaign={world.campaign.pk}")
    assert page.inner_text("[data-key=beneficiaries]") == "36"
