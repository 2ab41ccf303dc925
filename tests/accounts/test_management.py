"""Account management by the sub-district administrator: scoped (out-of-scope accounts answer 404, roles only inside
the sub-district and never above the administrator's own), every write through the services, audited."""

import pytest
from django.contrib.auth import authenticate
from django.test import Client

from gongzhi.accounts import policies, selectors, services
from gongzhi.accounts import services as account_services
from gongzhi.accounts.models import RoleAssignment, User
from gongzhi.accounts.roles import Role
from gongzhi.core.errors import Conflict, Forbidden, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.registry.models import RegionKind
from tests import factories
from tests.conftest import login

STRONG = "Wutong-temp-2026"


@pytest.fixture
def other(street):
    """A second sub-district (Y) of the same district, with its own administrator and grid worker."""
    sub = factories.region(RegionKind.SUBDISTRICT, street.district, name="外街道")
    area = factories.region(RegionKind.RESIDENTIAL_AREA, sub, name="外居民区")
    grid = factories.region(RegionKind.GRID, area, name="外一网格")
    return {
        "sub": sub, "area": area, "grid": grid,
        "admin": factories.user("otheradmin", Role.SUBDISTRICT_ADMIN, sub),
        "worker": factories.user("otherworker", Role.GRID_LEADER, grid),
        "unit": factories.member_unit(grid, name="外街道单位"),
    }


def field_errors(excinfo) -> dict:
    return excinfo.value.field_errors


# --- scope ---------------------------------------------------------------------------------------------------------


def test_an_administrator_manages_only_accounts_whose_roles_lie_in_the_subdistrict(street, people, other):
    both = factories.user("twoplaces", Role.GRID_LEADER, street.grid_a1)
    both.role_assignments.create(role=Role.GRID_LEADER, region=other["grid"])
    viewer = factories.user("districtviewer", Role.DISTRICT_VIEWER, street.district)
    root = User.objects.create_superuser("root", password=factories.PASSWORD)
    liaison = factories.user("unitliaison", Role.UNIT_LIAISON, unit=street.unit_a)

    managed = set(selectors.managed_users(people.admin).values_list("username", flat=True))
    assert managed == {"insider", "colleague", "outsider", "streetadmin", "resident", "unitliaison"}
    # the policy answers the same, account by account
    for user in User.objects.all():
        assert policies.manages(people.admin, user) == (user.username in managed), user.username
    assert {"twoplaces", "districtviewer", "root", "otherworker", "otheradmin"}.isdisjoint(managed)
    assert liaison.username in managed and viewer.pk and root.pk


def test_out_of_scope_accounts_answer_404_on_every_page(client, street, people, other):
    login(client, people.admin)
    worker = other["worker"]
    for name in ("user_detail", "user_edit", "user_password", "role_grant", "user_deactivate", "user_reactivate"):
        assert client.get(f"/accounts/users/{worker.pk}/{_suffix(name)}").status_code == 404, name
    assert client.post(f"/accounts/users/{worker.pk}/deactivate/").status_code == 404
    assert client.post(f"/accounts/users/{worker.pk}/password/", {"password": ""}).status_code == 404
    role = worker.role_assignments.get()
    assert client.post(f"/accounts/users/roles/{role.pk}/remove/").status_code == 404
    worker.refresh_from_db()
    assert worker.is_active and worker.role_assignments.count() == 1
    assert client.get("/accounts/users/999999/").status_code == 404  # missing looks the same


def _suffix(name: str) -> str:
    return {"user_detail": "", "user_edit": "edit/", "user_password": "password/", "role_grant": "roles/new/",
            "user_deactivate": "deactivate/", "user_reactivate": "reactivate/"}[name]


def test_other_roles_cannot_open_account_management(client, street, people):
    for persona in (people.insider, people.colleague, people.resident):
        assert login(Client(), persona).get("/accounts/users/").status_code == 403
    with pytest.raises(Forbidden):
        services.create_user("newbie", actor=people.insider, role=Role.GRID_LEADER, region=street.grid_a1)


