"""The topics part's lists in Excel (export only): topics, meetings with their attendance, decisions. Rows are
the user's as on the list pages: scoped and filtered by the same parameters."""

from __future__ import annotations

from django.utils import timezone

from gongzhi.accounts.roles import Capability
from gongzhi.core.excel import Col, ListSpec
from gongzhi.deliberation.models import Decision, Meeting, Topic
from gongzhi.deliberation.selectors import topics as selectors
from gongzhi.registry.models import Estate, Region, ServicePlace

VIEW = (Capability.VIEW_DELIBERATION,)
READ_ONLY = "仅供查看"
TOPIC_STATES = {"proposed": "待受理", "accepted": "已受理", "declined": "不予受理", "hearing": "听证中",
                "coordination": "协调中", "decided": "已决定", "implementing": "实施中", "reviewed": "已评议",
                "closed": "已办结"}
SOURCES = {"demands": "居民诉求", "hot_issue": "热点问题", "grid_topic": "网格议题", "council": "议事会",
           "residents": "居民提议"}
KINDS = {"hearing": "听证会", "coordination": "协调会", "review": "评议会"}
MEETING_STATES = {"scheduled": "待召开", "held": "已召开", "minuted": "纪要已发布", "cancelled": "已取消"}
DECISION_STATES = {"open": "办理中", "done": "已完成"}


def _count(name: str):
    return lambda obj: getattr(obj, name, None)


TOPICS = ListSpec(
    "topics", "议题清单", Topic, (
        Col("编号", "id", "int"), Col("议题", "title"), Col("说明", "description"),
        Col("来源", "source", "choice", choices=SOURCES), Col("热点问题", "hot_issue_key"),
        Col("居民区", "area", "fk", ref=Region, lookup="name"), Col("小区", "estate", "fk", ref=Estate, lookup="name"),
        Col("网格", "grid", "fk", ref=Region, lookup="name"),
        Col("状态", "state", "choice", choices=TOPIC_STATES),
        Col("会议数", "meetings", hint=READ_ONLY, value=_count("meeting_count")),
        Col("联署户数", "cosigns", hint=READ_ONLY, value=_count("cosign_count")),
        Col("决定", "decision"), Col("评议结果", "outcome"), Col("不予受理理由", "decline_reason"),
        Col("提出时间", "created_at", "datetime"),
    ),
    rows=lambda user, params: selectors.with_counts(selectors.filter_topics(selectors.topics_for(user), params))
    .order_by("pk"),
    view=VIEW, key=("id",),
)

MEETINGS = ListSpec(
    "meetings", "会议清单", Meeting, (
        Col("编号", "id", "int"), Col("会议", "title"), Col("类型", "kind", "choice", choices=KINDS),
        Col("议题", "topic", hint=READ_ONLY, value=lambda m: m.topic.title),
        Col("开始时间", "starts_at", "datetime"), Col("结束时间", "ends_at", "datetime"),
        Col("地点", "place", "fk", ref=ServicePlace, lookup="name"), Col("房间或地址", "place_note"),
        Col("召集人", "convener", hint=READ_ONLY, value=lambda m: str(m.convener)),
        Col("法定人数", "quorum", "int"),
        Col("邀请数", "invited", hint=READ_ONLY, value=_count("invited_count")),
        Col("确认参加", "accepted", hint=READ_ONLY, value=_count("yes_count")),
        Col("签到人数", "attendance", hint=READ_ONLY, value=_count("attendance_count")),
        Col("达到法定人数", "quorate", hint=READ_ONLY,
            value=lambda m: "是" if (getattr(m, "attendance_count", 0) or 0) >= m.quorum else "否"),
        Col("状态", "state", "choice", choices=MEETING_STATES), Col("纪要", "minutes"),
        Col("取消理由", "cancel_reason"),
    ),
    rows=lambda user, params: selectors.with_attendance(
        selectors.filter_meetings(selectors.meetings_for(user), params, user)).order_by("pk"),
    view=VIEW, key=("id",),
)

DECISIONS = ListSpec(
    "decisions", "决定事项清单", Decision, (
        Col("编号", "id", "int"), Col("决定事项", "text"),
        Col("会议", "meeting", hint=READ_ONLY, value=lambda d: d.meeting.title),
        Col("议题", "topic", hint=READ_ONLY, value=lambda d: d.meeting.topic.title),
        Col("负责人", "owner", hint=READ_ONLY, value=lambda d: str(d.owner)),
        Col("期限", "deadline", "date"), Col("状态", "state", "choice", choices=DECISION_STATES),
        Col("逾期", "overdue", hint=READ_ONLY, value=lambda d: "是" if d.is_overdue(timezone.localdate()) else "否"),
        Col("完成情况", "outcome"), Col("完成时间", "done_at", "datetime"),
    ),
    rows=lambda user, params: selectors.filter_decisions(selectors.decisions_for(user), params, user)
    .order_by("pk"),
    view=VIEW, key=("id",),
)
