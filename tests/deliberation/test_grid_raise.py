"""A grid topic goes to the council: `raise_topic` makes a proposed deliberation topic of the grid's residential
area and grid, with its first log row, linked back from the grid topic; once, and only from a published topic."""

import pytest
from django.urls import reverse

from gongzhi.core.errors import Conflict, Forbidden
from gongzhi.deliberation.models import GridTopicTransition, Topic, TopicSource, TopicTransition
from gongzhi.deliberation.services import grid as services
from tests.conftest import login
from tests.deliberation.grid_support import grid_topic


def test_raise_makes_a_proposed_topic_of_the_grid_and_links_it(street, people):
    gt = grid_topic(street.grid_a1)
    topic = services.raise_topic(gt, actor=people.insider)
    assert (topic.source, topic.area, topic.grid, topic.state, topic.title, topic.proposer) == (
        TopicSource.GRID_TOPIC, street.area_a, street.grid_a1, "proposed", gt.title, people.insider)
    assert "物业管理" in topic.description  # the concern it came from
    first = TopicTransition.objects.get(topic=topic)
    assert (first.action, first.from_state, first.to_state, first.actor) == ("propose", "", "proposed", people.insider)
    gt.refresh_from_db()
    assert gt.topic == topic
    step = GridTopicTransition.objects.filter(grid_topic=gt).last()
    assert (step.action, step.extra) == ("raise", {"topic": topic.pk})


def test_once_only_from_a_published_topic_by_its_staff(street, people):
    gt = grid_topic(street.grid_a1)
    with pytest.raises(Forbidden):  # a grid leader claims items but does not run topics
        services.raise_topic(gt, actor=people.colleague)
    services.raise_topic(gt, actor=people.admin)
    with pytest.raises(Conflict):
        services.raise_topic(gt, actor=people.admin)
    draft = grid_topic(street.grid_a1, title="草稿", publish=False)
    with pytest.raises(Conflict):
        services.raise_topic(draft, actor=people.admin)
    assert Topic.objects.count() == 1


def test_the_topic_page_raises_it(client, street, people):
    gt = grid_topic(street.grid_a1)
    detail = reverse("deliberation:grid_topic_detail", args=[gt.pk])
    login(client, people.colleague)
    assert 'id="raise-form"' not in client.get(detail).content.decode()
    assert client.post(reverse("deliberation:grid_topic_raise", args=[gt.pk])).status_code == 403
    login(client, people.insider)
    assert 'id="raise-form"' in client.get(detail).content.decode()
    r = client.post(reverse("deliberation:grid_topic_raise", args=[gt.pk]), follow=True)
    topic = Topic.objects.get()
    assert topic.title in r.content.decode() and 'id="raise-form"' not in r.content.decode()
    login(client, people.outsider)
    assert client.post(reverse("deliberation:grid_topic_raise", args=[gt.pk])).status_code == 404


def test_topic_steps_publish_close_and_reopen(client, street, people):
    gt = grid_topic(street.grid_a1, publish=False)
    url = reverse("deliberation:grid_topic_transition", args=[gt.pk])
    login(client, people.insider)
    for action, state in (("publish", "published"), ("close", "closed"), ("reopen", "published")):
        client.post(url, {"action": action})
        gt.refresh_from_db()
        assert gt.state == state
    login(client, people.colleague).post(url, {"action": "close"})
    gt.refresh_from_db()
    assert gt.state == "published"  # refused: not the grid leader's to close


def test_staff_add_micro_items_with_field_errors(client, street, people):
    gt = grid_topic(street.grid_a1, items=())
    url = reverse("deliberation:grid_item_add", args=[gt.pk])
    r = login(client, people.insider).post(url, {"title": "修车棚灯", "due_on": "2000-01-01"})
    assert r.status_code == 422 and r.context["add_form"].errors["due_on"]
    assert not gt.micro_items.exists()
    r = client.post(url, {"title": "修车棚灯", "due_on": "2099-06-30", "description": "车棚晚上太暗"})
    assert r.status_code == 302 and gt.micro_items.get().title == "修车棚灯"
    assert login(client, people.colleague).post(url, {"title": "x", "due_on": "2099-06-30"}).status_code == 403


def test_publishing_tells_the_grids_party_members(street, people, django_capture_on_commit_callbacks):
    from gongzhi.demands.models import Notification
    from tests.deliberation.grid_support import member

    here, elsewhere = member(street.grid_a1), member(street.grid_b1)
    gt = grid_topic(street.grid_a1, publish=False)
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_grid_topic(gt, "publish", actor=people.insider)
    assert list(Notification.objects.values_list("user", flat=True)) == [here.pk]
    assert gt.title in Notification.objects.get().text
    assert not Notification.objects.filter(user=elsewhere).exists()
