"""Authorization-test fixtures of the coverage part (see gongzhi.orglife.authz): in area A, a counted two-new firm
taken in by area A's 联合党委 (``joint_coverage_a``, running) with a 党建指导员 (``instructor_a``, running), and a
counted firm with no coverage at all (on the uncovered list); in each zone the same with the zone's mark in every
text (the instructor's name privately: a person's name)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.orglife.services import coverage as services
from gongzhi.registry.models import MemberUnit, MemberUnitKind, PartyOrg, PartyOrgKind
from gongzhi.registry.services import import_records

PHONE = "13700000017"
REASON = "authorization test"


def _add(obj):
    return import_records([obj], actor=SYSTEM, reason=REASON)[0]


def _made(grid, area, *, code, unit_name, bare_name, org_name, instructor: str) -> dict:
    unit = _add(MemberUnit(region=grid, code=code("OLU1"), name=unit_name, kind=MemberUnitKind.ENTERPRISE,
                           headcount=80, is_two_new=True))
    _add(MemberUnit(region=grid, code=code("OLU2"), name=bare_name, kind=MemberUnitKind.SOCIAL_ORGANIZATION,
                    headcount=35, is_two_new=True))
    org = _add(PartyOrg(region=area, code=code("OLJ"), name=org_name, kind=PartyOrgKind.JOINT_COMMITTEE))
    since = timezone.localdate() - timedelta(days=400)
    joint = services.cover_by_joint_committee(unit, actor=SYSTEM, joint_org=org, since=since)
    instructor_row = services.assign_instructor(unit, actor=SYSTEM, instructor=instructor, phone=PHONE,
                                                assigned_on=since)
    return {"joint_coverage_a": joint, "instructor_a": instructor_row}


def build(world) -> dict:
    made = _made(world["grid_a1"], world["area_a"], code=lambda s: f"A-{s}", unit_name="梧桐科技有限公司",
                 bare_name="梧桐邻里服务社", org_name="梧桐大厦联合党委", instructor="周指导")
    for zone in ZONES:
        def mark(label, private=False, zone=zone):
            return world.mark(zone, label, private)

        made.update({f"{k}@{zone}": v for k, v in _made(
            world.grid(zone), world.area(zone), code=lambda s, zone=zone: world.code(zone, s),
            unit_name=mark("两新单位"), bare_name=mark("未覆盖单位"), org_name=mark("联合党委"),
            instructor=mark("指导员", True)[:40]).items()})
    return made
