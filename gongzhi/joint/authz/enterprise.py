"""Authorization-test fixtures of the enterprise part (see gongzhi.core.authz), written through the services: the
matrix's visit to area A's unit (grid A1), and in each zone a key office tower without a liaison (so the coverage
check lists it) with a firm inside, and a visit to that zone's unit, every text carrying the zone's mark."""

from datetime import date

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.services import enterprise as services
from gongzhi.registry.models import Building, BuildingKind, MemberUnit, MemberUnitKind
from gongzhi.registry.services import import_records

REASON = "authorization test"
DAY = date(2026, 3, 2)


def build(world) -> dict:
    made = {"enterprise_visit_a": services.record_visit(
        actor=SYSTEM, member_unit_id=world["unit_a"].pk, visited_on=DAY, needs_found="员工停车难",
        follow_up="已联系停车场")}
    for zone in ZONES:
        made.update(_zone(world, zone))
    return made


def _zone(world, zone: str) -> dict:
    def mark(label, private=False):
        return world.mark(zone, label, private)

    grid = world.grid(zone)
    tower = import_records([Building(kind=BuildingKind.OFFICE, is_key_building=True, region=grid,
                                     code=world.code(zone, "T"), name=mark("大厦"), address=mark("大厦地址"))],
                           actor=SYSTEM, reason=REASON)[0]
    import_records([MemberUnit(region=grid, building=tower, code=world.code(zone, "F"), name=mark("企业"),
                               kind=MemberUnitKind.ENTERPRISE, contact_name=mark("联系人", True))],
                   actor=SYSTEM, reason=REASON)
    visit = services.record_visit(actor=SYSTEM, member_unit_id=world[f"unit_a@{zone}"].pk, visited_on=DAY,
                                  needs_found=mark("需求"), follow_up=mark("跟进"),
                                  liaison_id=world[f"liaison_a@{zone}"].pk)
    return {f"enterprise_visit_a@{zone}": visit}
