"""Authorization-test fixtures of the volunteers part (see gongzhi.core.authz), written through the volunteers
services: a volunteer registered in area A (``volunteer_a``) with a service row and a correction in their hours
ledger; in each zone the same in the zone's grid, every text carrying the zone's mark (the name and the ledger's
notes privately: no public page may show them)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.volunteering.models import HoursKind
from gongzhi.volunteering.services import volunteers as services

PHONE = "13700000016"


def _volunteer(region, *, name: str, skills: str, availability: str, organiser: str, note: str):
    v = services.register_volunteer(region, actor=SYSTEM, name=name[:40], consent=True, phone=PHONE,
                                    skills=skills[:200], availability=availability[:120])
    day = timezone.localdate() - timedelta(days=3)
    services.credit_hours(v, actor=SYSTEM, hours="2.5", served_on=day, organiser=organiser[:120], note=note[:200])
    services.credit_hours(v, actor=SYSTEM, hours="-0.5", served_on=day, kind=HoursKind.CORRECTION,
                          organiser=organiser[:120], note=note[:200])
    return v


def build(world) -> dict:
    made = {"volunteer_a": _volunteer(world["area_a"], name="陈志愿", skills="理发、家电义修", availability="周四下午",
                                      organiser="梧桐志愿服务队", note="补登签到")}
    for zone in ZONES:
        def mark(label, private=False, zone=zone):
            return world.mark(zone, label, private)

        made[f"volunteer_a@{zone}"] = _volunteer(
            world.grid(zone), name=mark("志愿者", True), skills=mark("技能"), availability=mark("时间"),
            organiser=mark("组织方"), note=mark("备注", True))
    return made
