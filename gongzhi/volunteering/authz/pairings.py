"""Authorization-test fixtures of the pairings part (see gongzhi.volunteering.authz), written through the pairings
services: in area A, a shop pairing of the street's member ``member_a`` with a contact (``pairing_a``; the member's
anchor page is ``pairing_member_a``), a unit ↔ household pairing of ``unit_a`` (``pairing_unit_a``) and a cohort with
a participant and progress (``cohort_a``); in each zone the same on the zone's member, unit and area, every text
carrying the zone's mark (names, notes and phones of persons privately)."""

from __future__ import annotations

from django.utils import timezone

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.registry.models import Household
from gongzhi.registry.services import import_records
from gongzhi.volunteering.models import ContactKind, PairingKind
from gongzhi.volunteering.services import pairings as services

REASON = "authorization test"


def _build(*, region, member, unit, building, shop: str, address: str, note: str, person: str, room: str,
           cohort_name: str, organiser: str, workplace: str):
    today = timezone.localdate()
    pairing = services.pair(actor=SYSTEM, kind=PairingKind.MEMBER_SHOP, region=region, member=member,
                            shop_name=shop[:80], shop_address=address[:120], note=note[:200])
    services.record_contact(pairing, actor=SYSTEM, contacted_on=today, kind=ContactKind.VISIT, note=note)
    household = import_records([Household(building=building, room=room[:20], head_name=person[:40], hardship=True,
                                          phone="13600000009")], actor=SYSTEM, reason=REASON)[0]
    unit_pairing = services.pair(actor=SYSTEM, kind=PairingKind.UNIT_HOUSEHOLD, region=region, unit=unit,
                                 household=household, note=note[:200])
    cohort = services.create_cohort(region, actor=SYSTEM, name=cohort_name[:80], organiser=organiser[:120],
                                    starts_on=today, ends_on=today)
    participant = services.add_participant(cohort, actor=SYSTEM, name=person[:40], phone="13600000010",
                                           workplace=workplace[:80])
    services.record_progress(participant, cohort.requirements.first(), actor=SYSTEM, done_on=today, note=note[:200])
    return pairing, unit_pairing, cohort


def build(world) -> dict:
    pairing, unit_pairing, cohort = _build(
        region=world["area_a"], member=world["member_a"], unit=world["unit_a"], building=world["building_a1"],
        shop="梧桐小吃店", address="梧桐路8号", note="走访了解经营情况", person="王困难", room="902",
        cohort_name="V.I.P 青年孵化营", organiser="楼宇青年联盟", workplace="梧桐科技")
    made = {"pairing_a": pairing, "pairing_member_a": world["member_a"], "pairing_unit_a": world["unit_a"],
            "cohort_a": cohort}
    for zone in ZONES:
        def mark(label, private=False, zone=zone):
            return world.mark(zone, label, private)

        pairing, unit_pairing, cohort = _build(
            region=world.area(zone), member=world[f"member_a@{zone}"], unit=world[f"unit_a@{zone}"],
            building=world[f"building_a1@{zone}"], shop=mark("商户"), address=mark("商户地址"),
            note=mark("备注", True), person=mark("人", True), room=mark("室", True), cohort_name=mark("孵化班"),
            organiser=mark("主办"), workplace=mark("单位", True))
        made.update({f"pairing_a@{zone}": pairing, f"pairing_member_a@{zone}": world[f"member_a@{zone}"],
                     f"pairing_unit_a@{zone}": world[f"unit_a@{zone}"], f"cohort_a@{zone}": cohort})
    return made
