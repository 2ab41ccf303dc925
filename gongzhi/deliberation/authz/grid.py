"""Authorization-test fixtures of the grid part (see gongzhi.core.authz and gongzhi.deliberation.authz), written
through the grid services: the matrix's published grid topic in grid A1 with an open, a claimed and a done
micro-item, raised as a deliberation topic; and in each zone the same, every text carrying the zone's mark, its
items claimed by a party member of that zone's grid (whose name carries the mark too)."""

from datetime import timedelta

from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.accounts.services import import_user
from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.services import grid as services


def _topic(grid, title: str, description: str, concern: str, items: list[str], claimant, finisher, mark=str):
    today = timezone.localdate()
    topic = services.create_grid_topics(today.year, actor=SYSTEM, publish=True, due_on=today + timedelta(days=30),
                                        rows=[{"grid": grid, "title": title, "description": description,
                                               "concern": concern, "concern_rank": 1, "items": items}])[0]
    first, second, _third = topic.micro_items.order_by("id")
    services.claim_micro_item(first, actor=claimant, promise=mark("本周内联系物业"))
    services.claim_micro_item(second, actor=finisher, promise=mark("两周内完成"))
    services.complete_micro_item(second, actor=finisher, outcome=mark("已完成"))
    services.raise_topic(topic, actor=SYSTEM)
    return topic


def build(world) -> dict:
    people = world.people
    made = {"grid_topic_a": _topic(world["grid_a1"], "物业管理：屋檐下的微自治", "梧桐一网格的年度议题", "物业管理",
                                   ["楼道堆物清理", "车棚照明", "垃圾分类宣传"], people.colleague, people.insider)}
    for zone in ZONES:
        def mark(label, zone=zone):
            return world.mark(zone, label)

        grid = world.grid(zone)
        member = import_user(world.code(zone, "gridmember"), actor=SYSTEM, role=Role.PARTY_MEMBER, region=grid,
                             display_name=mark("党员"))
        made[f"grid_topic_a@{zone}"] = _topic(grid, mark("议题"), mark("说明"), mark("类别")[:60],
                                              [mark("微事项一"), mark("微事项二"), mark("微事项三")], member, member,
                                              mark)
    return made
