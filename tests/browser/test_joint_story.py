"""Issue 14's story in a real browser: the escalation ladder corrected, and a joint meeting's decision tracked to
done.

A firm in an office building reports stalls blocking its door (an enterprise demand, with the building's liaison)
→ nobody acts in time: the overdue timer escalates it to the chief liaison, then to the sub-district, and there
it stops (the demand page says so; escalating further is not offered) → the sub-district leader plans the next
joint-meeting session and refers the demand to the joint meeting from the demand's page → it is on the session's
agenda → the session is held, a member unit signs in, and the session decides: the district's city-appearance
bureau (a district department) owns it, with a deadline → the bureau's clerk logs in, finds the demand among the
decisions of the unit, claims, starts and resolves it → the decision shows done on the session page.

Every step goes through the pages a user sees; the only shortcut is the clock: the overdue job
(`check_overdue`) is called with later times instead of waiting weeks."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from gongzhi.demands import services as demand_services
from gongzhi.demands.models import Demand, EscalationLevel
from gongzhi.demands.workflow import State
from gongzhi.joint.models import AgendaItem, Decision
from gongzhi.joint.workflow import DecisionState
from tests import factories
from tests.browser.conftest import log_in
from tests.joint import sessions_world as w

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def zh(msgid: str) -> str:
    """A label as the Chinese page shows it (the English text while the catalogue does not have it yet)."""
    with translation.override("zh-hans"):
        return gettext(msgid)


def submit(page, button) -> None:
    with page.expect_navigation():
        button.click()
    page.wait_for_load_state("domcontentloaded")


def do(page, action, **fields):
    """Open an action form on the demand page, fill it in and submit it."""
    page.eval_on_selector(f"#action-{action}", "e => e.open = true")
    for name, value in fields.items():
        page.fill(f"#action-{action} [name={name}]", value)
    submit(page, page.locator(f"#action-{action} button[type=submit]"))


def test_a_firm_s_demand_goes_to_the_joint_meeting_and_its_decision_is_done(browser, page, live_server):
    cache.clear()
    street = factories.street()
    factories.personas(street)  # the sub-district leader logs in as streetadmin
    firm = w.firm(street)
    bureau = w.department(street, "区市容局")
    w.clerk(bureau, username="bureau", display_name="市容局科员")
    platform = w.platform(street)
    url = live_server.url
    now = timezone.now()

    # --- 1. the firm's demand escalates by the overdue timer, and stops at the sub-district --------------------
    demand = w.enterprise_demand(street, firm.unit, now=now - timedelta(days=60))
    assert (demand.assignee, demand.escalation_level) == (firm.liaison, 0)
    for days_ago in (45, 30, 15, 1):
        demand_services.check_overdue(now=now - timedelta(days=days_ago))
    demand.refresh_from_db()
    assert (demand.escalation_level, demand.region, demand.state) == (2, street.subdistrict, State.ESCALATED)
    assert list(demand.transitions.filter(action="escalate").values_list("escalation_level", flat=True)) == [1, 2]

    log_in(page, live_server, "streetadmin", factories.PASSWORD)
    page.goto(url + reverse("demands:detail", args=[demand.pk]))
    props = page.inner_text(".demand-layout dl.props")
    assert f"{street.subdistrict.name} · {zh('Sub-district')}" in props
    assert page.locator("#action-escalate").count() == 0  # no tier above the sub-district by escalation

    # --- 2. the leader plans the next session, then refers the demand from its page -----------------------------
    page.goto(url + reverse("joint:sessions_list"))
    submit(page, page.locator("#plan-session"))
    starts = timezone.localtime(now + timedelta(days=7)).replace(hour=14, minute=0)
    page.select_option("#plan-form [name=platform]", str(platform.pk))
    page.fill("#plan-form [name=title]", "2026年第四季度联席会议")
    page.fill("#plan-form [name=starts_at]", starts.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#plan-form [name=place]", "街道党群服务中心三楼会议室")
    submit(page, page.locator("#plan-form button[type=submit]"))
    session_url = page.url
    expect(page.locator("#session-state")).to_have_text(zh("Planned"))

    page.goto(url + reverse("demands:detail", args=[demand.pk]))
    submit(page, page.locator("#refer-to-joint-meeting a"))
    expect(page.locator("#refer-form [name=platform]")).to_have_value(str(platform.pk))  # the sub-district's own
    page.fill("#refer-form [name=note]", "占道摊贩涉及市容、城管、公安，需区级部门协同")
    submit(page, page.locator("#refer-form button[type=submit]"))
    assert page.url.endswith(reverse("demands:detail", args=[demand.pk]))
    assert zh("Referred to a joint meeting") in page.inner_text(".demand-layout dl.props")
    assert page.locator("#refer-to-joint-meeting").count() == 0  # referred once

    # --- 3. it is on the next session's agenda ---------------------------------------------------------------
    page.goto(url + reverse("joint:sessions_calendar") + f"?year={starts.year}&month={starts.month}")
    submit(page, page.locator(f"#day-{starts:%Y-%m-%d} a.session"))
    assert page.url == session_url
    item = AgendaItem.objects.get(demand=demand)
    row = page.locator(f"#agenda-{item.pk}")
    expect(row).to_contain_text(demand.tracking_code)
    expect(row).to_contain_text(zh("Referred demand"))

    # --- 4. the session is held, a unit signs in, and it decides: the bureau owns it ---------------------------
    submit(page, page.locator("#hold-form button[type=submit]"))
    expect(page.locator("#session-state")).to_have_text(zh("Held"))
    page.eval_on_selector("#sign-in-form", "e => e.closest('details').open = true")
    page.select_option("#sign-in-form [name=member_unit]", label=bureau.name)
    page.fill("#sign-in-form [name=person_name]", "王科长")
    submit(page, page.locator("#sign-in-form button[type=submit]"))
    expect(page.locator("#attendance-table")).to_contain_text("王科长")

    deadline = timezone.localdate() + timedelta(days=30)
    form = page.locator("#decision-form")
    form.locator("[name=text]").fill("由区市容局牵头，会同城管、公安一个月内清理占道摊贩")  # no owner, no deadline
    submit(page, form.locator("button[type=submit]"))
    assert page.locator("#decision-form .field-errors").count() == 2
    form = page.locator("#decision-form")
    form.locator("[name=agenda_item]").select_option(str(item.pk))
    form.locator("[name=owner_unit]").select_option(label=bureau.name)
    form.locator("[name=deadline]").fill(f"{deadline:%Y-%m-%d}")
    submit(page, form.locator("button[type=submit]"))
    decision = Decision.objects.get(agenda_item=item)
    expect(page.locator(f"#decision-{decision.pk}")).to_contain_text(bureau.name)
    expect(page.locator(f"#decision-{decision.pk} .decision-state")).to_have_text(zh("To do"))

    # --- 5. the bureau's clerk claims, starts and resolves the demand -----------------------------------------
    clerk_ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    clerk = clerk_ctx.new_page()
    clerk.set_default_timeout(15000)
    log_in(clerk, live_server, "bureau", factories.PASSWORD)
    clerk.goto(url + reverse("joint:sessions_my_unit"))
    expect(clerk.locator(f"#decision-{decision.pk}")).to_contain_text(zh("To do"))
    submit(clerk, clerk.locator("#unit-demands a", has_text=demand.title))
    do(clerk, "claim", promise="一个月内清理完毕")
    assert clerk.inner_text("#state").strip() == zh("Claimed")
    do(clerk, "start")
    do(clerk, "resolve", resolution="已会同城管、公安清理占道摊贩，设置隔离护栏")
    assert clerk.inner_text("#state").strip() == zh("Resolved")
    clerk_ctx.close()

    # --- 6. the decision shows done on the session page -----------------------------------------------------
    page.goto(session_url)
    expect(page.locator(f"#decision-{decision.pk} .decision-state")).to_have_text(zh("Done"))
    page.goto(url + reverse("joint:sessions_decision", args=[decision.pk]))
    expect(page.locator("#outcome")).to_contain_text("已会同城管、公安清理占道摊贩")
    demand = Demand.objects.get(pk=demand.pk)
    assert (demand.escalation_level, demand.handling_unit, demand.state) == (
        EscalationLevel.JOINT_MEETING, bureau, State.RESOLVED)
    assert Decision.objects.get(pk=decision.pk).state == DecisionState.DONE
