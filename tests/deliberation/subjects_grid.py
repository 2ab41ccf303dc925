"""Workflow-walk subjects of the grid part (see tests/deliberation/subjects.py): grid topics and micro-items made
straight in a given state. A micro-item always has a claimant here (an open one as if it had been released): the
walk moves states without the services' field changes, and a claimed or done item needs its claimant."""

from datetime import timedelta

from django.utils import timezone

from gongzhi.deliberation.models import GridTopic, MicroItem
from tests import factories


def grid_topic(street, state: str = "draft") -> GridTopic:
    return GridTopic.objects.create(year=timezone.localdate().year, grid=street.grid_a1,
                                    title=f"网格议题{factories.seq()}", concern="物业管理", state=state)


def micro_item(street, state: str = "open") -> MicroItem:
    return MicroItem.objects.create(
        grid_topic=grid_topic(street, "published"), title="楼道堆物清理", due_on=timezone.localdate() + timedelta(days=30),
        state=state, claimed_by=factories.user(), promise="本周内完成")


SUBJECTS = {
    "deliberation.GridTopic": grid_topic,
    "deliberation.MicroItem": micro_item,
}
