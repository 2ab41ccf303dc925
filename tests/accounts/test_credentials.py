"""API tokens are looked up once per process and then served from a short-lived cache; revoking a token or
deactivating its user still shuts the door at once in the process that made the change."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongzhi.accounts import credentials
from gongzhi.accounts.credentials import api_token, credential_cache
from gongzhi.accounts.models import ApiToken, RoleAssignment
from gongzhi.accounts.roles import Capability, Role
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.localcache import LocalCache
from gongzhi.demands.models import Open311Client
from gongzhi.registry.models import RegionKind
from tests import factories

ME = "/api/v1/demands/"
REGIONS = "/api/v1/registry/regions"


@pytest.fixture(autouse=True)
def _empty_cache():
    credential_cache.clear()
    yield
    credential_cache.clear()


@pytest.fixture
def token(street, people):
    _row, key = ApiToken.issue(people.insider, "集成")
    return key


def _token_queries(key) -> int:
    with CaptureQueriesContext(connection) as q:
        row = api_token(key)
    assert row is not None
    return sum("accounts_apitoken" in x["sql"] for x in q.captured_queries)


def test_a_second_request_with_the_same_token_costs_no_query(token):
    assert _token_queries(token) == 1
    assert _token_queries(token) == 0


def test_the_cache_hands_out_copies_so_a_request_cannot_change_the_cached_row(token, people):
    first = api_token(token)
    first.user.display_name = "改过的名字"
    first.user._role_assignment_cache.clear()  # a request that mangles its user's roles
    second = api_token(token)
    assert second.user.display_name == "梧桐书记"
    assert [a.role for a in second.user._role_assignment_cache] == [Role.AREA_SECRETARY]


def test_open311_clients_are_handed_out_as_copies_too(street, people):
    _client, key = Open311Client.issue("12345 热线", people.colleague, subdistrict=street.subdistrict)
    first = Open311Client.authenticate(key)
    first.name, first.subdistrict.name, first.user.display_name = "改", "改过的街道", "改过的名字"
    second = Open311Client.authenticate(key)
    assert (second.name, second.subdistrict.name, second.user.display_name) == ("12345 热线", "示范街道", "梧桐网格长")
    assert second is not first and second.subdistrict is not first.subdistrict


def test_a_cached_token_brings_its_user_s_roles_so_scope_checks_cost_no_query(token):
    api_token(token)
    with CaptureQueriesContext(connection) as q:
        user = api_token(token).user
        assert has_capability(user, Capability.VIEW_PERSONAL_DATA)
        assert scope_for(user, Capability.VIEW_DEMANDS).region_paths
    assert q.captured_queries == []


def _warm(client, key) -> dict:
    """Use the token until it is served from the cache (the first use also stamps last_used_at, which empties
    the cache)."""
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client.get(ME, **auth)
    client.get(ME, **auth)
    assert credential_cache._entries
    return auth


def test_a_role_taken_away_takes_effect_at_once_for_cached_tokens(client, token, people):
    auth = _warm(client, token)
    assert client.get(REGIONS, **auth).json()["count"] == 3
    RoleAssignment.objects.get(user=people.insider).delete()
    assert client.get(REGIONS, **auth).status_code == 403


def test_a_role_given_takes_effect_at_once_for_cached_tokens(client, street, people):
    newcomer = factories.user("新委员")
    _row, key = ApiToken.issue(newcomer, "集成")
    auth = _warm(client, key)
    assert client.get(REGIONS, **auth).status_code == 403
    RoleAssignment.objects.create(user=newcomer, role=Role.AREA_SECRETARY, region=street.area_a)
    assert client.get(REGIONS, **auth).json()["count"] == 3


def test_the_role_s_area_moved_to_another_sub_district_takes_effect_at_once_for_cached_tokens(client, token, street):
    auth = _warm(client, token)
    assert client.get(REGIONS, **auth).json()["count"] == 3
    street.area_a.parent = factories.region(RegionKind.SUBDISTRICT, street.subdistrict.parent, name="新街道")
    street.area_a.save()  # its path and its grids' paths change; a cached copy of the role would hold the old one
    assert client.get(REGIONS, **auth).json()["count"] == 3


def test_revoking_a_token_on_the_tokens_page_locks_it_out_at_once(client, token, people):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(ME, **auth).status_code == 200
    client.force_login(people.insider)
    row = ApiToken.objects.get(user=people.insider)
    assert client.post("/accounts/tokens/", {"revoke": row.pk}).status_code == 302
    client.logout()
    assert client.get(ME, **auth).status_code == 401


def test_a_deactivated_user_s_token_stops_working_at_once(client, token, people):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(ME, **auth).status_code == 200
    people.insider.is_active = False
    people.insider.save()
    assert client.get(ME, **auth).status_code == 401


def test_an_entry_expires_after_its_seconds(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    loads = []
    cache = LocalCache(10)
    load = lambda: loads.append(1) or len(loads)  # noqa: E731
    assert cache.get("k", load) == 1
    clock[0] += 9.9
    assert cache.get("k", load) == 1
    clock[0] += 0.2
    assert cache.get("k", load) == 2


def test_zero_seconds_turns_the_cache_off(settings, token):
    settings.GONGZHI_CREDENTIAL_CACHE_SECONDS = 0
    assert _token_queries(token) == 1
    assert _token_queries(token) == 1


def test_reference_reads_inside_a_transaction_see_the_database(transactional_db):
    cache = LocalCache(60, outside_transactions_only=True)
    from django.db import transaction

    assert cache.get("k", lambda: "outside") == "outside"
    with transaction.atomic():
        assert cache.get("k", lambda: "inside") == "inside"
    assert cache.get("k", lambda: "again") == "outside"


def test_a_user_saved_elsewhere_empties_the_cache(token):
    api_token(token)
    assert credential_cache._entries
    factories.user("新来的")
    assert not credential_cache._entries
    assert credentials.credential_cache is credential_cache
