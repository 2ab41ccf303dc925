"""Revoking an API token, taking a role away or deactivating an account in one server process shuts the door on
the very next request to every other process. Two real servers (`gongzhi serve`, one gunicorn worker each, on two
loopback ports) share one SQLite file; the change is made through server A's pages (the tokens page, the admin),
and server B is asked right after."""

import http.client
import http.cookiejar
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db  # the session's test database is set up: the servers' file copies it

ROOT = Path(__file__).resolve().parents[2]
REGIONS = "/api/v1/registry/regions"

SEED = """
import json, django
django.setup()
from gongzhi.accounts import services as account_services
from gongzhi.core.workflow import SYSTEM
from gongzhi.accounts.models import ApiToken, User
from tests import factories
street = factories.street()
people = factories.personas(street)
User.objects.create_superuser("root", password=factories.PASSWORD)
keys = {name: account_services.issue_token(getattr(people, name), actor=SYSTEM, name="two servers")[1] for name in ("insider", "outsider", "admin")}
ids = {name: getattr(people, name).pk for name in ("insider", "outsider", "admin")}
print(json.dumps({"keys": keys, "ids": ids, "password": factories.PASSWORD}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        assert proc.poll() is None, log.read_text()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"server on {port} did not start: {log.read_text()}")


def _migrated_database(path: Path, env: dict) -> None:
    """A migrated SQLite file: a copy of this test session's database when that is SQLite (migrating again takes
    several times longer than everything else here), else `gongzhi migrate`."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return
    migrated = subprocess.run([sys.executable, "-m", "gongzhi.cli", "migrate"], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
    assert migrated.returncode == 0, migrated.stderr


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory):
    var = tmp_path_factory.mktemp("two-servers")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "GONGZHI_TASKS"}}
    env.update({"DJANGO_SETTINGS_MODULE": "gongzhi.settings", "GONGZHI_VAR_DIR": str(var), "DEBUG": "0",
                "SECRET_KEY": "two-servers-test", "ALLOWED_HOSTS": "127.0.0.1", "GONGZHI_ACCESS_LOG": "0",
                "PYTHONPATH": str(ROOT)})
    with django_db_blocker.unblock():
        _migrated_database(var / "gongzhi.sqlite3", env)
    # the database is seeded while the servers start (they touch it only when asked)
    setup = subprocess.Popen([sys.executable, "-c", SEED], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    procs, ports = [], []
    try:
        for name in ("a", "b"):
            port, log = _free_port(), var / f"{name}.log"
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "gongzhi.cli", "serve", "--no-worker", "--workers", "1", "--port", str(port)],
                env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log.open("w")))
            ports.append(port)
        out, err = setup.communicate(timeout=120)
        assert setup.returncode == 0, err
        data = json.loads(out.strip().splitlines()[-1])
        for port, proc, name in zip(ports, procs, "ab", strict=True):
            _wait_ready(port, proc, var / f"{name}.log")
        yield {"a": ports[0], "b": ports[1], **data}
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=20)


def _api(port: int, key: str, path: str = REGIONS) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Authorization": f"Bearer {key}"})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


class _Form(HTMLParser):
    """The fields of an HTML form (of every form without `form_id`) as a browser would submit them unchanged,
    [(name, value)], and its named submit buttons."""

    def __init__(self, form_id: str | None = None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields, self.buttons = form_id, False, [], []
        self._select = self._textarea = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (self.form_id is None or a.get("id") == self.form_id):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") not in {"checkbox", "radio"} or "checked" in a:
                self.fields.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "button" and a.get("name"):
            self.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


class _Browser:
    """A logged-in session on one server (cookies, CSRF tokens from the forms)."""

    def __init__(self, port: int, username: str, password: str):
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect)
        login = dict(self.form("/accounts/login/").fields)
        assert self.post("/accounts/login/", login | {"username": username, "password": password}) == 302

    def form(self, path: str, form_id: str | None = None) -> _Form:
        parser = _Form(form_id)
        parser.feed(self.opener.open(self.base + path).read().decode())
        return parser

    def post(self, path: str, fields) -> int:
        body = urllib.parse.urlencode(fields).encode()
        try:
            return self.opener.open(self.base + path, data=body).status
        except urllib.error.HTTPError as e:  # 302 (no redirects followed), 4xx
            return e.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _admin_change(servers, user: str, change) -> None:
    """Change the user on server A's admin page: `change(fields)` edits the submitted fields."""
    root = _Browser(servers["a"], "root", servers["password"])
    path = f"/admin/accounts/user/{servers['ids'][user]}/change/"
    assert root.post(path, change(root.form(path, "user_form").fields)) == 302


def test_a_token_revoked_through_one_server_is_refused_by_the_other_at_the_next_request(servers):
    key = servers["keys"]["insider"]
    assert _api(servers["a"], key) == 200 and _api(servers["b"], key) == 200
    insider = _Browser(servers["a"], "insider", servers["password"])
    page = insider.form("/accounts/tokens/")
    [revoke] = page.buttons  # the one token's Revoke button
    assert insider.post("/accounts/tokens/", dict(page.fields) | dict([revoke])) == 302
    assert _api(servers["b"], key) == 401
    assert _api(servers["a"], key) == 401


def test_a_role_taken_away_through_one_server_is_refused_by_the_other_at_the_next_request(servers):
    key = servers["keys"]["outsider"]
    assert _api(servers["b"], key) == 200

    def without_the_role(fields):
        assert ("role_assignments-TOTAL_FORMS", "1") in fields
        return fields + [("role_assignments-0-DELETE", "on")]

    _admin_change(servers, "outsider", without_the_role)
    assert _api(servers["b"], key) == 403


def test_an_account_deactivated_through_one_server_is_refused_by_the_other_at_the_next_request(servers):
    key = servers["keys"]["admin"]
    assert _api(servers["b"], key) == 200
    _admin_change(servers, "admin", lambda fields: [(k, v) for k, v in fields if k != "is_active"])
    assert _api(servers["b"], key) == 401