def test_granting_a_role_outside_the_subdistrict_is_a_field_error(street, people, other):
    with pytest.raises(ValidationFailed) as e:
        services.grant_role(people.colleague, actor=people.admin, role=Role.GRID_LEADER, region=other["grid"])
    assert "region" in field_errors(e)
    with pytest.raises(ValidationFailed) as e:
        services.grant_role(people.colleague, actor=people.admin, role=Role.UNIT_LIAISON, member_unit=other["unit"])
    assert "member_unit" in field_errors(e)
    with pytest.raises(ValidationFailed) as e:
        services.create_user("newbie", actor=people.admin, role=Role.GRID_LEADER, region=other["grid"])
    assert "region" in field_errors(e)
    assert not User.objects.filter(username="newbie").exists()
    assert people.colleague.role_assignments.count() == 1


def test_the_grant_page_refuses_an_out_of_scope_region_on_the_field(client, street, people, other):
    r = login(client, people.admin).post(f"/accounts/users/{people.colleague.pk}/roles/new/",
                                         {"role": Role.GRID_LEADER, "region": other["grid"].pk})
    assert r.status_code == 200 and r.context["form"].errors["region"]
    assert other["grid"].name not in r.content.decode()  # not even offered
    assert people.colleague.role_assignments.count() == 1


def test_no_role_above_the_administrators_own(street, people):
    for role in (Role.DISTRICT_VIEWER, Role.DISTRICT_DEPARTMENT, Role.SYSTEM_ADMIN):
        with pytest.raises(ValidationFailed) as e:
            services.grant_role(people.colleague, actor=people.admin, role=role, region=street.subdistrict)
        assert "role" in field_errors(e)
    assert set(policies.grantable_roles(people.admin)) == set(Role.values) - {
        Role.DISTRICT_VIEWER, Role.DISTRICT_DEPARTMENT, Role.SYSTEM_ADMIN}


def test_a_role_sits_at_its_level(street, people):
    with pytest.raises(ValidationFailed) as e:
        services.grant_role(people.resident, actor=people.admin, role=Role.GRID_LEADER, region=street.area_a)
    assert "region" in field_errors(e)
    with pytest.raises(ValidationFailed) as e:
        services.grant_role(people.resident, actor=people.admin, role=Role.UNIT_LIAISON)
    assert "member_unit" in field_errors(e)


def test_no_one_changes_their_own_roles_or_deactivates_themselves(street, people):
    assert policies.actions(people.admin, people.admin) == {"view", "edit"}
    with pytest.raises(Forbidden):
        services.deactivate_user(people.admin, actor=people.admin)
    with pytest.raises(Forbidden):
        services.remove_role(people.admin.role_assignments.get(), actor=people.admin)
    with pytest.raises(Forbidden):
        services.grant_role(people.admin, actor=people.admin, role=Role.GRID_LEADER, region=street.grid_a1)


# --- each service --------------------------------------------------------------------------------------------------


def test_create_user_gives_a_role_and_a_temporary_password_audited(street, people):
    user, password = services.create_user("wutong3", actor=people.admin, role=Role.GRID_LEADER,
                                          region=street.grid_a2, display_name="梧桐三号", phone="13900001234")
    assert authenticate(username="wutong3", password=password) == user
    assert user.must_change_password and len(password) >= 12
    assert [(a.role, a.region) for a in user.role_assignments.all()] == [(Role.GRID_LEADER, street.grid_a2)]
    assert user.history.get().history_user == people.admin
    assert RoleAssignment.history.get(user_id=user.pk).history_user == people.admin
    assert policies.manages(people.admin, user)


def test_create_user_takes_a_chosen_password_and_checks_it(street, people):
    _user, password = services.create_user("wutong4", actor=people.admin, role=Role.RESIDENT, region=street.grid_a1,
                                           password=STRONG)
    assert password == STRONG
    with pytest.raises(ValidationFailed) as e:
        services.create_user("wutong5", actor=people.admin, role=Role.RESIDENT, region=street.grid_a1,
                             password="123")
    assert "password" in field_errors(e)
    with pytest.raises(ValidationFailed) as e:
        services.create_user("wutong4", actor=people.admin, role=Role.RESIDENT, region=street.grid_a1)
    assert "username" in field_errors(e)
    assert User.objects.filter(username__startswith="wutong").count() == 1


