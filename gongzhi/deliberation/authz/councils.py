"""Authorization-test fixtures of the councils part (see gongzhi.core.authz and gongzhi.deliberation.authz): in area
A a council with a seat, rules, an owners' committee with a member, an election being vetted with a candidate;
in each zone the same with the zone's mark in every text (people's names private)."""

from datetime import date

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models.councils import CommitteeRole, CouncilSeatKind, PoliticalStatus
from gongzhi.deliberation.services import councils as services


def build(world) -> dict:
    made = _objects(world, world["area_a"], world["estate_a"], lambda label, private=False: label,
                    code="A")
    for zone in ZONES:
        def mark(label, private=False, zone=zone):
            return world.mark(zone, label, private)

        found = _objects(world, world.area(zone), world[f"estate_a@{zone}"], mark, code=zone)
        made.update({f"{name}@{zone}": obj for name, obj in found.items()})
    return made


def _objects(world, area, estate, mark, code: str) -> dict:
    council = services.create_council(actor=SYSTEM, name=mark("议事会") + code, area=area, estate=estate,
                                      shape="1+3+N", purpose=mark("议事范围"))
    seat = services.add_seat(council, actor=SYSTEM, kind=CouncilSeatKind.RESIDENT_REPRESENTATIVE,
                             person_name=mark("居民代表", True), title=mark("理事"), note=mark("席位备注"))
    if area != world["area_a"]:  # rules are area-wide: area A's own are seen by everyone working in area A
        services.edit_rules(area, actor=SYSTEM, title=mark("议事八则"), text=mark("一、议事规则") + "\n二、少数服从多数",
                            change_note=mark("修订说明"), effective_on=date(2024, 1, 1))
    committee = services.create_committee(actor=SYSTEM, estate=estate, name=mark("业委会"), term_number=1,
                                          term_start=date(2024, 1, 1), party_work_group_note=mark("党的工作小组"),
                                          note=mark("备注"))
    member = services.add_committee_member(committee, actor=SYSTEM, name=mark("主任", True),
                                           role=CommitteeRole.DIRECTOR, skills=mark("物业管理"))
    election = services.create_election(actor=SYSTEM, estate=estate, title=mark("换届选举"), seats=5)
    candidate = services.nominate(election, actor=SYSTEM, name=mark("候选人", True),
                                  political_status=PoliticalStatus.PARTY_MEMBER, skills=mark("财务"),
                                  building_leader_note=mark("楼组长意见", True),
                                  residents_opinion=mark("居民意见", True), occupation=mark("职业"))
    services.open_vetting(election, actor=SYSTEM)
    return {"council_a": council, "seat_a": seat, "committee_a": committee, "committee_member_a": member,
            "election_a": election, "candidate_a": candidate}
