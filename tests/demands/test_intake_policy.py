"""Security 6: channel, priority, member unit and building of a new demand are checked by policy against the
recording actor's role and scope. Anonymous visitors, residents and party members report through web/H5 with
normal priority; staff record only within their scope. Refusals are field errors (JSON 422)."""

import pytest
from django.core.cache import cache

from gongzhi.accounts import services as account_services
from gongzhi.accounts.roles import Role
from gongzhi.core.errors import ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands import policies
from gongzhi.demands.models import Demand
from tests import factories
from tests.demands.conftest import submit

BASE = "/api/v1/demands/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _token(user) -> dict:
    _t, key = account_services.issue_token(user, actor=SYSTEM, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client, auth=None, **kw):
    payload = {"title": "楼道灯坏了", "description": "3楼楼道灯不亮。", "submitter_phone": "13912345678", **kw}
    return client.post(BASE, payload, content_type="application/json", **(auth or {}))


def _errors(response) -> set[str]:
    assert response.status_code == 422, response.content
    return set(response.json()["errors"])


@pytest.fixture
def party_member(street):
    return factories.user("pm", Role.PARTY_MEMBER, street.grid_a1)


def test_residents_and_party_members_report_only_through_web_with_normal_priority(client, street, people,
                                                                                   party_member):
    for auth in (_token(people.resident), _token(party_member), None):
        assert "channel" in _errors(_post(client, auth, channel="hotline_12345", building_id=street.building_b1.pk))
        assert "priority" in _errors(_post(client, auth, priority="urgent", building_id=street.building_a1.pk))
        assert "member_unit" in _errors(_post(client, auth, channel="enterprise", member_unit_id=street.unit_b.pk))
        assert "channel" in _errors(_post(client, auth, channel="grid_patrol", building_id=street.building_a1.pk))
    assert Demand.objects.count() == 0
    # what they may do: their own problem, anywhere in the sub-district, web and normal
    r = _post(client, _token(people.resident), building_id=street.building_b1.pk)
    assert r.status_code == 201 and r.json()["channel"] == "web" and r.json()["priority"] == "normal"


def test_staff_record_only_inside_their_scope(client, street, people):
    grid_leader = _token(people.colleague)  # grid A1
    errors = _errors(_post(client, grid_leader, channel="hotline_12345", priority="urgent",
                           building_id=street.building_b1.pk))
    assert errors == {"building"}
    assert _errors(_post(client, grid_leader, channel="enterprise", member_unit_id=street.unit_b.pk)) >= {
        "member_unit"}
    r = _post(client, grid_leader, channel="hotline_12345", priority="urgent", building_id=street.building_a1.pk)
    assert r.status_code == 201 and r.json()["priority"] == "urgent"
    r = _post(client, _token(people.insider), channel="enterprise", member_unit_id=street.unit_a.pk)
    assert r.status_code == 201
    assert _post(client, _token(people.outsider), channel="walk_in", building_id=street.building_a1.pk
                 ).status_code == 422
    assert _post(client, _token(people.admin), channel="walk_in", building_id=street.building_b1.pk
                 ).status_code == 201


def test_the_service_refuses_too_and_the_policy_says_why(street, people, party_member):
    with pytest.raises(ValidationFailed) as refused:
        submit(street, recorded_by=party_member, channel="grid_patrol", priority="emergency")
    assert set(refused.value.field_errors) == {"channel", "priority"}
    assert policies.intake_errors(None, channel="web", priority="normal") == {}
    assert policies.records_for_others(people.colleague) and not policies.records_for_others(people.resident)
    unit_liaison = factories.user("ul", Role.UNIT_LIAISON, unit=street.unit_a)
    assert policies.intake_errors(unit_liaison, channel="enterprise", priority="normal",
                                  member_unit=street.unit_a) == {}
    assert "member_unit" in policies.intake_errors(unit_liaison, channel="enterprise", priority="normal",
                                                   member_unit=street.unit_b)
