"""Issue 11, security 9: bad parameters never answer 500. Every named page of the project (the apps' manifests, as in
tests/test_authz_matrix.py) and every JSON API operation (from /api/v1/openapi.json) is asked with malformed query
parameters and ids: 30-digit numbers, words where numbers go, impossible dates, huge limits and offsets. Pages
answer below 500; a bad parameter a page reads answers 400 naming the field (422 for the API)."""

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from gongzhi.accounts import services as account_services
from gongzhi.api import api
from gongzhi.core.modules import authz_matrix
from gongzhi.core.workflow import SYSTEM
from tests.authz import make_world, url_names

HUGE = "9" * 30
# The query parameters the pages and the API read, each given a value it cannot use.
KEYS = ("campaign", "page", "year", "days", "region", "category", "state", "grid", "building", "area", "kind",
        "status", "model", "user", "role", "active", "show", "mode", "waiting", "code", "limit", "offset", "k",
        "unread", "start_date", "end_date", "service_request_id", "service_code", "need", "resource", "unit",
        "organization", "priority", "channel", "overdue", "assignee", "team", "escalation_level", "level", "q")
VALUES = ("abc", HUGE, "-" + HUGE, "2026-13-45", "1e309", "%00")
PERSONAS = ("anonymous", "admin")


@pytest.fixture(scope="module")
def answers(django_db_setup, django_db_blocker) -> dict:
    """(what, persona) → status, for every page and API operation with every bad value, on one rolled-back world."""
    matrix, names = authz_matrix(), url_names()
    out: dict[tuple[str, str], object] = {}
    with django_db_blocker.unblock(), override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], AXES_ENABLED=False,
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    ), transaction.atomic():
        world = make_world()
        schema = api.get_openapi_schema()
        _row, key = account_services.issue_token(world.people.admin, actor=SYSTEM, name="probe")
        for persona in PERSONAS:
            client = Client(headers={} if persona == "anonymous" else {"Authorization": f"Bearer {key}"})
            if persona != "anonymous":
                client.force_login(getattr(world.people, persona))

            def ask(what, url, client=client, persona=persona):
                try:
                    with transaction.atomic():
                        response = client.get(url)
                        body = b"" if response.streaming else response.content[:300]
                        out[what, persona] = response.status_code, body
                except Exception as e:  # a crash is reported in its own case
                    out[what, persona] = 500, repr(e).encode()

            for name, case in matrix.items():
                if name not in names or name.startswith("api:"):
                    continue
                target = case.target
                kwargs = target if isinstance(target, dict) else (
                    {p: world.objects[target].pk for p in names[name]} if target else {})
                url = reverse(name, kwargs=kwargs)
                for value in VALUES:
                    ask((name, value), url + "?" + "&".join(f"{k}={value}" for k in KEYS))
                if kwargs and all(isinstance(v, int) for v in kwargs.values()):  # a 30-digit id
                    ask((name, "id"), reverse(name, kwargs={k: int(HUGE) for k in kwargs}))
            for path, operations in schema["paths"].items():
                if "get" not in operations:
                    continue
                op = operations["get"]
                query = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
                for value in VALUES:
                    url = "/api/v1" + path.split("/api/v1", 1)[-1]
                    url = url.replace("{", "").replace("}", "")
                    for p in op.get("parameters", []):
                        if p["in"] == "path":
                            url = url.replace(p["name"], HUGE if value in ("abc",) else value)
                    params = "&".join(f"{k}={value}" for k in (*query, "limit", "offset"))
                    ask((f"api {op['operationId']}", value), f"{url}?{params}")
        transaction.set_rollback(True)
    return out


@pytest.mark.django_db  # makes pytest-django set up the test database when only this test is selected
def test_no_bad_parameter_answers_500(answers):
    crashes = {k: v for k, v in answers.items() if v[0] >= 500}
    assert not crashes, f"{len(crashes)} of {len(answers)} answered 500: {list(crashes.items())[:8]}"


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "field"), [
    ("/matching/resources/?campaign=abc", "campaign"),
    ("/matching/projects/?campaign=abc", "campaign"),
    (f"/matching/results/?campaign={HUGE}", "campaign"),
    ("/triage/hot/?region=abc", "region"),
    (f"/demands/{HUGE}/", "pk"),
    (f"/registry/members/?organization={HUGE}", "organization"),
])
def test_a_bad_parameter_of_a_page_is_a_400_naming_it(client, people, url, field):
    client.force_login(people.admin)
    r = client.get(url)
    assert r.status_code == 400, (r.status_code, r.content[:300])
    assert field in r.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "field"), [
    (f"/api/v1/demands/{HUGE}", "demand_id"),
    (f"/api/v1/matching/needs/{HUGE}", "pk"),
    (f"/api/v1/registry/buildings/{HUGE}", "pk"),
    (f"/api/v1/demands/?offset={HUGE}", "offset"),
    (f"/api/v1/registry/buildings?limit=5&offset={HUGE}", "offset"),
])
def test_a_bad_parameter_of_the_api_is_a_422_naming_it(client, people, url, field):
    _row, key = account_services.issue_token(people.admin, actor=SYSTEM, name="t")
    r = client.get(url, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 422, (r.status_code, r.content[:300])
    assert field in r.json()["errors"]
