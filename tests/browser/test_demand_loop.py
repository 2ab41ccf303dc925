"""Issue 3, the whole loop of a resident demand in a real browser: a resident reports a problem on the H5 page
with a photo (phone-sized screen, no account) → the grid leader sees it in the queue → a party member of the grid
claims it from the claim board with a public promise → works on it and resolves it with an after-photo → the
resident (tracking code + last four phone digits) is not satisfied → it is redone → resolved again → the resident
is satisfied → archived."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from PIL import Image

from gongzhi.accounts.roles import Role
from gongzhi.demands.models import Demand, PhotoKind
from gongzhi.demands.workflow import State
from tests import factories
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13912345678"


def jpeg(path, color):
    Image.new("RGB", (64, 48), color).save(path, "JPEG")
    return str(path)


def state_of(page) -> str:
    return page.inner_text("#state").strip()


def do(page, action, **fields):
    """Open an action form on the demand page, fill it in and submit it."""
    page.eval_on_selector(f"#action-{action}", "e => e.open = true")
    for name, value in fields.items():
        selector = f"#action-{action} [name={name}]"
        if name == "photos":
            page.set_input_files(selector, value)
        else:
            page.fill(selector, value)
    page.click(f"#action-{action} button[type=submit]")
    page.wait_for_load_state("networkidle")


def review(resident, score, comment=""):
    resident.check(f"#review input[name=satisfaction][value='{score}']")
    resident.fill("#review textarea[name=comment]", comment)
    resident.click("#review button[type=submit]")
    resident.wait_for_load_state("networkidle")


def test_a_demand_goes_round_the_whole_loop(browser, page, live_server, tmp_path):
    cache.clear()  # rate limits of other tests in this process
    street = factories.street()
    people = factories.personas(street)
    member_user = factories.user("member", Role.PARTY_MEMBER, street.grid_a1, display_name="张梧桐")
    street.member_a.user, street.member_a.grid = member_user, street.grid_a1
    street.member_a.save()
    url = live_server.url

    # 1. A resident reports a broken stair light on a phone-sized screen, with a photo.
    phone_ctx = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    resident = phone_ctx.new_page()
    resident.set_default_timeout(15000)
    resident.goto(url + reverse("demands:submit"))
    assert resident.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
    resident.fill("#id_title", "楼道灯坏了")
    resident.fill("#id_description", "3楼楼道灯不亮，晚上很黑，老人上下楼不安全。")
    resident.select_option("#id_category", label="公共设施")
    resident.wait_for_selector("#id_subcategory option:text('路灯照明')", state="attached")
    resident.select_option("#id_subcategory", label="路灯照明")
    resident.fill("#id_address", "梧桐1号楼")
    resident.fill("#id_submitter_name", "王阿姨")
    resident.fill("#id_submitter_phone", PHONE)
    resident.set_input_files("#id_photos", jpeg(tmp_path / "before.jpg", "gray"))
    resident.click("#intake button[type=submit]")
    resident.wait_for_load_state("networkidle")
    code = resident.inner_text("#tracking-code").strip()
    assert code.startswith("GZ")
    resident.click(".done a.btn")
    resident.wait_for_load_state("networkidle")
    assert state_of(resident) == "已受理"
    assert resident.locator(".photos img").count() == 1
    assert resident.evaluate("document.documentElement.scrollWidth") <= 390

    # 2. The grid leader finds it in the work queue, routed to grid A1 from the address.
    log_in(page, live_server, "colleague", factories.PASSWORD)
    page.goto(url + reverse("demands:queue"))
    page.click(f"text={code}")
    page.wait_for_load_state("networkidle")
    assert state_of(page) == "已受理" and "梧桐一网格" in page.inner_text("main")
    assert PHONE not in page.inner_text("main") and "139****5678" in page.inner_text("main")
    detail_url = page.url

    # 3. The party member claims it publicly from the grid's claim board.
    member_ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    member = member_ctx.new_page()
    member.set_default_timeout(15000)
    log_in(member, live_server, "member", factories.PASSWORD)
    member.goto(url + reverse("demands:claim_board"))
    card = member.locator(".board-item", has_text="楼道灯坏了")
    card.locator("input[name=promise]").fill("今晚换好灯泡")
    card.locator("button[type=submit]").click()
    member.wait_for_load_state("networkidle")
    assert state_of(member) == "已认领"
    assert "今晚换好灯泡" in member.inner_text("main")
    page.goto(url + reverse("demands:claim_board"))  # the leader sees who claimed what
    assert "张梧桐" in page.inner_text("#claimed") and "今晚换好灯泡" in page.inner_text("#claimed")

    # 4. The member works on it and resolves it with an after-photo.
    do(member, "start")
    assert state_of(member) == "办理中"
    do(member, "resolve", resolution="已更换LED灯泡", photos=jpeg(tmp_path / "after.jpg", "yellow"))
    assert state_of(member) == "已办结"
    assert "已更换LED灯泡" in member.inner_text("#timeline")

    # 5. The resident is not satisfied: the demand is redone.
    resident.reload()
    assert state_of(resident) == "已办结" and "已更换LED灯泡" in resident.inner_text("main")
    review(resident, 2, "灯还是一闪一闪的")
    assert state_of(resident) == "重办"
    assert resident.locator("#review").count() == 0

    # 6. Redone and resolved again; the resident is satisfied and the demand is archived.
    member.reload()
    assert state_of(member) == "重办"
    do(member, "start")
    do(member, "resolve", resolution="更换了整套灯具", photos=jpeg(tmp_path / "after2.jpg", "white"))
    assert state_of(member) == "已办结"
    resident.reload()
    review(resident, 5, "谢谢")
    assert state_of(resident) == "已归档"
    timeline = resident.inner_text("#timeline")
    assert "更换了整套灯具" in timeline and "王阿姨" not in timeline and PHONE not in timeline

    page.goto(detail_url)
    assert state_of(page) == "已归档"
    assert page.locator("#timeline li").count() == 9

    demand = Demand.objects.get(tracking_code=code)
    assert (demand.state, demand.satisfaction, demand.reopen_count) == (State.CLOSED, 5, 1)
    assert (demand.grid, demand.claimed_by, demand.category.name) == (street.grid_a1, member_user, "路灯照明")
    assert list(demand.transitions.values_list("action", flat=True)) == [
        "submit", "claim", "start", "resolve", "reopen", "start", "resolve", "review", "close"]
    assert demand.photos.filter(kind=PhotoKind.BEFORE).count() == 1
    assert demand.photos.filter(kind=PhotoKind.AFTER).count() == 2
    assert people.colleague.pk not in (demand.assignee_id, demand.claimed_by_id)
    phone_ctx.close()
    member_ctx.close()
