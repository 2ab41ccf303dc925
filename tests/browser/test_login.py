"""A person opens the site in Chromium, logs in, switches language, and is locked out after failures."""

import pytest

from tests import factories
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_logs_in_and_switches_to_english(page, live_server):
    factories.user("sec-browser", display_name="梧桐书记")
    log_in(page, live_server, "sec-browser", factories.PASSWORD)
    assert "欢迎" in page.inner_text("main")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")  # the form submits itself on change
    assert "Welcome" in page.inner_text("main")


def test_wrong_password_shows_an_error_in_chinese(page, live_server):
    factories.user("someone")
    log_in(page, live_server, "someone", "not-the-password")
    assert "/accounts/login/" in page.url
    assert "请输入一个正确的" in page.inner_text("main")  # Django's own zh-hans message
