"""Issue 11, security 12: Content-Security-Policy without inline script, no-store on answers that may carry
personal data, no built-in SECRET_KEY, HTTPS settings from the environment and a clean `check --deploy`."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from gongzhi.core.workflow import SYSTEM
from tests.conftest import login

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "gongzhi").rglob("templates/**/*.html"))
# The production environment documented in the README.
PRODUCTION = {
    "SECRET_KEY": "x7Kq2-mZ8vR4nB1pL6tY9wE3sD5fG0hJ-aC2xV8bN4mQ7kP1rT6yU3iO9lZ5jH",
    "ALLOWED_HOSTS": "gongzhi.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://gongzhi.example.org",
    "SECURE_COOKIES": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_PROXY_SSL_HEADER": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "GONGZHI_DATA_KEYS": "d1:kZ3vQ8pL2mX7rT5wY9nB4cF6hJ1sD0gA",
    "GONGZHI_LOOKUP_KEYS": "h1:pR6tY2uI8oP4aS1dF7gH3jK9lZ5xC0vB",
}


def _django(code: str, env: dict, tmp_path) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items()
            if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "GONGZHI_DEV_KEYS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
            and not k.startswith(("SECURE_", "AXES_"))}
    base.update({"DJANGO_SETTINGS_MODULE": "gongzhi.settings", "GONGZHI_VAR_DIR": str(tmp_path / "var"),
                 "PYTHONPATH": str(ROOT)})
    return subprocess.run([sys.executable, "-c", code], env=base | env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)


def test_the_readme_documents_the_production_environment():
    readme = (ROOT / "README.md").read_text()
    for name, value in PRODUCTION.items():
        assert name in readme, name
        if name not in {"SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "GONGZHI_DATA_KEYS",
                        "GONGZHI_LOOKUP_KEYS"}:
            assert f"{name}={value}" in readme, name


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    r = _django("import django, sys; django.setup(); from django.core.management import call_command; "
                "call_command('check', deploy=True, fail_level='WARNING')", {"DEBUG": "0"} | PRODUCTION, tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "no issues" in r.stdout + r.stderr


def test_the_server_refuses_to_start_without_a_secret_key(tmp_path):
    r = _django("import django; django.setup()", {"DEBUG": "0"}, tmp_path)
    assert r.returncode != 0
    assert "SECRET_KEY" in r.stderr and "ImproperlyConfigured" in r.stderr
    # development: DEBUG=1 makes and keeps a random key in the var folder, never a built-in one
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    first = _django(code, {"DEBUG": "1"}, tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    key = first.stdout.strip()
    assert len(key) >= 50 and "insecure" not in key
    assert _django(code, {"DEBUG": "1"}, tmp_path).stdout.strip() == key


def test_https_settings_come_from_the_environment(tmp_path):
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_SECONDS)")
    r = _django(code, {"DEBUG": "0"} | PRODUCTION, tmp_path)
    assert r.stdout.split() == ["True", "('HTTP_X_FORWARDED_PROTO',", "'https')", "31536000"], r.stderr[-2000:]


def test_templates_carry_no_inline_script_or_event_handler():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
    found = [f"{p.relative_to(ROOT)}: {m.group(0)[:60]}" for p in TEMPLATES for rx in (inline_script, handler)
             for m in rx.finditer(p.read_text())]
    assert TEMPLATES and not found, found


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_script(client, people):
    login(client, people.insider)
    r = client.get(reverse("home"))
    policy = dict(d.strip().split(" ", 1) for d in r["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in r["Content-Security-Policy"]


@pytest.mark.django_db
def test_answers_that_may_carry_personal_data_are_not_stored(client, people, street):
    from gongzhi.accounts import services as account_services
    from tests.demands.conftest import PHONE, submit

    demand = submit(street)
    login(client, people.insider)
    assert client.get(reverse("demands:detail", args=[demand.pk]))["Cache-Control"] == "no-store"
    assert client.get(reverse("home"))["Cache-Control"] == "no-store"
    _token, key = account_services.issue_token(people.insider, actor=SYSTEM, name="t")
    api = client.get(f"/api/v1/demands/{demand.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 200 and api["Cache-Control"] == "no-store"
    client.logout()
    client.post(reverse("demands:track"), {"tracking_code": demand.tracking_code, "last4": PHONE[-4:]})
    page = client.get(reverse("demands:track_status", args=[demand.tracking_code]))
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
