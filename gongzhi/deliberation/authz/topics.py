"""Authorization-test fixtures of the topics part (see gongzhi.core.authz and gongzhi.deliberation.authz), written
through the topics services: the matrix's topic in grid A1 with a scheduled hearing (`meeting_a`: invitees, a
check-in) and a held one with minutes and a decision (`decision_a`); and in each zone a topic, a declined topic
and a held meeting whose every text (invitees' rooms, check-ins, speakers, views, decisions, the summary, an
attachment's name) carries the zone's mark."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models import MeetingKind, SpeakerSide, TopicSource
from gongzhi.deliberation.services import topics as services
from gongzhi.deliberation.workflow import MeetingAction, TopicAction
from gongzhi.registry.models import Household
from gongzhi.registry.services import import_records

PHONE = "13912345678"


def _meeting(topic, place, convener, invitees: dict, days: int, **kw):
    return services.schedule_meeting(topic, actor=SYSTEM, kind=MeetingKind.HEARING, quorum=1, place=place,
                                     convener=convener, starts_at=timezone.now() + timedelta(days=days),
                                     invitees=invitees, **kw)


def build(world) -> dict:
    people = world.people
    topic = services.create_topic(actor=SYSTEM, title="兰花餐厅油烟扰民", description="餐厅油烟和消防隐患",
                                  area=world["area_a"], grid=world["grid_a1"], source=TopicSource.COUNCIL)
    topic = services.transition_topic(topic, TopicAction.ACCEPT, actor=SYSTEM)
    home = import_records([Household(building=world["building_a1"], room="T-101", head_name="王阿姨", phone=PHONE)],
                          actor=SYSTEM)[0]
    meeting = _meeting(topic, world["place_a"], people.insider, {
        "households": [home], "member_units": [world["unit_a"]], "professional_teams": [world["team_a"]],
        "volunteer_teams": [world["volunteers_a"]], "people": [people.colleague]}, days=3)
    services.check_in(meeting, actor=SYSTEM, household=home)
    held = _meeting(topic, world["place_a"], people.insider, {}, days=1, title="油烟问题听证会")
    services.check_in(held, actor=SYSTEM, name="李阿姨", phone=PHONE)
    services.transition_meeting(held, MeetingAction.HOLD, actor=SYSTEM)
    services.add_minute_entry(held, actor=SYSTEM, speaker="李阿姨", view="油烟熏得不能开窗")
    decision = services.record_decision(held, actor=SYSTEM, text="加装油烟净化器", owner=people.insider,
                                        deadline=timezone.localdate() + timedelta(days=30))
    made = {"topic_a": topic, "meeting_a": meeting, "decision_a": decision}
    for zone in ZONES:
        made.update({f"{name}@{zone}": obj for name, obj in _zone(world, zone).items()})
    return made


def _zone(world, zone: str) -> dict:
    def mark(label, private=False):
        return world.mark(zone, label, private)

    area, grid, staff = world.area(zone), world.grid(zone), world[f"user_a@{zone}"]
    topic = services.create_topic(actor=SYSTEM, title=mark("议题"), description=mark("议题说明"), area=area, grid=grid,
                                  source=TopicSource.HOT_ISSUE, hot_issue_key=mark("热点")[:120])
    topic = services.transition_topic(topic, TopicAction.ACCEPT, actor=SYSTEM, note=mark("受理"))
    declined = services.create_topic(actor=SYSTEM, title=mark("不受理议题"), area=area, grid=grid)
    services.transition_topic(declined, TopicAction.DECLINE, actor=SYSTEM, note=mark("理由", True))
    home = import_records([Household(building=world[f"building_a1@{zone}"], room=world.code(zone, "R")[:20],
                                     head_name=mark("户主", True)[:40], phone=PHONE)], actor=SYSTEM)[0]
    meeting = _meeting(topic, world[f"place_a@{zone}"], staff, {
        "households": [home], "member_units": [world[f"unit_a@{zone}"]],
        "professional_teams": [world[f"team_a@{zone}"]], "volunteer_teams": [world[f"volunteers_a@{zone}"]],
        "people": [staff]}, days=2, title=mark("听证会"), place_note=mark("会议室")[:120])
    services.check_in(meeting, actor=SYSTEM, household=home)
    services.check_in(meeting, actor=SYSTEM, name=mark("签到人", True)[:40], phone="13700000000")
    services.transition_meeting(meeting, MeetingAction.HOLD, actor=SYSTEM, note=mark("开会"))
    services.add_minute_entry(meeting, actor=SYSTEM, speaker=mark("发言人")[:60], view=mark("意见"),
                              side=SpeakerSide.RESIDENT)
    services.write_minutes(meeting, actor=SYSTEM, minutes=mark("纪要"))
    decision = services.record_decision(meeting, actor=SYSTEM, text=mark("决定事项"), owner=staff,
                                        deadline=timezone.localdate() + timedelta(days=10))
    services.add_attachment(meeting, actor=SYSTEM, upload=SimpleUploadedFile(
        f"{mark('签到表')}.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"))
    services.transition_meeting(meeting, MeetingAction.PUBLISH_MINUTES, actor=SYSTEM)
    return {"topic_a": topic, "meeting_a": meeting, "decision_a": decision}
