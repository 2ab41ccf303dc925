"""The grid part's lists in Excel (export only): the grid topics with their claim counts, and the micro-items with
who claimed them and what they promised (the claims board in a workbook). Declarations for gongzhi.core.excel;
the rows are the user's scope, filtered as on the list pages."""

from __future__ import annotations

from gongzhi.core.excel import Col, ListSpec
from gongzhi.deliberation.models.grid import GridTopic, MicroItem
from gongzhi.deliberation.policies.grid import VIEW
from gongzhi.deliberation.selectors import grid as selectors
from gongzhi.registry.models import Region

TOPIC_STATES = {"draft": "草稿", "published": "已发布", "closed": "已关闭"}
ITEM_STATES = {"open": "待认领", "claimed": "已认领", "done": "已完成"}


def _claimant(item: MicroItem) -> str | None:
    return str(item.claimed_by) if item.claimed_by_id else None


GRID_TOPICS = ListSpec(
    "grid_topics", "网格议题", GridTopic, (
        Col("年度", "year", "int"),
        Col("居民区", "area", value=lambda t: t.grid.parent.name if t.grid.parent_id else None),
        Col("网格编码", "grid", "fk", ref=Region),
        Col("网格", "grid_name", value=lambda t: t.grid.name),
        Col("议题", "title"),
        Col("关注度类别", "concern"),
        Col("关注度排名", "concern_rank", "int"),
        Col("说明", "description"),
        Col("状态", "state", "choice", choices=TOPIC_STATES),
        Col("微事项数", "items_total", value=lambda t: t.items_total),
        Col("已认领", "items_claimed", value=lambda t: t.items_claimed),
        Col("已完成", "items_done", value=lambda t: t.items_done),
        Col("议事议题", "topic_title", value=lambda t: t.topic.title if t.topic_id else None),
    ),
    rows=lambda user, params: selectors.filter_topics(selectors.grid_topics_for(user), params).order_by(
        "-year", "grid__path", "title"),
    view=(VIEW,),
    key=("grid", "year", "title"),
)

MICRO_ITEMS = ListSpec(
    "grid_micro_items", "网格微事项", MicroItem, (
        Col("年度", "year", value=lambda i: i.grid_topic.year),
        Col("网格", "grid", value=lambda i: i.grid_topic.grid.name),
        Col("网格议题", "grid_topic", value=lambda i: i.grid_topic.title),
        Col("微事项", "title"),
        Col("说明", "description"),
        Col("完成期限", "due_on", "date"),
        Col("状态", "state", "choice", choices=ITEM_STATES),
        Col("逾期", "overdue", value=lambda i: "是" if i.is_overdue else "否"),
        Col("认领人", "claimant", value=_claimant),
        Col("公开承诺", "promise"),
        Col("认领时间", "claimed_at", "datetime"),
        Col("完成情况", "outcome"),
        Col("完成时间", "done_at", "datetime"),
    ),
    rows=lambda user, params: selectors.board(user, params),
    view=(VIEW,),
    key=("grid_topic", "title"),
)
