"""The demo street: `gongzhi demo` seeds a realistic, reproducible sub-district with an account for every role."""

import hashlib
from io import StringIO

from django.core.management import call_command

from gongzhi.accounts.models import RoleAssignment, User
from gongzhi.accounts.roles import ROLE_SCOPE_KIND, Capability, Role
from gongzhi.accounts.scope import scoped
from gongzhi.demo.accounts import DEMO_PASSWORD
from gongzhi.registry.models import (
    Building,
    BuildingKind,
    Liaison,
    MemberStatus,
    MemberUnit,
    MemberUnitKind,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    ProfessionalTeam,
    ProfessionalTeamKind,
    Region,
    RegionKind,
    ServicePlace,
    ServicePlaceKind,
    VolunteerTeam,
    id_number_validator,
)


def digest() -> str:
    rows = []
    for model in (Region, Building, MemberUnit, PartyOrg, ServicePlace):
        rows += [f"{model.__name__}|{code}|{name}" for code, name in model.objects.order_by("code").values_list("code", "name")]
    rows += sorted(  # ID numbers are encrypted at rest: the database can't order by them, so sort here
        "|".join(map(str, r)) for r in PartyMember.objects.values_list(
            "id_number", "name", "organization__code", "status", "joined_on", "phone", "registered_area__code", "grid__code")
    )
    rows += sorted(f"{n}|{p}" for n, p in Liaison.objects.values_list("name", "phone"))
    rows += sorted(f"{u}|{d}" for u, d in User.objects.values_list("username", "display_name"))
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def test_the_street_has_the_shape_of_a_real_subdistrict(demo):
    assert "seeded in" in demo
    assert Region.objects.filter(kind=RegionKind.DISTRICT).count() == 1
    # the demo street (the joint demo adds nine light sub-districts of the district, without areas)
    subdistrict = Region.objects.get(kind=RegionKind.SUBDISTRICT, code="WT")
    areas = Region.objects.filter(kind=RegionKind.RESIDENTIAL_AREA)
    assert areas.count() == 11 and all(a.parent == subdistrict and a.residents_committee for a in areas)
    assert Region.objects.filter(kind=RegionKind.GRID).count() == 35
    for area in areas:
        grids = list(area.children.all())
        assert 3 <= len(grids) <= 4
        assert area.households == sum(g.households for g in grids) > 0 and area.population > area.households
        for grid in grids:
            homes = grid.buildings.filter(kind=BuildingKind.RESIDENTIAL)
            assert 4 <= homes.count() <= 10
            assert grid.households == sum(b.households for b in homes)
    assert Building.objects.filter(kind=BuildingKind.RESIDENTIAL).exclude(address="").count() >= 35 * 4


def test_office_towers_have_one_or_two_liaisons_under_chief_liaisons(demo):
    towers = Building.objects.filter(kind=BuildingKind.OFFICE)
    assert 35 <= towers.count() <= 45
    assert all(t.is_key_building and 1 <= t.liaisons.count() <= 2 for t in towers)
    assert len({t.region.parent_id for t in towers}) == 1  # all in the CBD-like area
    chiefs = Liaison.objects.filter(is_chief=True)
    assert 2 <= chiefs.count() <= 3
    assert not Liaison.objects.filter(is_chief=False, chief__isnull=True).exists()


def test_103_member_units_of_every_kind(demo):
    subdistrict = Region.objects.get(kind=RegionKind.SUBDISTRICT, code="WT")
    units = MemberUnit.objects.filter(region__path__startswith=subdistrict.path)  # the district's departments aside
    assert units.count() == 103
    assert set(units.values_list("kind", flat=True)) == set(MemberUnitKind.values)
    firms = units.filter(kind=MemberUnitKind.ENTERPRISE)
    assert firms.filter(building__kind=BuildingKind.OFFICE).count() == firms.count()
    assert units.filter(is_two_new=True).exists() and units.filter(in_joint_meeting=True).exists()
    # Every unit with its own party organization has one; units without have none.
    with_org = set(PartyOrg.objects.filter(member_unit__isnull=False).values_list("member_unit_id", flat=True))
    assert with_org == set(units.filter(has_party_org=True).values_list("pk", flat=True))
    assert all(u.contact_name and u.contact_phone for u in units)


def test_party_organizations_form_a_tree_with_secretaries(demo):
    working = PartyOrg.objects.get(kind=PartyOrgKind.WORKING_COMMITTEE)
    area_orgs = PartyOrg.objects.filter(parent=working, region__kind=RegionKind.RESIDENTIAL_AREA)
    assert area_orgs.count() == 11
    assert {o.kind for o in area_orgs} == {PartyOrgKind.GENERAL_BRANCH, PartyOrgKind.BRANCH}
    for general in area_orgs.filter(kind=PartyOrgKind.GENERAL_BRANCH):
        branches = general.children.all()
        assert branches.count() >= 3 and all(b.region.parent_id == general.region_id for b in branches)
    joint = PartyOrg.objects.filter(kind=PartyOrgKind.JOINT_COMMITTEE)
    assert joint.exists() and all(j.children.exists() and j.committee_members.count() >= 2 for j in joint)
    assert working.committee_members.count() >= 5
    assert not PartyOrg.objects.filter(secretary__isnull=True).exists()


