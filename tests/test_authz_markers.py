"""What a page reveals: no persona may see anything of an object outside their scope.

The data set (tests/authz.py, gongzhi.core.authz) has, in three zones, out-of-scope objects of every kind (the
registry's, demands with their timeline, extensions and inbox messages, matching resources, needs, projects and a
campaign) whose every text carries the zone's mark. Each persona opens every page of the matrix it may open (the
apps' manifests, expected status 200) and:

* its htmx fragment too, when the view looks at ``request.htmx``;
* the page again with each query parameter the view read (recorded while it rendered) set to the persona's
  nearest out-of-scope object of its kind (``?campaign=…``, ``?region=…``) or to a fixed value
  (``?mode=resources``, ``?q=<a word in every mark>``); the JSON API's query parameters come from its OpenAPI
  document;
* every further kwargs set the row declares (``AuthzCase.variants``, e.g. every Excel list);
* the first such page of each target for its out-of-scope counterparts (``demand_a1@b``: 404, or its own page
  where the zone is in the persona's scope);

and the body (the cells of an .xlsx) may not contain the mark of a zone outside the persona's scope
(``gongzhi.core.authz.FORBIDDEN``). The public pages (those the anonymous may open: the Open311 requests publish
every demand's public projection) may show no private mark (a person's name or address, a note, a reason) of any
zone. So a page a new module adds joins this check through its manifest.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.http import QueryDict
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from gongzhi.core.authz import FORBIDDEN, KEYWORD, PERSONAS, ZONES
from gongzhi.core.modules import authz_matrix
from tests.authz import make_world, url_names

MATRIX = authz_matrix()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Query parameters with fixed values worth trying (other views' modes and periods).
VALUES = {"mode": ["resources"], "show": ["auto"], "days": ["365"], "q": [KEYWORD], "queue": ["grid", "mine"]}
# Query parameters naming objects: the name's words → the fixture names of the out-of-scope objects to try.
OBJECTS = (
    (("campaign",), ("campaign@x",)),
    (("category",), ("category@x",)),
    (("need",), ("need_a@{z}",)),
    (("resource",), ("resource_a@{z}",)),
    (("project",), ("project_a@{z}",)),
    (("demand", "demands", "into"), ("demand_a1@{z}",)),
    (("unit", "member_unit", "provider_unit"), ("unit_a@{z}",)),
    (("building",), ("building_a1@{z}",)),
    (("user", "account"), ("user_a@{z}",)),
    (("organization", "org", "provider_org"), ("org_a@{z}",)),
    (("region", "parent", "grid", "place", "area", "subdistrict", "node"), ("grid_a1@{z}",)),
)


@dataclass
class Seen:
    keys: set[str] = field(default_factory=set)
    htmx: bool = False


SEEN = Seen()


class RecordingQueryDict(QueryDict):
    """request.GET that notes which parameters the view asked for."""

    def __getitem__(self, key):
        SEEN.keys.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        SEEN.keys.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        SEEN.keys.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        SEEN.keys.add(key)
        return super().__contains__(key)


class RecordingHtmx:
    """request.htmx that notes whether the view (or its template) looked at it."""

    def __init__(self, inner):
        self._inner = inner

    def __bool__(self):
        SEEN.htmx = True
        return bool(self._inner)

    def __getattr__(self, name):
        SEEN.htmx = True
        return getattr(self._inner, name)


def recording_middleware(get_response):
    def middleware(request):
        request.GET = RecordingQueryDict(request.META.get("QUERY_STRING", ""))
        if hasattr(request, "htmx"):
            request.htmx = RecordingHtmx(request.htmx)
        return get_response(request)

    return middleware


def body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith(XLSX):
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                         for v in row if v is not None)
    return content.decode("utf-8", "replace")


def api_query_params() -> dict[str, list[str]]:
    """Path of each JSON API GET operation → the names of its query parameters (from the OpenAPI document)."""
    from gongzhi.api import api

    schema = api.get_openapi_schema()
    return {path: [p["name"] for p in op["get"].get("parameters", ()) if p.get("in") == "query"]
            for path, op in schema["paths"].items() if "get" in op}


def _path_pattern(openapi_path: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(openapi_path)) + "$")


class Probe:
    """Opens the pages of one persona and collects what it should not have seen."""

    def __init__(self, client: Client, persona: str, world, api_params):
        self.client, self.persona, self.world = client, persona, world
        self.forbidden = {zone: world.zone_mark(zone) for zone in FORBIDDEN[persona]}
        self.private = {zone: world.private_mark(zone) for zone in ZONES}
        self.public = False  # a public page: no private mark of any zone; what is public may show
        self.allowed = {zone: world.zone_mark(zone) for zone in ZONES if zone not in FORBIDDEN[persona]}
        self.api_params = api_params
        self.leaks: list[str] = []
        self.seen_zones: set[str] = set()
        self.requests = 0

    def get(self, url: str, params: dict | None = None, htmx: bool = False) -> Seen:
        SEEN.keys, SEEN.htmx = set(), False
        headers = {"HX-Request": "true"} if htmx else {}
        where = f"{self.persona} GET {url}{'?' + '&'.join(f'{k}={v}' for k, v in params.items()) if params else ''}"
        where += " (htmx)" if htmx else ""
        self.requests += 1
        try:
            with transaction.atomic():  # a savepoint: one failing request cannot spoil the others
                response = self.client.get(url, params or {}, headers=headers)
        except Exception as e:  # a crash is a finding too
            self.leaks.append(f"{where} crashed: {e!r}")
            return Seen(set(SEEN.keys), SEEN.htmx)
        text = body_text(response)
        for zone, mark in (self.private if self.public else self.forbidden).items():
            if (at := text.find(mark)) >= 0:
                snippet = re.sub(r"\s+", " ", text[max(0, at - 80):at + len(mark)])
                self.leaks.append(f"{where} [{response.status_code}] shows zone {zone}: …{snippet}")
        self.seen_zones |= {zone for zone, mark in self.allowed.items() if mark in text}
        return Seen(set(SEEN.keys), SEEN.htmx)

    def values(self, key: str) -> list[str]:
        """Values to try for a query parameter: its fixed ones, or the nearest out-of-scope object of its kind
        (zones in FORBIDDEN order: the nearest first, where scope checks fail first)."""
        words = set(key.split("_")) | {key}
        for names, patterns in OBJECTS:
            if words & set(names):
                objects = (self.world.objects.get(p.format(z=zone)) for zone in self.forbidden for p in patterns)
                return [str(obj.pk) for obj in objects if obj is not None][:1]
        return list(VALUES.get(key, ()))

    def page(self, url: str) -> None:
        seen = self.get(url)
        if seen.htmx:
            self.get(url, htmx=True)
        keys = seen.keys | set(self.api_keys(url))
        for key in sorted(keys):
            for value in self.values(key):
                self.get(url, {key: value})

    def api_keys(self, url: str) -> list[str]:
        return next((keys for pattern, keys in self.api_params if pattern.match(url)), [])


def kwargs_for(target, params: list[str], objects: dict) -> dict:
    if isinstance(target, dict):
        return target
    return {p: objects[target].pk for p in params} if target else {}


@pytest.fixture(scope="module")
def probes(django_db_setup, django_db_blocker) -> dict[str, Probe]:
    """Every persona's walk over the matrix, on one data set (rolled back afterwards)."""
    from django.conf import settings

    names = url_names()
    api_params = [(_path_pattern(path), keys) for path, keys in sorted(  # fixed paths before those with {pk}
        api_query_params().items(), key=lambda item: "{" in item[0])]
    found: dict[str, Probe] = {}
    with django_db_blocker.unblock(), override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], AXES_ENABLED=False,
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        MIDDLEWARE=[*settings.MIDDLEWARE, "tests.test_authz_markers.recording_middleware"],
    ), transaction.atomic():
        world = make_world()
        for persona in PERSONAS:
            client = Client()
            if persona != "anonymous":
                client.force_login(getattr(world.people, persona))
            probe = found[persona] = Probe(client, persona, world, api_params)
            counterparts: set[str] = set()  # targets whose counterparts were opened (on the first page of each)
            for name, case in MATRIX.items():
                if name not in names or case.statuses.split()[PERSONAS.index(persona)] != "200":
                    continue
                probe.public = case.statuses.split()[0] == "200"
                for kwargs in (case.target, *case.all_variants()):
                    probe.page(reverse(name, kwargs=kwargs_for(kwargs, names[name], world.objects)))
                if not isinstance(case.target, str) or case.target in counterparts:
                    continue
                counterparts.add(case.target)
                for zone in ZONES:  # the target's counterparts: their own page in scope, else a 404
                    if (other := f"{case.target}@{zone}") in world.objects:
                        probe.get(reverse(name, kwargs=kwargs_for(other, names[name], world.objects)))
        transaction.set_rollback(True)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_shows_what_is_out_of_scope(probes, persona):
    leaks = probes[persona].leaks
    assert not leaks, f"{len(leaks)} responses show out-of-scope objects:\n" + "\n".join(leaks[:40])


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [p for p in PERSONAS if set(ZONES) - set(FORBIDDEN[p])])
def test_the_marks_are_seen_where_they_are_in_scope(probes, persona):
    """The walk does reach the marked objects: each zone in the persona's scope shows up somewhere."""
    allowed = set(ZONES) - set(FORBIDDEN[persona])
    assert probes[persona].seen_zones == allowed
