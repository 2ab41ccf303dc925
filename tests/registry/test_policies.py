"""One policy decides who may do what in the registry: the services refuse through it, and the pages offer only
what it allows (an object outside the user's edit scope shows no edit or delete button)."""

import pytest
from django.urls import reverse

from gongzhi.accounts.roles import Role
from gongzhi.core.errors import Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.registry import policies, services
from gongzhi.registry.models import Building, Region, RegionKind
from tests import factories
from tests.conftest import login


def test_actions_follow_role_and_scope(street, people):
    building = street.building_a1  # in grid A1, area A
    assert policies.actions(people.insider, building) == {"view", "edit", "delete"}
    assert policies.actions(people.colleague, building) == {"view"}  # a grid leader reads the registry
    assert policies.actions(people.outsider, building) == set()  # area B's secretary
    assert policies.actions(people.resident, building) == set()
    assert policies.actions(SYSTEM, building) == {"view", "edit", "delete"}

    assert policies.actions(people.insider, Building) == {"list", "create", "edit", "delete"}
    assert policies.actions(people.colleague, Building) == {"list"}
    assert policies.actions(people.resident, Building) == set()
    assert "import" in policies.actions(people.admin, Building)
    assert set(policies.editable(people.insider, Building)) == {street.building_a1}


def test_services_refuse_through_the_policy(street, people, monkeypatch):
    data = {"region": street.grid_a1.pk, "name": "梧桐2号楼", "code": "B-NEW", "kind": "residential"}
    with pytest.raises(Forbidden):
        services.create("building", actor=people.colleague, data=data)
    with pytest.raises(Forbidden):
        services.delete("building", street.building_a1.pk, actor=people.resident)
    with pytest.raises(NotFound):  # out of scope looks missing
        services.update("building", street.building_a1.pk, actor=people.outsider, data={"name": "改名"})
    # the services ask the policy, not a capability of their own
    monkeypatch.setattr(policies, "can", lambda actor, subject, action: action != "edit")
    with pytest.raises(Forbidden):
        services.update("building", street.building_a1.pk, actor=people.insider, data={"name": "改名"})
    assert Building.objects.get(pk=street.building_a1.pk).name == "梧桐1号楼"


def test_the_bulk_import_is_for_importers_and_stays_in_scope(street, people):
    with pytest.raises(Forbidden):
        services.import_records([Region(kind=RegionKind.GRID, parent=street.area_a, name="新网格", code="G-NEW")],
                                actor=people.insider)
    other = factories.region(RegionKind.SUBDISTRICT, street.district, name="外街道")
    with pytest.raises(ValidationFailed):  # the sub-district admin may not import into another sub-district
        services.import_records([Building(region=other, name="外楼", code="B-OUT")], actor=people.admin)
    assert not Building.objects.filter(code="B-OUT").exists()  # rolled back
    made = services.import_records([Building(region=street.grid_a2, name="梧桐3号楼", code="B-3")], actor=SYSTEM,
                                   reason="migration")
    assert made[0].pk and made[0].history.get().history_change_reason == "migration"


def test_the_detail_page_offers_edit_only_inside_the_edit_scope(client, street, people):
    # A grid leader of grid A1 who is also area B's secretary: sees building A1 (as grid leader), edits area B only.
    both = factories.user("both", Role.GRID_LEADER, street.grid_a1)
    from gongzhi.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=both, role=Role.AREA_SECRETARY, region=street.area_b)
    edit_a1 = reverse("registry:building_edit", args=[street.building_a1.pk])
    edit_b1 = reverse("registry:building_edit", args=[street.building_b1.pk])
    login(client, both)
    html = client.get(reverse("registry:building_detail", args=[street.building_a1.pk])).content.decode()
    assert edit_a1 not in html
    assert client.get(edit_a1).status_code == 404
    html = client.get(reverse("registry:building_detail", args=[street.building_b1.pk])).content.decode()
    assert edit_b1 in html
    # a reader gets no "Add" button on the list; an editor does
    add = reverse("registry:building_create")
    assert add not in login(client, people.colleague).get(reverse("registry:building_list")).content.decode()
    assert add in login(client, people.insider).get(reverse("registry:building_list")).content.decode()