def test_members_are_many_varied_and_valid(demo):
    members = PartyMember.objects.all()
    assert members.count() >= 300
    assert members.filter(status=MemberStatus.PROBATIONARY).exists()
    assert members.filter(is_mobile=True).exists()
    registered = members.filter(registered_area__isnull=False)
    working = members.filter(organization__member_unit__isnull=False)
    assert registered.count() >= working.count() // 3
    assert all(m.registered_on and m.grid.parent_id == m.registered_area_id for m in registered)
    for m in members:
        id_number_validator(m.id_number)
        assert len(m.phone) == 11 and m.phone.startswith("1")
    assert members.values("phone").distinct().count() == members.count()


def test_teams_and_the_1_plus_n_service_network(demo):
    assert set(ProfessionalTeam.objects.values_list("kind", flat=True)) >= {
        ProfessionalTeamKind.URBAN_MANAGEMENT, ProfessionalTeamKind.HOUSING, ProfessionalTeamKind.CITY_APPEARANCE,
        ProfessionalTeamKind.POLICE, ProfessionalTeamKind.FIRE, ProfessionalTeamKind.MARKET_SUPERVISION,
    }
    covered = set(Region.objects.filter(sunk_teams__kind=ProfessionalTeamKind.POLICE).values_list("pk", flat=True))
    assert covered == set(Region.objects.filter(kind=RegionKind.GRID).values_list("pk", flat=True))
    assert VolunteerTeam.objects.filter(member_unit__isnull=False).exists()
    assert VolunteerTeam.objects.filter(member_unit__isnull=True).exists()
    centre = ServicePlace.objects.get(kind=ServicePlaceKind.CENTRE)
    assert ServicePlace.objects.filter(kind=ServicePlaceKind.STATION, centre=centre).count() == 16


def test_seeded_rows_pass_model_validation_and_have_a_creation_record(demo):
    for model in (Region, Building, MemberUnit, PartyOrg, PartyMember, Liaison, ServicePlace, VolunteerTeam):
        for obj in model.objects.all():
            obj.full_clean()
        created = model.history.filter(history_type="+").values("id").distinct().count()
        assert created == model.objects.count(), model


def test_every_role_has_a_demo_account_with_the_right_scope(demo, client):
    for role in Role.values:
        assignments = RoleAssignment.objects.filter(role=role, user__email__endswith="@demo.gongzhi.invalid")
        assert assignments.exists(), role
        for a in assignments:
            expected = ROLE_SCOPE_KIND[role]
            if role in (Role.UNIT_LIAISON, Role.DISTRICT_DEPARTMENT):
                assert a.member_unit_id and not a.region_id
            elif expected:
                assert a.region.kind == expected
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    member = User.objects.get(username="member1")
    assert member.party_member.grid == member.role_assignments.get().region
    assert User.objects.get(username="liaison1").liaison.buildings.exists()
    grid = User.objects.get(username="gridleader1").role_assignments.get().region
    assert grid.parent == Region.objects.get(kind=RegionKind.RESIDENTIAL_AREA, code="WT01")
    for name in ("admin", "secretary1", "secretary2", "resident1", "unit1"):
        assert client.login(username=name, password=DEMO_PASSWORD), name


def test_area_secretaries_see_their_own_area_only(demo):
    one, two = User.objects.get(username="secretary1"), User.objects.get(username="secretary2")
    area_one = one.role_assignments.get().region
    assert area_one != two.role_assignments.get().region
    seen = scoped(one, Region, Capability.VIEW_REGISTRY)
    assert set(seen) == {area_one, *area_one.children.all()}
    assert one.party_member.organization.region == area_one  # the secretary is the area organization's secretary
    assert scoped(one, PartyMember, Capability.VIEW_REGISTRY).count() < PartyMember.objects.count()


def test_print_demo_accounts_lists_every_role_with_the_url(demo, monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    out = StringIO()
    call_command("print_demo_accounts", stdout=out)
    text = out.getvalue()
    for label in ("系统管理员", "区级查看", "街道管理员", "居民区书记", "网格长", "党员", "共建单位联络人", "楼宇联络员", "居民"):
        assert label in text
    for username in ("admin", "district", "street", "secretary1", "secretary2", "gridleader1", "member1", "unit1",
                     "liaison1", "resident1"):
        assert f" {username} " in text
    assert DEMO_PASSWORD in text and "梧桐街道" in text
    assert "http://127.0.0.1:8123/" in text
