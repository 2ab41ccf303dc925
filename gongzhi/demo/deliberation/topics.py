"""Demo data of the topics part of deliberation, written through the topics services with the demo's clock.

Two closed topics retell the cases of seed 000 (a community council of the "1+4+16" shape, 零距离家园理事会,
settles what complaints never did), each through its three meetings with minutes and decisions carried out:

* a restaurant whose cooking fumes and fire hazards had drawn complaints for 38 years;
* a loquat tree of more than 30 years shading the homes around it, pruned once its owner agreed.

Open topics show the other states: the parking rules of seed 003 in hearing (火热商议中, a hearing coming up),
a topic raised from the residents' demands in coordination with a decision past due, one being implemented, a
residents' proposal collecting co-signatures, and a declined one. The topics are kept in
``ctx.extra["topics"]`` for the parts seeded after this one (votes, conventions).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from gongzhi.deliberation.models import Meeting, MeetingKind, SpeakerSide, TopicSource
from gongzhi.deliberation.selectors.topics import invitable
from gongzhi.deliberation.services import topics as services
from gongzhi.deliberation.workflow import DecisionAction, MeetingAction, TopicAction
from gongzhi.demo.demands import anchor

A, MK = TopicAction, MeetingKind


class Clock:
    """The demo's "now" (the start of the seeding day, as the demands' demo) and days around it."""

    def __init__(self):
        self.now = timezone.make_aware(anchor()[1])

    def at(self, days: float, hour: int = 9) -> datetime:
        return (self.now + timedelta(days=days)).replace(hour=hour, minute=0)


def seed(ctx) -> None:
    clock = Clock()
    area, other = ctx.areas[0], ctx.areas[3]
    staff = ctx.users["secretary1"]
    made = {
        "fumes": _fumes(ctx, clock, area, staff),
        "tree": _tree(ctx, clock, area, staff),
        "parking": _parking(ctx, clock, other, ctx.users["secretary4"]),
        "clutter": _clutter(ctx, clock, area, staff),
        "charging": _charging(ctx, clock, area, staff),
        "lift": _lift(ctx, clock, ctx.areas[1], ctx.users["secretary2"]),
    }
    declined = services.create_topic(actor=staff, title="商铺招牌更换补贴", area=area, source=TopicSource.COUNCIL,
                                      description="有商户提出由居委会补贴更换招牌。", now=clock.at(-40))
    services.transition_topic(declined, A.DECLINE, actor=staff, note="属于商户自身经营事项，建议向市场监管所咨询。",
                              now=clock.at(-38))
    made["declined"] = declined
    ctx.extra["topics"] = made


# --- helpers ------------------------------------------------------------------------------------------------

def _station(ctx, area):
    return next(p for p in ctx.service_places if p.region_id == area.pk)


def _invitees(ctx, topic, area, k_units: int = 3) -> dict:
    """The area's party members' volunteer team, a few member units and professional teams, and the grid staff."""
    allowed = invitable(topic)
    people = [u for u in (ctx.users.get(n) for n in ("gridleader1", "gridleader2", "member1", "street"))
              if u is not None and allowed["people"].filter(pk=u.pk).exists()]
    return {
        "member_units": list(allowed["member_units"].order_by("code")[:k_units]),
        "professional_teams": list(allowed["professional_teams"].order_by("pk")[:2]),
        "volunteer_teams": list(allowed["volunteer_teams"].filter(region=area)[:1]),
        "people": people,
    }


def _meeting(ctx, clock, topic, area, staff, kind: str, day: float, *, quorum: int, title: str,
             invitees: dict | None = None) -> Meeting:
    """A meeting scheduled a week ahead of `day` (from the demo's point of view then)."""
    return services.schedule_meeting(
        topic, actor=staff, kind=kind, title=title, starts_at=clock.at(day, 14), ends_at=clock.at(day, 16),
        place=_station(ctx, area), place_note="二楼议事厅", convener=staff, quorum=quorum,
        invitees=invitees if invitees is not None else _invitees(ctx, topic, area), now=clock.at(day - 7))


def _hold(ctx, clock, meeting, staff, day: float, attendees: int, views, summary: str,
          decisions=(), done: float | None = None):
    """Attendees check in (the invited units, then residents by name and phone), the meeting is held, the views
    and the summary recorded, decisions given to their owners, the minutes published; decisions done by `done`."""
    units = list(meeting.invitations.filter(member_unit__isnull=False).values_list("member_unit", flat=True))
    for i in range(attendees):
        when = clock.at(day, 13) + timedelta(minutes=2 * i)
        if i < len(units):
            services.check_in(meeting, actor=staff, member_unit=units[i], now=when)
        else:
            services.check_in(meeting, actor=staff, name=ctx.names.name(), phone=ctx.names.mobile(), now=when)
    services.transition_meeting(meeting, MeetingAction.HOLD, actor=staff, now=clock.at(day, 14))
    for speaker, side, view in views:
        services.add_minute_entry(meeting, actor=staff, speaker=speaker, side=side, view=view, now=clock.at(day, 15))
    services.write_minutes(meeting, actor=staff, minutes=summary)
    made = []
    for text, owner, days in decisions:
        made.append(services.record_decision(meeting, actor=staff, text=text, owner=owner,
                                             deadline=(clock.at(day + days)).date(), now=clock.at(day, 16)))
    services.transition_meeting(meeting, MeetingAction.PUBLISH_MINUTES, actor=staff, now=clock.at(day + 1))
    if done is not None:
        for decision in made:
            services.transition_decision(decision, DecisionAction.COMPLETE, actor=staff, outcome="已按期完成",
                                         now=clock.at(done))
    return made


def _step(topic, action, staff, clock, day, **kw):
    return services.transition_topic(topic, action, actor=staff, now=clock.at(day), **kw)


# --- the two closed cases of seed 000 -----------------------------------------------------------------------

def _fumes(ctx, clock, area, staff):
    names = ctx.names
    grid = ctx.grids_by_area[area.pk][0]
    owner = ctx.users.get("gridleader1") or staff
    topic = services.create_topic(
        actor=staff, title="兰花餐厅油烟扰民和消防隐患", area=area, grid=grid, source=TopicSource.COUNCIL,
        description="开业38年的兰花餐厅自建成起油烟扰民，又有消防隐患，周边居民反复投诉始终没有根治。"
                    "居民区党组织提请零距离家园理事会（1+4+16）协商解决。", now=clock.at(-160))
    _step(topic, A.ACCEPT, staff, clock, -158)
    hearing = _meeting(ctx, clock, topic, area, staff, MK.HEARING, -150, quorum=8, title="兰花餐厅油烟问题听证会")
    _step(topic, A.HEAR, staff, clock, -151)
    _hold(ctx, clock, hearing, staff, -150, 12, [
        (names.name(), SpeakerSide.RESIDENT, "夏天不敢开窗，油烟直接灌进三楼卧室。"),
        (names.name(), SpeakerSide.RESIDENT, "后厨煤气瓶堆在弄堂口，担心出事。"),
        ("兰花餐厅负责人", SpeakerSide.UNIT, "愿意整改，但希望给出具体标准和时间。"),
        (names.name(), SpeakerSide.PROFESSIONAL, "排油烟设施须达标排放，燃气设施须符合消防要求。"),
    ], "听取居民、餐厅和职能部门意见，同意进入协调环节，由理事会成员牵头拿出整改方案。")
    _step(topic, A.COORDINATE, staff, clock, -146)
    coordination = _meeting(ctx, clock, topic, area, staff, MK.COORDINATION, -138, quorum=6,
                            title="兰花餐厅整改协调会")
    _hold(ctx, clock, coordination, staff, -138, 9, [
        ("理事会成员", SpeakerSide.COUNCIL, "建议加装高效油烟净化器，排烟口移至屋顶。"),
        ("兰花餐厅负责人", SpeakerSide.UNIT, "同意在一个月内完成加装和移位。"),
        (names.name(), SpeakerSide.RESIDENT, "希望整改后请居民一起验收。"),
    ], "各方议定整改方案和完成时限，整改后组织居民评议。", decisions=[
        ("加装油烟净化器，排烟管移至屋顶高空排放", owner, 30),
        ("撤除弄堂口的煤气瓶，改用管道燃气并配齐灭火器", owner, 20),
    ], done=-112)
    _step(topic, A.DECIDE, staff, clock, -137, decision="餐厅一个月内加装油烟净化器、排烟管移至屋顶，撤除煤气瓶改用管道燃气。")
    _step(topic, A.IMPLEMENT, staff, clock, -136)
    review = _meeting(ctx, clock, topic, area, staff, MK.REVIEW, -100, quorum=6, title="兰花餐厅整改评议会")
    _hold(ctx, clock, review, staff, -100, 10, [
        (names.name(), SpeakerSide.RESIDENT, "现在开窗闻不到油烟了。"),
        ("理事会成员", SpeakerSide.COUNCIL, "消防设施已复查合格。"),
    ], "居民代表评议整改效果满意，议题办结。")
    _step(topic, A.REVIEW, staff, clock, -99, outcome="油烟和消防隐患整改到位，居民评议满意，多年邻里矛盾化解。")
    return _step(topic, A.CLOSE, staff, clock, -98)


def _tree(ctx, clock, area, staff):
    names = ctx.names
    grid = ctx.grids_by_area[area.pk][1]
    owner = ctx.users.get("gridleader2") or staff
    topic = services.create_topic(
        actor=staff, title="枇杷树遮挡采光", area=area, grid=grid, source=TopicSource.COUNCIL,
        description="弄堂里一棵种了30多年的枇杷树遮住周边住户的阳光，居民意见很大，多年积怨未解。", now=clock.at(-120))
    _step(topic, A.ACCEPT, staff, clock, -119)
    hearing = _meeting(ctx, clock, topic, area, staff, MK.HEARING, -112, quorum=6, title="枇杷树问题听证会")
    _step(topic, A.HEAR, staff, clock, -113)
    _hold(ctx, clock, hearing, staff, -112, 8, [
        (names.name(), SpeakerSide.RESIDENT, "一楼白天也要开灯，衣服晒不干。"),
        ("树主", SpeakerSide.RESIDENT, "树是老人种的，舍不得砍。"),
    ], "各方陈述意见，理事会成员同意上门做树主工作。")
    _step(topic, A.COORDINATE, staff, clock, -108)
    coordination = _meeting(ctx, clock, topic, area, staff, MK.COORDINATION, -100, quorum=5,
                            title="枇杷树修剪协调会")
    _hold(ctx, clock, coordination, staff, -100, 7, [
        ("理事会成员", SpeakerSide.COUNCIL, "不砍树，只作适当修剪，兼顾树主感情和邻居采光。"),
        ("树主", SpeakerSide.RESIDENT, "同意适当修剪。"),
    ], "树主同意适当修剪，由绿化养护单位实施。", decisions=[("请绿化养护单位对枇杷树适当修剪", owner, 14)], done=-90)
    _step(topic, A.DECIDE, staff, clock, -99, decision="不砍树，由绿化养护单位适当修剪枇杷树。")
    _step(topic, A.IMPLEMENT, staff, clock, -98)
    review = _meeting(ctx, clock, topic, area, staff, MK.REVIEW, -80, quorum=5, title="枇杷树修剪评议会")
    _hold(ctx, clock, review, staff, -80, 6, [(names.name(), SpeakerSide.RESIDENT, "修剪后屋里亮堂多了。")],
          "修剪前后对比，居民满意。")
    _step(topic, A.REVIEW, staff, clock, -79, outcome="树主同意修剪，邻居采光恢复，多年积怨化解。")
    return _step(topic, A.CLOSE, staff, clock, -78)


# --- open topics --------------------------------------------------------------------------------------------

def _parking(ctx, clock, area, staff):
    """Seed 003: the parking rules under discussion, with the hearing a few days ahead."""
    topic = services.create_topic(
        actor=staff, title="小区停车管理办法", area=area, source=TopicSource.COUNCIL,
        description="按照议事八则和三会制度，党总支、居委会、业委会、物业（1+3+N）共同商议小区停车管理办法。",
        now=clock.at(-12))
    _step(topic, A.ACCEPT, staff, clock, -11)
    _step(topic, A.HEAR, staff, clock, -10)
    meeting = _meeting(ctx, clock, topic, area, staff, MK.HEARING, 5, quorum=15, title="小区停车管理办法听证会")
    for i, invitation in enumerate(meeting.invitations.all()[:4]):
        services.rsvp(invitation, actor=staff, answer=("yes", "yes", "maybe", "no")[i], now=clock.at(-2))
    return topic


def _clutter(ctx, clock, area, staff):
    """From the residents' demands: a hearing held, one decision past its deadline, coordination next week."""
    from gongzhi.demands.models import Demand

    demands = list(Demand.objects.filter(region__path__startswith=area.path, title__contains="堆物")
                   .order_by("pk")[:5])
    grid = ctx.grids_by_area[area.pk][0]
    topic = services.create_topic(
        actor=staff, title="楼道堆物清理", area=area, grid=grid,
        source=TopicSource.DEMANDS if demands else TopicSource.COUNCIL, demands=demands,
        description="多栋楼道堆放杂物，堵塞消防通道，居民多次反映。", now=clock.at(-30))
    _step(topic, A.ACCEPT, staff, clock, -29)
    hearing = _meeting(ctx, clock, topic, area, staff, MK.HEARING, -21, quorum=6, title="楼道堆物听证会")
    _step(topic, A.HEAR, staff, clock, -22)
    _hold(ctx, clock, hearing, staff, -21, 7, [
        (ctx.names.name(), SpeakerSide.RESIDENT, "堆物挡住楼梯，老人上下楼很危险。"),
        ("楼组长", SpeakerSide.RESIDENT, "先登记物主，限期自行清理。"),
    ], "同意先登记、再限期清理，协调会上议定清运办法。",
        decisions=[("逐楼登记堆物及物主", ctx.users.get("gridleader1") or staff, 7)])
    _step(topic, A.COORDINATE, staff, clock, -12)
    _meeting(ctx, clock, topic, area, staff, MK.COORDINATION, 6, quorum=6, title="楼道堆物清运协调会")
    return topic


def _charging(ctx, clock, area, staff):
    """Being implemented: a charging shed for e-bikes, its decisions open."""
    grid = ctx.grids_by_area[area.pk][-1]
    topic = services.create_topic(
        actor=staff, title="非机动车集中充电棚", area=area, grid=grid, source=TopicSource.COUNCIL,
        description="电动自行车楼道充电隐患大，拟在小区空地建集中充电棚。", now=clock.at(-60))
    _step(topic, A.ACCEPT, staff, clock, -59)
    hearing = _meeting(ctx, clock, topic, area, staff, MK.HEARING, -52, quorum=6, title="充电棚选址听证会")
    _step(topic, A.HEAR, staff, clock, -53)
    _hold(ctx, clock, hearing, staff, -52, 8, [(ctx.names.name(), SpeakerSide.RESIDENT, "希望离住宅楼远一点。")],
          "听取选址意见。")
    _step(topic, A.COORDINATE, staff, clock, -48)
    coordination = _meeting(ctx, clock, topic, area, staff, MK.COORDINATION, -40, quorum=6, title="充电棚建设协调会")
    _hold(ctx, clock, coordination, staff, -40, 7, [("物业", SpeakerSide.PROPERTY_COMPANY, "可承担日常管理。")],
          "议定选址和管理方式。", decisions=[
              ("完成充电棚施工", ctx.users.get("gridleader3") or staff, 60),
              ("制定充电棚使用公约", staff, 45)])
    _step(topic, A.DECIDE, staff, clock, -39, decision="在3号楼北侧空地建集中充电棚，由物业日常管理。")
    return _step(topic, A.IMPLEMENT, staff, clock, -38)


def _lift(ctx, clock, area, staff):
    """A residents' proposal collecting co-signatures before it goes to the committee."""
    return services.create_topic(
        actor=staff, title="老公房加装电梯", area=area, source=TopicSource.RESIDENTS, cosigns_needed=10,
        description="多户老年居民提议为多层住宅加装电梯，征集联署。", now=clock.at(-6))
