"""Authorization-test fixtures of demands (see gongzhi.core.authz): the matrix's demand in grid A1, and in each
zone three demands (in zone x of a category of its own) with the zone's mark in every text a page, export or API response could show: an overdue
claimed one (timeline notes, a pending extension, a follower, an inbox message), an escalated one (the joint
meeting's agenda) and a resolved, reviewed one (resolution and review comment)."""

from datetime import timedelta

from django.utils import timezone

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands import notify
from gongzhi.demands.models import Channel, Demand, EscalationLevel
from gongzhi.demands.public import PUBLIC_NOTES
from gongzhi.demands.services import (
    HistoricalDemand,
    HistoryStep,
    import_category,
    import_history,
    new_tracking_code,
    request_extension,
    submit_demand,
)
from gongzhi.demands.workflow import Action, State

PHONE = "13912345678"


def _submit(**fields) -> Demand:
    return submit_demand(channel="web", submitter_phone=PHONE, **fields)[0]


def build(world) -> dict:
    made = {"demand_a1": _submit(title="楼道灯坏了", description="不亮", building=world["building_a1"])}
    # a category of its own in the other sub-district, and its demands in it
    made["category@x"] = import_category(actor=SYSTEM, subdistrict=world.subdistrict("x"),
                                         code=world.code("x", "C"), name=world.mark("x", "类别"))
    for zone in ZONES:
        made[f"demand_a1@{zone}"] = _zone(world, zone)
    return made


def _zone(world, zone: str) -> Demand:
    """The zone's demands, taken in with their past through the history import (a live step would notify and
    escalate on its own clock): claimed and overdue with a pending extension and a follower, referred to a
    joint meeting, resolved and reviewed."""
    def mark(label, private=False):
        return world.mark(zone, label, private)

    staff, building = world[f"user_a@{zone}"], world[f"building_a1@{zone}"]
    past = timezone.now() - timedelta(days=30)
    grid = building.region

    def demand(title, state, **fields):
        return Demand(**{
            "tracking_code": new_tracking_code(past), "title": mark(title), "description": mark(f"{title}，请尽快处理"),
            "building": building, "grid": grid, "region": grid, "address": mark("门牌", True), "channel": Channel.WEB,
            "source": "web", "submitter_name": mark("", True)[:40], "submitter_phone": PHONE,
            "category": world.objects.get(f"category@{zone}"),
            "created_at": past, "due_on": past.date(), "state": state, **fields})

    def steps(*path):
        out, before = [HistoryStep(Action.SUBMIT, "", State.SUBMITTED, SYSTEM, "", 0, past)], State.SUBMITTED
        for action, after, note, *level in path:
            # notes addressed to the resident (a claim's promise, how it was resolved) are public; the rest private
            private = action not in PUBLIC_NOTES
            out.append(HistoryStep(action, before, after, staff, mark(note, private), level[0] if level else 0, past))
            before = after
        return out

    subdistrict = world.subdistrict(zone)
    claimed = demand("楼道灯坏了", State.CLAIMED, assignee=staff, claimed_by=staff, promise=mark("承诺"),
                     is_overdue=True, overdue_since=past.date())
    duplicate = demand("楼道灯坏了", State.MERGED, merged_into=claimed)
    escalated = demand("电梯停运", State.ESCALATED, escalation_level=EscalationLevel.JOINT_MEETING, region=subdistrict)
    resolved = demand("垃圾清运不及时", State.REVIEWED, resolution=mark("处理结果"), review_comment=mark("评价", True),
                      satisfaction=2, resolved_at=past, reviewed_at=past)
    import_history([
        HistoricalDemand(claimed, steps((Action.ASSIGN, State.ASSIGNED, "指派"), (Action.CLAIM, State.CLAIMED, "认领")),
                         followers_from=[(duplicate, past)]),
        HistoricalDemand(duplicate, steps((Action.MERGE, State.MERGED, "合并"))),
        HistoricalDemand(escalated, steps((Action.ESCALATE, State.ESCALATED, "上报", 1),
                                          (Action.ESCALATE, State.ESCALATED, "上报", 2),
                                          (Action.ESCALATE, State.ESCALATED, "上报", 3))),
        HistoricalDemand(resolved, steps((Action.ASSIGN, State.ASSIGNED, "指派"), (Action.CLAIM, State.CLAIMED, "认领"),
                                         (Action.START, State.IN_PROGRESS, "处理"),
                                         (Action.RESOLVE, State.RESOLVED, "办结"), (Action.REVIEW, State.REVIEWED, "评价"))),
    ], actor=SYSTEM, change_reason="authorization test")
    request_extension(claimed, actor=staff, days=5, reason=mark("延期理由", True), now=past)
    notify.notify_users([staff], claimed, mark("消息", True))
    claimed.refresh_from_db()
    return claimed
