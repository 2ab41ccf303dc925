"""Authorization-test fixtures of the meetings part (see gongzhi.orglife.authz), written through the meetings
services: the matrix's 主题党日 of area A's organization (`orglife_meeting_a`, its organization `orglife_org_a`), and in
each zone a meeting of the zone's organization whose every text carries the zone's mark (the attendance's leave
reason private), with a study record of the zone's member."""

from django.utils import timezone

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.orglife.models import AttendanceStatus, MeetingKind
from gongzhi.orglife.services import meetings as services


def build(world) -> dict:
    today = timezone.localdate()
    org, member = world["org_a"], world["member_a"]
    made = {"orglife_org_a": org, "orglife_meeting_a": services.record_meeting(
        actor=SYSTEM, org=org, kind=MeetingKind.THEME_DAY, held_on=today, topic="学习贯彻党的二十大精神",
        place="居民区党群服务站", attendance=[{"member": member, "status": AttendanceStatus.PRESENT}])}
    for zone in ZONES:
        def mark(label, private=False, zone=zone):
            return world.mark(zone, label, private=private)

        zone_org, zone_member = world[f"org_a@{zone}"], world[f"member_a@{zone}"]
        made[f"orglife_org_a@{zone}"] = zone_org
        made[f"orglife_meeting_a@{zone}"] = services.record_meeting(
            actor=SYSTEM, org=zone_org, kind=MeetingKind.LESSON, held_on=today, topic=mark("主题")[:200],
            place=mark("地点")[:120], minutes=mark("会议记录"), speaker=mark("主讲人")[:60],
            attendance=[{"member": zone_member, "status": AttendanceStatus.LEAVE,
                         "leave_reason": mark("请假理由", private=True)[:200]}])
        services.add_study(actor=SYSTEM, member=zone_member, subject="四史", title=mark("学习内容")[:200],
                           studied_on=today, hours=2, note=mark("备注")[:200])
    return made
