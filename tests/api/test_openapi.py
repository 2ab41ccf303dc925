"""Issue 11, security 9: what the OpenAPI document says about inputs, checked without a server (schemathesis checks
the answers: tests/api/test_schemathesis.py)."""

import json
import typing

import pytest
from pydantic import BaseModel

from gongzhi.accounts import services as account_services
from gongzhi.api import api
from gongzhi.core.workflow import SYSTEM
from tests.demands.conftest import submit

BASE = "/api/v1/demands"


def _schemas(annotation, found: set) -> None:
    """The pydantic models an annotation names, with those their fields name."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        if annotation.__module__.startswith("gongzhi"):
            found.add(annotation)
        for field in annotation.model_fields.values():
            _schemas(field.annotation, found)
        return
    for arg in typing.get_args(annotation):
        _schemas(arg, found)


def _operations():
    for router in api._get_bound_routers():
        for view in router.path_operations.values():
            yield from view.operations


def test_every_schema_has_a_name_of_its_own():
    """ninja names a component after its class: two classes of one name would share one component, and an
    operation would document the other's fields (three `ClaimIn` and two `TransitionIn` once did)."""
    found: set = set()
    for op in _operations():
        for model in [*op.models, *op.response_models.values()]:
            _schemas(model, found)
    names: dict[str, list[str]] = {}
    for cls in found:
        names.setdefault(cls.__name__, []).append(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: where for name, where in names.items() if len(where) > 1} == {}


@pytest.fixture(scope="module")
def document():
    return api.get_openapi_schema()


def test_the_public_intake_declares_its_token_optional(document):
    """Anonymous residents submit without a token; staff send theirs: the empty requirement says so."""
    demands = document["paths"]["/api/v1/demands/"]
    assert {} in demands["post"]["security"] and {"BearerToken": []} in demands["post"]["security"]
    assert {} not in demands["get"]["security"]  # the queue needs a token or a session


def test_input_schemas_state_the_domain_rules(document):
    schemas = document["components"]["schemas"]
    submit = schemas["SubmitIn"]
    assert submit["additionalProperties"] is False and set(submit["required"]) == {"title", "description"}
    title = submit["properties"]["title"]
    assert (title["minLength"], title["maxLength"]) == (1, 120) and "pattern" in title
    assert "open311" not in submit["properties"]["channel"]["enum"]
    assert submit["properties"]["submitter_phone"]["pattern"].startswith("^(1[0-9]{10}")
    patch = schemas["MemberUnitPatch"]["properties"]
    assert "default" not in patch["code"] and "null" not in str(patch["code"])  # absent: unchanged; never null
    assert {"type": "null"} in patch["building_id"]["anyOf"]  # a nullable reference may be cleared


@pytest.fixture
def admin(people):
    _token, key = account_services.issue_token(people.admin, actor=SYSTEM, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client, url, body, auth):
    return client.post(url, json.dumps(body), content_type="application/json", **auth)


@pytest.mark.parametrize("url, body, field", [
    ("/inbox/read", [None, None], "__all__"),  # not an object (ninja read a list's attributes: all defaults)
    ("/{pk}/assign", {"team_id": False}, "team_id"),  # a boolean is not an id
    ("/{pk}/assign", {"team_id": "5"}, "team_id"),  # nor is a string
    ("/{pk}/escalate", {"note": "", "urgent": True}, "urgent"),  # an unknown field
    ("/{pk}/resolve", {"resolution": " \u3000"}, "resolution"),  # blank
    ("/{pk}/start", {"note": "a\x00b"}, "note"),  # NUL, which PostgreSQL cannot store
    ("/", {"title": "x" * 121, "description": "d"}, "title"),  # longer than the model's 120
    ("/", {"title": "t", "description": "d", "submitter_phone": "138 0000 0000"}, "submitter_phone"),
    ("/", {"title": "t", "description": "d", "channel": "open311"}, "channel"),  # not a staff channel
])
def test_schema_invalid_bodies_are_a_422_naming_the_field(client, street, admin, url, body, field):
    demand = submit(street)
    r = _post(client, BASE + url.format(pk=demand.pk), body, admin)
    assert r.status_code == 422 and field in r.json()["errors"], r.content


def test_a_whole_number_may_be_written_with_a_fraction_of_zero(client, street, admin):
    """JSON Schema's "integer" takes 5.0: the review answers as for 5 (here: no such code)."""
    r = _post(client, f"{BASE}/track/GZ000000AAAAAA/review", {"satisfaction": 5.0, "last4": "0000"}, admin)
    assert r.status_code == 404
