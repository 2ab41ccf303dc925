"""Log-in throttling, session idle timeout, password rules and the database pragmas."""

import pytest
from django.conf import settings as dj_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from tests import factories


@pytest.mark.django_db
def test_account_is_locked_after_repeated_failures(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    factories.user("wanglin")
    url = reverse("login")
    for _ in range(3):
        r = client.post(url, {"username": "wanglin", "password": "wrong-password"})
    # Locked now: even the right password is refused with the lock-out page.
    r = client.post(url, {"username": "wanglin", "password": factories.PASSWORD})
    assert r.status_code in (403, 429)
    assert "锁定" in r.content.decode() or "locked" in r.content.decode().lower()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_successful_login_lands_on_home(client, settings):
    settings.AXES_ENABLED = True
    factories.user("zhaomin")
    r = client.post(reverse("login"), {"username": "zhaomin", "password": factories.PASSWORD}, follow=True)
    assert r.status_code == 200
    assert r.redirect_chain[-1][0] == reverse("home")


def test_session_expires_when_idle():
    assert dj_settings.SESSION_SAVE_EVERY_REQUEST is True
    assert 0 < dj_settings.SESSION_COOKIE_AGE <= 60 * 60


@pytest.mark.parametrize("weak", ["12345678", "password", "abc"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


@pytest.mark.django_db
def test_sqlite_runs_with_safe_pragmas():
    if connection.vendor != "sqlite":
        # On PostgreSQL the equivalent guarantees are the server's own; check we really are there.
        assert connection.vendor == "postgresql"
        return
    with connection.cursor() as cur:
        cur.execute("PRAGMA foreign_keys")
        assert cur.fetchone()[0] == 1
        cur.execute("PRAGMA busy_timeout")
        assert cur.fetchone()[0] >= 5000


@pytest.mark.django_db
def test_health_endpoint_reports_database(client):
    r = client.get(reverse("healthz"))
    assert r.status_code == 200
    assert r.json()["database"] == connection.vendor


@pytest.mark.django_db
def test_unknown_url_answers_404_in_chinese(client, people):
    client.force_login(people.insider)
    r = client.get("/no/such/page/")
    assert r.status_code == 404