def test_update_user_changes_contact_details(street, people):
    services.update_user(people.colleague, actor=people.admin, display_name="梧桐网格长（新）", phone="13900005678",
                         email="grid@example.org")
    people.colleague.refresh_from_db()
    assert people.colleague.display_name == "梧桐网格长（新）" and people.colleague.phone == "13900005678"
    assert people.colleague.history.first().history_user == people.admin
    with pytest.raises(ValidationFailed) as e:
        services.update_user(people.colleague, actor=people.admin, display_name="x", email="not-an-address")
    assert "email" in field_errors(e)


def test_granting_and_removing_roles_is_audited(street, people):
    assignment = services.grant_role(people.colleague, actor=people.admin, role=Role.PARTY_MEMBER,
                                     region=street.grid_a1)
    with pytest.raises(ValidationFailed) as e:  # held already
        services.grant_role(people.colleague, actor=people.admin, role=Role.PARTY_MEMBER, region=street.grid_a1)
    assert "role" in field_errors(e)
    pk = assignment.pk
    services.remove_role(assignment, actor=people.admin)
    rows = list(RoleAssignment.history.filter(id=pk).order_by("history_date"))
    assert [(r.history_type, r.history_user) for r in rows] == [("+", people.admin), ("-", people.admin)]
    assert list(people.colleague.role_assignments.values_list("role", flat=True)) == [Role.GRID_LEADER]


def test_the_last_role_is_not_removed_deactivate_instead(street, people):
    with pytest.raises(Conflict):
        services.remove_role(people.colleague.role_assignments.get(), actor=people.admin)
    assert people.colleague.role_assignments.count() == 1


def test_a_unit_liaison_is_granted_at_a_member_unit(street, people):
    assignment = services.grant_role(people.resident, actor=people.admin, role=Role.UNIT_LIAISON,
                                     member_unit=street.unit_a)
    assert assignment.member_unit == street.unit_a and assignment.region is None


def test_reset_password_works_and_ends_the_sessions(street, people):
    colleague = login(Client(), people.colleague)
    assert colleague.get("/").status_code == 200
    password = services.reset_password(people.colleague, actor=people.admin)
    assert authenticate(username="colleague", password=factories.PASSWORD) is None
    assert authenticate(username="colleague", password=password) is not None
    assert colleague.get("/").status_code == 302  # the old session is gone
    record = people.colleague.history.first()
    assert record.history_user == people.admin and record.history_change_reason
    chosen = services.reset_password(people.colleague, actor=people.admin, password=STRONG)
    assert chosen == STRONG and authenticate(username="colleague", password=STRONG) is not None


def test_a_temporary_password_must_be_changed_at_the_next_login(client, street, people):
    password = services.reset_password(people.colleague, actor=people.admin)
    assert client.post("/accounts/login/", {"username": "colleague", "password": password}).status_code == 302
    r = client.get("/demands/")
    assert r.status_code == 302 and r.url == "/accounts/password/"
    r = client.post("/accounts/password/", {"old_password": password, "new_password1": STRONG,
                                            "new_password2": STRONG})
    assert r.status_code == 302
    assert client.get("/demands/").status_code == 200  # still logged in, and free to go
    people.colleague.refresh_from_db()
    assert not people.colleague.must_change_password and people.colleague.check_password(STRONG)


