"""Authorization-test fixtures of the records part (see gongzhi.orglife.authz), written through the records
services: a mobile member of area A's organization (``mobile_member_a``) with whereabouts and a contact, a "四先"
and an appraisal result of area A's member; in each zone the same for the zone's member and organization, every
text carrying the zone's mark (names, whereabouts and notes privately)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.orglife.models import AppraisalResult, FourFirstKind
from gongzhi.orglife.services import records as services
from gongzhi.registry.models import PartyMember


def _made(org, member, *, name: str, whereabouts: str, home: str, note: str, what: str) -> PartyMember:
    day = timezone.localdate() - timedelta(days=3)
    mobile = PartyMember.objects.create(organization=org, name=name[:40], is_mobile=True)
    services.save_mobile(mobile, actor=SYSTEM, home_org_name=home[:120], whereabouts=whereabouts[:200],
                         left_on=day - timedelta(days=200))
    services.add_contact(mobile, actor=SYSTEM, contacted_on=day, note=note[:300])
    services.flag_four_first(member, actor=SYSTEM, kind=FourFirstKind.ACT, occurred_on=day, description=what[:300])
    services.record_appraisal(member, actor=SYSTEM, year=day.year - 1, result=AppraisalResult.QUALIFIED,
                              note=note[:200])
    return mobile


def build(world) -> dict:
    made = {"mobile_member_a": _made(world["org_a"], world["member_a"], name="周流动", whereabouts="江苏省苏州市",
                                     home="安徽省某村党支部", note="电话联系，近况良好", what="带头清理楼道堆物")}
    for zone in ZONES:
        def mark(label, private=False, zone=zone):
            return world.mark(zone, label, private)

        made[f"mobile_member_a@{zone}"] = _made(
            world[f"org_a@{zone}"], world[f"member_a@{zone}"], name=mark("流动党员", True),
            whereabouts=mark("去向", True), home=mark("流出地"), note=mark("联系", True), what=mark("四先"))
    return made
