"""Authorization-test fixtures of the registry (see gongzhi.core.authz): the teams, liaison and place the matrix
names (in area A; the street's regions, buildings, units, orgs and members come from the test factories), and in
each zone one object of every kind with the zone's mark in each text field."""

from gongzhi.core.authz import ZONES
from gongzhi.registry.models import (
    Building,
    Liaison,
    MemberUnit,
    MemberUnitKind,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    ProfessionalTeam,
    Region,
    ServicePlace,
    VolunteerTeam,
)


def build(world) -> dict:
    team = ProfessionalTeam.objects.create(name="城管中队", kind="urban_management", region=world["subdistrict"])
    team.grids.add(world["grid_a1"])
    made = {
        "liaison_a": Liaison.objects.create(name="梧桐联络员", region=world["area_a"]),
        "team_a": team,
        "volunteers_a": VolunteerTeam.objects.create(name="梧桐志愿队", region=world["area_a"]),
        "place_a": ServicePlace.objects.create(code="SP-A", name="梧桐党群服务站", region=world["area_a"]),
    }
    for zone in ZONES:
        made.update({f"{name}@{zone}": obj for name, obj in _zone(world, zone).items()})
    return made


def _zone(world, zone: str) -> dict:
    def mark(label, private=False):
        return world.mark(zone, label, private)

    def code(suffix):
        return world.code(zone, suffix)

    grid, area = world.grid(zone), world.area(zone)
    Region.objects.filter(pk=grid.pk).update(residents_committee=mark("居委会"), address=mark("网格地址"))
    building = Building.objects.create(region=grid, name=mark("楼"), code=code("B"), address=mark("楼址"))
    unit = MemberUnit.objects.create(
        region=grid, building=building, name=mark("单位"), code=code("U"), kind=MemberUnitKind.ENTERPRISE,
        address=mark("单位地址"), contact_name=mark("联系人", True))
    parent = PartyOrg.objects.filter(region=area).first()
    org = PartyOrg.objects.create(region=area, parent=parent, kind=PartyOrgKind.BRANCH, name=mark("支部"),
                                  code=code("P"), member_unit=unit)
    member = PartyMember.objects.create(organization=org, name=mark("党员", True), address=mark("住址", True),
                                        grid=grid, registered_area=area)
    liaison = Liaison.objects.create(name=mark("联络员", True), region=area)
    liaison.buildings.add(building)
    team = ProfessionalTeam.objects.create(name=mark("中队"), kind="urban_management", region=area,
                                           leader_name=mark("队长", True))
    team.grids.add(grid)
    volunteers = VolunteerTeam.objects.create(name=mark("志愿队"), region=area, member_unit=unit,
                                              speciality=mark("特长"), leader_name=mark("队长", True))
    place = ServicePlace.objects.create(code=code("SP"), name=mark("服务站"), region=area, building=building,
                                        address=mark("站址"), opening_hours=mark("开放时间"))
    return {"building_a1": building, "unit_a": unit, "org_a": org, "member_a": member, "liaison_a": liaison,
            "team_a": team, "volunteers_a": volunteers, "place_a": place}