def test_deactivation_stops_login_sessions_and_tokens(client, street, people):
    _token, key = account_services.issue_token(people.colleague, actor=SYSTEM, name="script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    session = login(Client(), people.colleague)
    assert client.get("/api/v1/registry/regions", **auth).status_code == 200

    services.deactivate_user(people.colleague, actor=people.admin)
    assert client.get("/api/v1/registry/regions", **auth).status_code == 401
    assert session.get("/").status_code == 302
    r = client.post("/accounts/login/", {"username": "colleague", "password": factories.PASSWORD})
    assert r.status_code == 200 and "_auth_user_id" not in client.session
    record = people.colleague.history.first()
    assert record.history_user == people.admin and record.prev_record.is_active and not record.is_active

    services.reactivate_user(people.colleague, actor=people.admin)
    assert client.post("/accounts/login/", {"username": "colleague", "password": factories.PASSWORD}).status_code \
        == 302
    with pytest.raises(Forbidden):  # already active
        services.reactivate_user(people.colleague, actor=people.admin)


# --- pages ---------------------------------------------------------------------------------------------------------


def test_the_list_is_searchable_and_paginated(client, street, people, settings):
    settings.PAGE_SIZE = 2
    login(client, people.admin)
    r = client.get("/accounts/users/", {"q": "梧桐"})
    usernames = [u.username for u in r.context["page"].object_list]
    assert usernames == ["colleague", "insider"]
    r = client.get("/accounts/users/")
    assert r.context["page"].paginator.num_pages == 3  # five accounts, two a page
    assert [u.username for u in client.get("/accounts/users/", {"role": Role.AREA_SECRETARY}).context["page"]
            .object_list] == ["insider", "outsider"]


def test_creating_a_user_on_the_page_shows_the_password_once(client, street, people):
    r = login(client, people.admin).post("/accounts/users/new/", {
        "username": "wutong9", "display_name": "梧桐九", "role": Role.GRID_LEADER, "region": street.grid_a2.pk})
    assert r.status_code == 200
    password = r.context["password"]
    assert password in r.content.decode() and r.headers["Cache-Control"].startswith("max-age=0")
    user = User.objects.get(username="wutong9")
    assert user.check_password(password)
    assert password not in client.get(f"/accounts/users/{user.pk}/").content.decode()


def test_the_detail_page_offers_what_the_policy_allows(client, street, people):
    services.grant_role(people.colleague, actor=people.admin, role=Role.PARTY_MEMBER, region=street.grid_a1)
    html = login(client, people.admin).get(f"/accounts/users/{people.colleague.pk}/").content.decode()
    for url in ("edit/", "password/", "roles/new/", "deactivate/"):
        assert f"/accounts/users/{people.colleague.pk}/{url}" in html
    assert "/reactivate/" not in html and html.count("/remove/") == 2
    own = client.get(f"/accounts/users/{people.admin.pk}/").content.decode()
    assert f"/accounts/users/{people.admin.pk}/edit/" in own
    for url in ("deactivate/", "password/", "roles/new/"):
        assert f"/accounts/users/{people.admin.pk}/{url}" not in own
    assert "/remove/" not in own


def test_deactivating_through_the_pages_confirms_first(client, street, people):
    login(client, people.admin)
    assert client.get(f"/accounts/users/{people.colleague.pk}/deactivate/").status_code == 200
    people.colleague.refresh_from_db()
    assert people.colleague.is_active
    r = client.post(f"/accounts/users/{people.colleague.pk}/deactivate/")
    assert r.status_code == 302
    people.colleague.refresh_from_db()
    assert not people.colleague.is_active


def test_the_user_menu_links_password_tokens_and_for_admins_user_management(client, street, people):
    html = login(client, people.admin).get("/").content.decode()
    assert 'href="/accounts/password/"' in html and 'href="/accounts/tokens/"' in html
    assert 'href="/accounts/users/"' in html
    html = login(Client(), people.colleague).get("/").content.decode()
    assert 'href="/accounts/password/"' in html and 'href="/accounts/users/"' not in html


def test_the_administrator_audits_account_changes_in_the_subdistrict(client, street, people, other):
    services.deactivate_user(people.colleague, actor=people.admin)
    services.deactivate_user(other["worker"], actor=other["admin"])
    html = login(client, people.admin).get("/audit/", {"model": "accounts.User"}).content.decode()
    assert "梧桐网格长" in html and "otherworker" not in html
