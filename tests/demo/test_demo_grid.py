"""The demo's grid topics: this year's 35, one per micro-grid, from last year's top-10 concerns of the street,
each with two to four micro-items, most of them claimed with a promise, some done, some overdue. The street is
the package's (tests/demo/conftest.py)."""

from collections import Counter

from django.utils import timezone

from gongzhi.deliberation.models import GridTopic, MicroItem, Topic, TopicSource
from gongzhi.registry.models import Region, RegionKind


def test_35_grid_topics_with_claimed_micro_items(demo):
    year = timezone.localdate().year
    topics = GridTopic.objects.filter(year=year)
    grids = Region.objects.filter(kind=RegionKind.GRID)
    assert topics.count() == 35 and set(topics.values_list("grid", flat=True)) == set(grids.values_list("pk", flat=True))
    assert set(topics.values_list("state", flat=True)) == {"published"}
    assert len(set(topics.values_list("concern", flat=True))) >= 3 and "" not in set(topics.values_list("concern", flat=True))
    per_topic = Counter(MicroItem.objects.filter(grid_topic__year=year).values_list("grid_topic", flat=True))
    assert set(per_topic.values()) <= {2, 3, 4} and len(per_topic) == 35
    items = MicroItem.objects.filter(grid_topic__year=year)
    states = Counter(items.values_list("state", flat=True))
    assert states["claimed"] + states["done"] > items.count() / 2 and states["done"] and states["open"]
    claimed = items.exclude(state="open")
    assert not claimed.filter(promise="").exists() and not claimed.filter(claimed_by=None).exists()
    assert claimed.filter(claimed_by__username="member1").exists()
    assert Topic.objects.filter(source=TopicSource.GRID_TOPIC).count() == 2
