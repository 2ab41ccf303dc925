"""Authorization-test fixtures of demands (see gongzhi.core.authz): the matrix's demand in grid A1, and in each
zone three demands (in zone x of a category of its own) with the zone's mark in every text a page, export or API response could show: an overdue
claimed one (timeline notes, a pending extension, a follower, an inbox message), an escalated one (the joint
meeting's agenda) and a resolved, reviewed one (resolution and review comment)."""

from datetime import timedelta

from django.utils import timezone

from gongzhi.core.authz import ZONES
from gongzhi.demands.models import (
    Category,
    Demand,
    DemandTransition,
    EscalationLevel,
    Extension,
    Follower,
    Notification,
)
from gongzhi.demands.services import submit_demand
from gongzhi.demands.workflow import Action, State


def _submit(**fields) -> Demand:
    result = submit_demand(channel="web", submitter_phone="13912345678", **fields)
    return result[0] if isinstance(result, tuple) else result  # (demand, created) once intake returns both


def build(world) -> dict:
    made = {"demand_a1": _submit(title="楼道灯坏了", description="不亮", building=world["building_a1"])}
    # a category of its own in the other sub-district, and its demands in it
    made["category@x"] = Category.objects.create(subdistrict=world.subdistrict("x"), code=world.code("x", "C"),
                                                 name=world.mark("x", "类别"))
    for zone in ZONES:
        made[f"demand_a1@{zone}"] = _zone(world, zone)
    return made


def _zone(world, zone: str) -> Demand:
    def mark(label, private=False):
        return world.mark(zone, label, private)

    staff, building = world[f"user_a@{zone}"], world[f"building_a1@{zone}"]
    past = timezone.now() - timedelta(days=30)
    demands = [
        _submit(title=mark(title), description=mark(f"{title}，请尽快处理"), building=building,
                address=mark("门牌", True), submitter_name=mark("", True)[:40], now=past,
                category=world.objects.get(f"category@{zone}"))
        for title in ("楼道灯坏了", "电梯停运", "垃圾清运不及时")
    ]
    claimed, escalated, resolved = demands
    changes = {
        claimed: dict(state=State.CLAIMED, assignee=staff, claimed_by=staff, promise=mark("承诺"),
                      is_overdue=True, overdue_since=past.date(), due_on=past.date()),
        escalated: dict(state=State.ESCALATED, escalation_level=EscalationLevel.JOINT_MEETING),
        resolved: dict(state=State.REVIEWED, resolution=mark("处理结果"), review_comment=mark("评价", True),
                       satisfaction=2, resolved_at=past, reviewed_at=past),
    }
    steps = {
        claimed: [(Action.ASSIGN, State.ASSIGNED, "指派"), (Action.CLAIM, State.CLAIMED, "认领")],
        escalated: [(Action.ESCALATE, State.ESCALATED, "上报")],
        resolved: [(Action.ASSIGN, State.ASSIGNED, "指派"), (Action.RESOLVE, State.RESOLVED, "办结"),
                   (Action.REVIEW, State.REVIEWED, "评价")],
    }
    for demand, fields in changes.items():
        Demand.objects.filter(pk=demand.pk).update(**fields)
        before = demand.state
        for action, after, note in steps[demand]:
            DemandTransition.objects.create(demand=demand, action=action, from_state=before, to_state=after,
                                            actor=staff, note=mark(note, True), created_at=past)
            before = after
    Extension.objects.create(demand=claimed, days=5, reason=mark("延期理由", True), requested_by=staff)
    Follower.objects.create(demand=claimed, name=mark("", True)[:40], phone="13800000000")
    Notification.objects.create(user=staff, demand=claimed, text=mark("消息", True))
    claimed.refresh_from_db()
    return claimed
