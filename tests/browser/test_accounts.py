"""The sub-district administrator creates an account from the user menu; the new user logs in with the temporary
password and is led to choose their own."""

import os

import pytest

from gongzhi.accounts.roles import Role
from tests import factories
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("GONGZHI_SCREENSHOTS")  # a folder: keep screenshots of the pages for a look


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_an_administrator_creates_an_account_and_the_user_sets_a_password(page, live_server):
    street = factories.street()
    factories.personas(street)
    log_in(page, live_server, "streetadmin", factories.PASSWORD)

    page.click("summary.who")
    shot(page, "user-menu")
    page.click("text=用户管理")
    assert "梧桐书记" in page.inner_text("main")
    shot(page, "user-list")
    page.click("text=新建用户")
    page.fill("#id_username", "wutong-new")
    page.fill("#id_display_name", "梧桐新网格长")
    page.select_option("#id_role", Role.GRID_LEADER)
    page.select_option("#id_region", str(street.grid_a2.pk))
    page.click("button[type=submit]")
    password = page.inner_text("#temporary-password").strip()
    assert len(password) >= 12
    page.click("text=完成")
    assert "梧桐二网格" in page.inner_text("main")  # the role's scope
    shot(page, "user-detail")
    page.click("summary.who")
    page.click("text=退出登录")

    log_in(page, live_server, "wutong-new", password)
    assert "/accounts/password/" in page.url and "请先设置您自己的密码" in page.inner_text("main")
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", "Lantern-Ridge-2026")
    page.fill("#id_new_password2", "Lantern-Ridge-2026")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/password/" not in page.url and "密码已修改" in page.inner_text("main")


def test_the_user_menu_fits_a_phone(page, live_server):
    street = factories.street()
    factories.personas(street)
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, live_server, "streetadmin", factories.PASSWORD)
    page.click("summary.who")
    box = page.locator(".usermenu-items").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.goto(f"{live_server.url}/accounts/users/")
    shot(page, "user-list-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
