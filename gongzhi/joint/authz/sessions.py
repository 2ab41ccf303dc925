"""Authorization-test fixtures of the sessions part (see gongzhi.core.authz): on the sub-district's platform (the
platforms part's ``platform``, or one opened here) a held session ``session_a`` with an agenda item, a sign-in and
a decision ``joint_decision_a`` owned by area A's unit, and a demand of grid A1 ``referable_demand_a`` that the
sub-district may refer; in zones a and b further sessions of that platform, in zone x a session of the other
sub-district's platform, each with its agenda, sign-in and decision carrying the zone's mark."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands import services as demand_services
from gongzhi.demands.models import Channel
from gongzhi.joint.models import AgendaKind
from gongzhi.joint.services import sessions as services


def _session(platform, unit, mark=lambda label, private=False: label) -> dict:
    session = services.plan_session(platform, actor=SYSTEM, title=mark("联席会议"), place=mark("会议室")[:120],
                                    starts_at=timezone.now() + timedelta(days=1))
    item = services.add_agenda_item(session, actor=SYSTEM, kind=AgendaKind.FREE, title=mark("议题"),
                                    note=mark("说明", private=True))
    services.sign_in(session, actor=SYSTEM, member_unit=unit, person_name=mark("代表", private=True)[:40])
    services.hold_session(session, actor=SYSTEM)
    services.save_minutes(session, actor=SYSTEM, minutes=mark("纪要"))
    decision = services.record_decision(session, actor=SYSTEM, text=mark("决议"), owner_unit=unit,
                                        deadline=timezone.localdate() + timedelta(days=30), agenda_item=item)
    return {"session": session, "decision": decision}


def build(world) -> dict:
    platform = world.objects.get("platform") or services.default_platform(world["subdistrict"], actor=SYSTEM)
    made = _session(platform, world["unit_a"])
    demand, _created = demand_services.submit_demand(
        title="道路积水", description="雨后积水", channel=Channel.WEB, building=world["building_a1"],
        submitter_name="王", submitter_phone="13912345678")
    result = {"session_a": made["session"], "joint_decision_a": made["decision"], "referable_demand_a": demand}
    for zone in ZONES:
        def mark(label, private=False, zone=zone):
            return world.mark(zone, label, private=private)

        if zone == "x":
            other = services.default_platform(world.subdistrict("x"), actor=SYSTEM)
            done = _session(other, world["unit_a@x"], mark)
        else:
            done = _session(platform, world["unit_a"], mark)
        result |= {f"session_a@{zone}": done["session"], f"joint_decision_a@{zone}": done["decision"]}
    return result
