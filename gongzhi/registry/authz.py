"""Authorization-test fixtures of the registry (see gongzhi.core.authz): the teams, liaison and place the matrix
names (in area A; the street's regions, buildings, units, orgs and members come from the test factories), and in
each zone one object of every kind with the zone's mark in each text field."""

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.registry.models import (
    Building,
    Estate,
    Household,
    Liaison,
    MemberUnit,
    MemberUnitKind,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    ProfessionalTeam,
    ServicePlace,
    VolunteerTeam,
)
from gongzhi.registry.services import import_changes, import_records

REASON = "authorization test"


def _add(obj, **links):
    return import_records([obj], actor=SYSTEM, reason=REASON, links={k: [v] for k, v in links.items()})[0]


def build(world) -> dict:
    made = {
        "liaison_a": _add(Liaison(name="梧桐联络员", region=world["area_a"])),
        "team_a": _add(ProfessionalTeam(name="城管中队", kind="urban_management", region=world["subdistrict"]),
                       grids=[world["grid_a1"]]),
        "volunteers_a": _add(VolunteerTeam(name="梧桐志愿队", region=world["area_a"])),
        "place_a": _add(ServicePlace(code="SP-A", name="梧桐党群服务站", region=world["area_a"])),
        "estate_a": _add(Estate(code="E-A", name="梧桐花园", area=world["area_a"], property_company="梧桐物业",
                                property_phone="13600000001")),
    }
    world["building_a1"].estate = made["estate_a"]
    import_changes([world["building_a1"]], ["estate"], actor=SYSTEM, reason=REASON)
    made["household_a1"] = _add(Household(building=world["building_a1"], room="101", head_name="王梧桐",
                                          phone="13600000002"))
    for zone in ZONES:
        made.update({f"{name}@{zone}": obj for name, obj in _zone(world, zone).items()})
    return made


def _zone(world, zone: str) -> dict:
    def mark(label, private=False):
        return world.mark(zone, label, private)

    def code(suffix):
        return world.code(zone, suffix)

    grid, area = world.grid(zone), world.area(zone)
    grid.residents_committee, grid.address = mark("居委会"), mark("网格地址")
    import_changes([grid], ["residents_committee", "address"], actor=SYSTEM, reason=REASON)
    estate = _add(Estate(area=area, code=code("E"), name=mark("小区"), address=mark("小区地址"),
                         property_company=mark("物业"), property_contact=mark("物业联系人", True)))
    building = _add(Building(region=grid, name=mark("楼"), code=code("B"), address=mark("楼址"), estate=estate))
    household = _add(Household(building=building, room=mark("室"), head_name=mark("户主", True),
                               note=mark("备注", True), phone="13600000003"))
    unit = _add(MemberUnit(
        region=grid, building=building, name=mark("单位"), code=code("U"), kind=MemberUnitKind.ENTERPRISE,
        address=mark("单位地址"), contact_name=mark("联系人", True)))
    parent = PartyOrg.objects.filter(region=area).first()
    org = _add(PartyOrg(region=area, parent=parent, kind=PartyOrgKind.BRANCH, name=mark("支部"), code=code("P"),
                        member_unit=unit))
    member = _add(PartyMember(organization=org, name=mark("党员", True), address=mark("住址", True), grid=grid,
                              registered_area=area))
    liaison = _add(Liaison(name=mark("联络员", True), region=area), buildings=[building])
    team = _add(ProfessionalTeam(name=mark("中队"), kind="urban_management", region=area,
                                 leader_name=mark("队长", True)), grids=[grid])
    volunteers = _add(VolunteerTeam(name=mark("志愿队"), region=area, member_unit=unit, speciality=mark("特长"),
                                    leader_name=mark("队长", True)))
    place = _add(ServicePlace(code=code("SP"), name=mark("服务站"), region=area, building=building,
                              address=mark("站址"), opening_hours=mark("开放时间")))
    return {"estate_a": estate, "household_a1": household, "building_a1": building, "unit_a": unit, "org_a": org, "member_a": member, "liaison_a": liaison,
            "team_a": team, "volunteers_a": volunteers, "place_a": place}
