"""Issue 11, security 5: the log-in lock-out cannot be turned against a user, and one IP cannot try many names."""

import pytest
from django.urls import reverse

from tests import factories

IP_A, IP_B = "203.0.113.10", "198.51.100.20"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_IP_FAILURE_LIMIT = 20
    settings.AXES_USERNAME_FAILURE_LIMIT = 100


def _login(client, username, password, ip):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_failures_from_one_ip_do_not_lock_the_account_out_elsewhere(client, axes_on):
    factories.user("wanglin")
    for _ in range(5):
        _login(client, "wanglin", "wrong-password", IP_A)
    locked = _login(client, "wanglin", factories.PASSWORD, IP_A)
    assert locked.status_code in (403, 429)  # locked for this account from IP A
    assert "_auth_user_id" not in client.session
    r = _login(client, "wanglin", factories.PASSWORD, IP_B)
    assert r.status_code == 302, "the attacker's IP must not lock the user out from another IP"
    assert client.session["_auth_user_id"]


@pytest.mark.django_db
def test_one_ip_trying_many_usernames_is_locked(client, axes_on):
    factories.user("zhaomin")
    for i in range(20):  # four failures per name stay under the per-account limit
        _login(client, f"guess{i // 4}", "wrong-password", IP_A)
    r = _login(client, "zhaomin", factories.PASSWORD, IP_A)
    assert r.status_code in (403, 429)
    assert "_auth_user_id" not in client.session
    # the same account from another IP is fine
    assert _login(client, "zhaomin", factories.PASSWORD, IP_B).status_code == 302


@pytest.mark.django_db
def test_an_account_is_locked_everywhere_only_at_the_much_higher_count(client, settings, axes_on):
    settings.AXES_USERNAME_FAILURE_LIMIT = 12
    factories.user("lihua")
    for i in range(12):  # from many IPs, each below its own limits
        _login(client, "lihua", "wrong-password", f"192.0.2.{i // 3 + 1}")
    assert _login(client, "lihua", factories.PASSWORD, IP_B).status_code in (403, 429)
