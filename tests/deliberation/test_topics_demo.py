"""The topics part's demo (seed 000's two cases closed through their three meetings, open topics in the other
states), seeded on the registry's demo street alone, within one rolled-back transaction."""

import time

import pytest
from django.db import transaction

from gongzhi.deliberation.models import Decision, Meeting, Topic
from gongzhi.demo import run_seed


class Rollback(Exception):
    pass


@pytest.mark.django_db
def test_the_demo_tells_the_cases_through_the_three_meetings():
    with pytest.raises(Rollback), transaction.atomic():
        started = time.perf_counter()
        ctx = run_seed(["registry", "deliberation"])
        topics = ctx.extra["topics"]
        for key in ("fumes", "tree"):
            topic = Topic.objects.get(pk=topics[key].pk)
            assert topic.state == "closed" and topic.decision and topic.outcome
            meetings = Meeting.objects.filter(topic=topic)
            assert sorted(meetings.values_list("kind", flat=True)) == ["coordination", "hearing", "review"]
            assert set(meetings.values_list("state", flat=True)) == {"minuted"}
            assert all(m.checkins.count() >= m.quorum and m.minute_entries.exists() for m in meetings)
            decisions = Decision.objects.filter(meeting__topic=topic)
            assert decisions.exists() and set(decisions.values_list("state", flat=True)) == {"done"}
        assert "兰花餐厅" in topics["fumes"].title and "枇杷树" in topics["tree"].title
        assert Topic.objects.get(pk=topics["parking"].pk).state == "hearing"
        assert Meeting.objects.get(topic=topics["parking"]).state == "scheduled"
        states = set(Topic.objects.exclude(pk__in=[topics["fumes"].pk, topics["tree"].pk])
                     .values_list("state", flat=True))
        assert {"hearing", "coordination", "implementing", "proposed", "declined"} <= states
        assert any(d.is_overdue() for d in Decision.objects.filter(state="open"))  # the workbench's card
        print(f"registry + deliberation seeded in {time.perf_counter() - started:.1f}s")
        raise Rollback
