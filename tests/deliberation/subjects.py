"""Deliberation subjects made straight in a given state, on the factories' street: the hooks the generic workflow
walk (tests/core/test_workflow.py) uses. Each part adds its own in `subjects_<part>.py`; this module merges them."""

from datetime import timedelta

from django.utils import timezone

from gongzhi.deliberation.models import Decision, Meeting, MeetingKind, Topic
from tests import factories


def topic(street, state: str = "proposed") -> Topic:
    return Topic.objects.create(title=f"议题{factories.seq()}", area=street.area_a, grid=street.grid_a1, state=state)


def meeting(street, state: str = "scheduled") -> Meeting:
    return Meeting.objects.create(
        topic=topic(street, "hearing"), kind=MeetingKind.HEARING, title="油烟问题听证会",
        starts_at=timezone.now() + timedelta(days=3), convener=factories.user(), quorum=3, state=state,
    )


def decision(street, state: str = "open") -> Decision:
    return Decision.objects.create(meeting=meeting(street, "held"), text="餐厅加装油烟净化器", owner=factories.user(),
                                   deadline=timezone.localdate() + timedelta(days=30), state=state)


SUBJECTS = {
    "deliberation.Topic": topic,
    "deliberation.Meeting": meeting,
    "deliberation.Decision": decision,
}

from tests.deliberation.subjects_councils import SUBJECTS as COUNCILS  # noqa: E402
from tests.deliberation.subjects_grid import SUBJECTS as GRID  # noqa: E402
from tests.deliberation.subjects_votes import SUBJECTS as VOTES  # noqa: E402

SUBJECTS.update({**COUNCILS, **VOTES, **GRID})
