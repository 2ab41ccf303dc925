"""API tokens are looked up afresh on every request, with the user's current roles: revoking a token, deactivating
its user, and taking away, giving or moving a role all take effect on the next request. (Across server processes:
tests/accounts/test_revocation_across_processes.py.)"""

import pytest

from gongzhi.accounts import services as account_services
from gongzhi.accounts.models import ApiToken, RoleAssignment
from gongzhi.accounts.roles import Role
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands import services as demand_services
from gongzhi.demands.models import Open311Client
from gongzhi.registry.models import RegionKind
from tests import factories

ME = "/api/v1/demands/"
REGIONS = "/api/v1/registry/regions"


@pytest.fixture
def auth(street, people):
    _row, key = account_services.issue_token(people.insider, actor=SYSTEM, name="集成")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_role_taken_away_takes_effect_at_once(client, auth, people):
    assert client.get(REGIONS, **auth).json()["count"] == 3
    RoleAssignment.objects.get(user=people.insider).delete()
    assert client.get(REGIONS, **auth).status_code == 403


def test_a_role_given_takes_effect_at_once(client, street, people):
    newcomer = factories.user("新委员")
    _row, key = account_services.issue_token(newcomer, actor=SYSTEM, name="集成")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(REGIONS, **auth).status_code == 403
    RoleAssignment.objects.create(user=newcomer, role=Role.AREA_SECRETARY, region=street.area_a)
    assert client.get(REGIONS, **auth).json()["count"] == 3


def test_the_role_s_area_moved_to_another_sub_district_takes_effect_at_once(client, auth, street):
    assert client.get(REGIONS, **auth).json()["count"] == 3
    street.area_a.parent = factories.region(RegionKind.SUBDISTRICT, street.subdistrict.parent, name="新街道")
    street.area_a.save()  # its path and its grids' paths change
    assert client.get(REGIONS, **auth).json()["count"] == 3


def test_revoking_a_token_on_the_tokens_page_locks_it_out_at_once(client, auth, people):
    assert client.get(ME, **auth).status_code == 200
    client.force_login(people.insider)
    row = ApiToken.objects.get(user=people.insider)
    assert client.post("/accounts/tokens/", {"revoke": row.pk}).status_code == 302
    client.logout()
    assert client.get(ME, **auth).status_code == 401


def test_a_deactivated_user_s_token_stops_working_at_once(client, auth, people):
    assert client.get(ME, **auth).status_code == 200
    people.insider.is_active = False
    people.insider.save()
    assert client.get(ME, **auth).status_code == 401


def test_an_open311_key_of_a_deactivated_client_or_account_is_refused(street, people):
    row, key = demand_services.register_open311_client("12345 热线", actor=SYSTEM, user=people.colleague, subdistrict=street.subdistrict)
    assert Open311Client.authenticate(key) == row
    people.colleague.is_active = False
    people.colleague.save()
    assert Open311Client.authenticate(key) is None
    people.colleague.is_active = True
    people.colleague.save()
    row.active = False
    row.save()
    assert Open311Client.authenticate(key) is None
