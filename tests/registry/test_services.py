"""Registry write services called directly (scripts, jobs): audited, scoped, all-or-nothing."""

import pytest

from gongzhi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongzhi.registry import services
from gongzhi.registry.models import Building, MemberUnit, PartyOrg, ProfessionalTeam, Region
from tests import factories


def test_create_outside_a_request_records_the_user_in_history(street, people):
    unit = services.create_member_unit(actor=people.insider, data={"code": "S-1", "name": "服务单位", "kind": "school",
                                                        "region": street.grid_a1.pk, "headcount": 3})
    record = unit.history.first()
    assert record.history_type == "+" and record.history_user == people.insider


def test_update_changes_only_the_given_fields_and_is_audited(street, people):
    services.update_member_unit(street.unit_a.pk, actor=people.admin, data={"headcount": 99})
    unit = MemberUnit.objects.get(pk=street.unit_a.pk)
    assert unit.headcount == 99 and unit.name == "梧桐社区医院"
    latest = unit.history.first()
    assert latest.history_user == people.admin
    assert [c.field for c in latest.diff_against(latest.prev_record).changes] == ["headcount"]


def test_invalid_data_writes_nothing(street, people):
    with pytest.raises(ValidationFailed) as e:
        services.create_member_unit(actor=people.insider, data={"code": "S-2", "name": "", "kind": "school",
                                                     "region": street.grid_a1.pk})
    assert "name" in e.value.field_errors
    assert not MemberUnit.objects.filter(code="S-2").exists()


def test_create_outside_edit_scope_is_refused(street, people):
    with pytest.raises(ValidationFailed):
        services.create_building(actor=people.insider, data={"code": "S-3", "name": "越界楼", "kind": "residential",
                                                  "region": street.grid_b1.pk})
    assert not Building.objects.filter(code="S-3").exists()


def test_without_edit_right_every_write_is_forbidden(street, people):
    with pytest.raises(Forbidden):
        services.update_member_unit(street.unit_a.pk, actor=people.colleague, data={"headcount": 1})
    with pytest.raises(Forbidden):
        services.delete_building(street.building_a1.pk, actor=people.resident)


def test_update_outside_scope_is_not_found(street, people):
    with pytest.raises(NotFound):
        services.update_party_member(street.member_a.pk, actor=people.outsider, data={"name": "改名"})


def test_moving_an_object_out_of_scope_is_refused_and_rolled_back(street, people):
    other = factories.user("other", "area_secretary", street.grid_a1)  # edits grid A1 only
    with pytest.raises(ValidationFailed):
        services.update_building(street.building_a1.pk, actor=other, data={"region": street.grid_a2.pk})
    assert Building.objects.get(pk=street.building_a1.pk).region == street.grid_a1


def test_deleting_a_protected_region_is_a_conflict_naming_the_dependants(street, people):
    with pytest.raises(Conflict) as e:
        services.delete_region(street.grid_b1.pk, actor=people.admin)
    assert "石库门" in e.value.message
    assert Region.objects.filter(pk=street.grid_b1.pk).exists()


def test_region_kind_is_derived_from_the_parent(street, people):
    grid = services.create_region(actor=people.insider, data={"parent": street.area_a.pk, "code": "S-G", "name": "新网格"})
    assert grid.kind == "grid" and grid.path.startswith(street.area_a.path)


def test_party_org_committee_keeps_out_of_scope_members_on_edit(street, people):
    org = street.org_a
    guest = factories.party_member(street.org_b, name="外区委员")
    org.committee_members.add(guest, street.member_a)
    services.update_party_org(org.pk, actor=people.insider, data={"name": "梧桐居民区党委"})
    org = PartyOrg.objects.get(pk=org.pk)
    assert org.name == "梧桐居民区党委" and set(org.committee_members.all()) == {guest, street.member_a}


def test_professional_team_with_grids(street, people):
    team = services.create_professional_team(actor=people.admin, data={"name": "城管中队", "kind": "urban_management",
                                                            "region": street.subdistrict.pk,
                                                            "grids": [street.grid_a1.pk, street.grid_b1.pk]})
    assert set(ProfessionalTeam.objects.get(pk=team.pk).grids.all()) == {street.grid_a1, street.grid_b1}


def test_creating_a_region_leaves_one_history_entry_with_its_path(street):
    from gongzhi.registry.models import Region, RegionKind

    grid = Region.objects.create(kind=RegionKind.GRID, parent=street.area_a, code="NEWG1", name="新网格")
    history = list(grid.history.all())
    assert [h.history_type for h in history] == ["+"]
    assert history[0].path == grid.path == f"{street.area_a.path}{grid.pk}/"


def test_a_region_cannot_sit_under_a_grid(street):
    import pytest
    from django.core.exceptions import ValidationError

    from gongzhi.registry.models import Region, RegionKind

    with pytest.raises(ValidationError) as err:
        Region(kind=RegionKind.GRID, parent=street.grid_a1, code="BAD1", name="错误").full_clean()
    assert "parent" in err.value.message_dict


def test_moving_an_area_moves_its_grids(street):
    from gongzhi.registry.models import Region, RegionKind

    other_sub = Region.objects.create(kind=RegionKind.SUBDISTRICT, parent=street.district, code="SUB2", name="另一街道")
    street.area_a.parent = other_sub
    street.area_a.save()
    street.grid_a1.refresh_from_db()
    assert street.grid_a1.path.startswith(other_sub.path)
    assert street.grid_a1.depth == 3
