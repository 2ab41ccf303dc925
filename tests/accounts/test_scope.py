"""The one scoping mechanism: who sees which registry rows."""

import pytest

from gongzhi.accounts.roles import Capability, Role
from gongzhi.accounts.scope import access, has_capability, scope_for, scoped
from gongzhi.core.errors import NotFound
from gongzhi.registry.models import MemberUnit, PartyMember, Region
from tests import factories

V = Capability.VIEW_REGISTRY


def test_area_secretary_sees_only_own_area_subtree(street, people):
    regions = set(scoped(people.insider, Region, V).values_list("name", flat=True))
    assert regions == {"梧桐居民区", "梧桐一网格", "梧桐二网格"}


def test_grid_leader_sees_only_own_grid(street, people):
    assert list(scoped(people.colleague, Region, V)) == [street.grid_a1]
    assert list(scoped(people.colleague, MemberUnit, V)) == [street.unit_a]


def test_outsider_gets_not_found_for_insider_objects(street, people):
    with pytest.raises(NotFound):
        access(people.outsider, PartyMember, V, pk=street.member_a.pk)
    assert access(people.insider, PartyMember, V, pk=street.member_a.pk) == street.member_a


def test_missing_and_out_of_scope_look_the_same(street, people):
    with pytest.raises(NotFound) as missing:
        access(people.insider, PartyMember, V, pk=999999)
    with pytest.raises(NotFound) as hidden:
        access(people.insider, PartyMember, V, pk=street.member_b.pk)
    assert missing.value.message == hidden.value.message


def test_registered_working_member_is_visible_where_registered(street, people):
    # A member of area B's organization registers (报到) at area A: area A's secretary sees them.
    m = factories.party_member(street.org_b, registered_area=street.area_a, name="王报到")
    assert m in scoped(people.insider, PartyMember, V)
    assert m in scoped(people.outsider, PartyMember, V)


def test_subdistrict_admin_sees_everything_below(street, people):
    assert scoped(people.admin, PartyMember, V).count() == 2
    assert scoped(people.admin, Region, V).count() == 6  # the sub-district itself + 2 areas + 3 grids


def test_resident_has_no_registry_capability(street, people):
    assert not has_capability(people.resident, V)
    assert scoped(people.resident, Region, V).count() == 0


def test_unit_liaison_sees_own_unit_only(street):
    liaison = factories.user("liaison", Role.UNIT_LIAISON, unit=street.unit_b)
    assert list(scoped(liaison, MemberUnit, V)) == [street.unit_b]
    assert scoped(liaison, Region, V).count() == 0


def test_nested_paths_collapse(street):
    u = factories.user("two-roles", Role.AREA_SECRETARY, street.area_a)
    from gongzhi.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=u, role=Role.GRID_LEADER, region=street.grid_a1)
    u = type(u).objects.get(pk=u.pk)
    assert scope_for(u, V).region_paths == (street.area_a.path,)


def test_edit_scope_narrower_than_view_scope(street):
    u = factories.user("mixed", Role.GRID_LEADER, street.grid_b1)
    from gongzhi.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=u, role=Role.AREA_SECRETARY, region=street.area_a)
    u = type(u).objects.get(pk=u.pk)
    assert street.grid_b1 in scoped(u, Region, V)
    assert street.grid_b1 not in scoped(u, Region, Capability.EDIT_REGISTRY)
    assert street.grid_a2 in scoped(u, Region, Capability.EDIT_REGISTRY)
