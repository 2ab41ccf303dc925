"""Micro-items (网格微事项): party members and staff claim them publicly with a promise (亮承诺), one claimant at a
time; the claimant or the grid's staff release them or mark them done with an outcome and photos; the grid leader
hears of it; overdue items are flagged on the board and on the claimant's promises."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse

from gongzhi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongzhi.deliberation.models import MicroItem, MicroItemTransition
from gongzhi.deliberation.services import grid as services
from gongzhi.demands.models import Notification
from tests import factories
from tests.conftest import login
from tests.deliberation.grid_support import grid_topic, member, png, today


@pytest.fixture
def topic(street):
    return grid_topic(street.grid_a1)


@pytest.fixture
def item(topic):
    return topic.micro_items.order_by("id").first()


def claim_url(item):
    return reverse("deliberation:grid_item_claim", args=[item.pk])


def test_a_party_member_claims_with_a_public_promise_and_the_grid_leader_hears(
        client, people, street, item, django_capture_on_commit_callbacks):
    m = member(street.grid_a1, display_name="张梧桐")
    login(client, m)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(claim_url(item), {f"claim-{item.pk}-promise": "本周六上午清理3楼楼道"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.claimed_by, item.promise) == ("claimed", m, "本周六上午清理3楼楼道")
    step = MicroItemTransition.objects.filter(item=item).last()
    assert (step.action, step.actor, step.note) == ("claim", m, "本周六上午清理3楼楼道")
    note = Notification.objects.get(user=people.colleague)  # grid A1's leader
    assert "张梧桐" in note.text and "本周六上午清理3楼楼道" in note.text
    page = client.get(reverse("deliberation:grid_topic_detail", args=[item.grid_topic_id])).content.decode()
    assert "本周六上午清理3楼楼道" in page and "张梧桐" in page


def test_a_claim_needs_a_promise_and_says_so_on_the_field(client, street, item):
    login(client, member(street.grid_a1))
    r = client.post(claim_url(item), {f"claim-{item.pk}-promise": "  "})
    assert r.status_code == 422
    row = next(row for row in r.context["items"] if row["item"].pk == item.pk)
    assert row["claim"].errors["promise"]
    item.refresh_from_db()
    assert item.state == "open" and item.claimed_by is None


def test_one_claimant_until_released(street, people, item):
    first, second = member(street.grid_a1), member(street.grid_a1)
    services.claim_micro_item(item, actor=first, promise="我来")
    with pytest.raises(Conflict):
        services.claim_micro_item(item, actor=second, promise="我也来")
    with pytest.raises(Forbidden):  # not the claimant, not the grid's staff
        services.release_micro_item(item, actor=second)
    services.release_micro_item(item, actor=first, note="临时出差")
    item.refresh_from_db()
    assert (item.state, item.claimed_by, item.promise) == ("open", None, "")
    services.claim_micro_item(item, actor=second, promise="我来接手")
    services.release_micro_item(item, actor=people.insider)  # the area's staff may release it too
    assert list(MicroItemTransition.objects.filter(item=item).values_list("action", flat=True)) == [
        "add", "claim", "release", "claim", "release"]


def test_draft_topics_take_no_claims_and_residents_none_at_all(street, people):
    draft = grid_topic(street.grid_a1, title="草稿议题", publish=False).micro_items.first()
    with pytest.raises(Conflict):
        services.claim_micro_item(draft, actor=member(street.grid_a1), promise="我来")
    published = grid_topic(street.grid_a1, title="已发布议题").micro_items.first()
    with pytest.raises(Forbidden):
        services.claim_micro_item(published, actor=people.resident, promise="我来")


def test_done_with_outcome_and_photos_served_in_scope_only(
        client, people, street, item, django_capture_on_commit_callbacks):
    m = member(street.grid_a1)
    services.claim_micro_item(item, actor=m, promise="两周内完成")
    login(client, m)
    with pytest.raises(ValidationFailed):
        services.complete_micro_item(item, actor=m, outcome="")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("deliberation:grid_item_done", args=[item.pk]), {
            f"complete-{item.pk}-outcome": "楼道已清空，张贴了提示", f"complete-{item.pk}-photos": [png()]})
    assert r.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.outcome) == ("done", "楼道已清空，张贴了提示") and item.done_at
    photo = item.photos.get()
    assert photo.image.name.startswith("deliberation_grid/") and photo.image.name.endswith(".png")
    assert "楼道已清空" in Notification.objects.get(user=people.colleague).text
    assert login(client, people.insider).get(photo.image.url).status_code == 200
    assert login(client, people.outsider).get(photo.image.url).status_code == 404


def test_a_photo_that_is_no_image_is_refused_on_the_field(client, street, item):
    m = member(street.grid_a1)
    services.claim_micro_item(item, actor=m, promise="两周内完成")
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    r = login(client, m).post(reverse("deliberation:grid_item_done", args=[item.pk]), {
        f"complete-{item.pk}-outcome": "完成", f"complete-{item.pk}-photos": [fake]})
    assert r.status_code == 422
    item.refresh_from_db()
    assert item.state == "claimed" and not item.photos.exists()


def test_overdue_items_are_flagged(client, street, topic):
    m = member(street.grid_a1)
    late = MicroItem.objects.create(grid_topic=topic, title="修车棚灯", due_on=today() - timedelta(days=3))
    services.claim_micro_item(late, actor=m, promise="尽快")
    assert late.is_overdue
    login(client, m)
    board = client.get(reverse("deliberation:grid_board"), {"state": "overdue"})
    assert [i.pk for i in board.context["page"]] == [late.pk]
    mine = client.get(reverse("deliberation:grid_my_promises"))
    assert [i.pk for i in mine.context["pending"]] == [late.pk]
    assert 'class="overdue"' in mine.content.decode()


def test_my_promises_lists_only_my_claims(client, street, topic):
    me, other = member(street.grid_a1), member(street.grid_a1)
    mine, theirs = topic.micro_items.order_by("id")
    services.claim_micro_item(mine, actor=me, promise="我的承诺")
    services.claim_micro_item(theirs, actor=other, promise="别人的承诺")
    page = login(client, me).get(reverse("deliberation:grid_my_promises")).content.decode()
    assert "我的承诺" in page and "别人的承诺" not in page


def test_out_of_scope_is_not_found(client, people, street, item):
    outsider_member = member(street.grid_b1)
    with pytest.raises(NotFound):
        services.claim_micro_item(item, actor=outsider_member, promise="我来")
    login(client, people.outsider)
    assert client.get(reverse("deliberation:grid_topic_detail", args=[item.grid_topic_id])).status_code == 404
    assert client.post(claim_url(item), {f"claim-{item.pk}-promise": "我来"}).status_code == 404
    other_grid = member(street.grid_a2)  # same area, another grid
    assert login(client, other_grid).post(claim_url(item), {f"claim-{item.pk}-promise": "我来"}).status_code == 404
    item.refresh_from_db()
    assert item.state == "open"


def test_the_claims_board_shows_who_promised_what_in_scope(client, people, street, item):
    services.claim_micro_item(item, actor=member(street.grid_a1, display_name="张梧桐"), promise="本周内完成")
    b_item = grid_topic(street.grid_b1, title="石库门议题", items=["石库门微事项"]).micro_items.get()
    services.claim_micro_item(b_item, actor=member(street.grid_b1), promise="石库门承诺")
    page = login(client, people.insider).get(reverse("deliberation:grid_board")).content.decode()
    assert "张梧桐" in page and "本周内完成" in page and "石库门承诺" not in page


@pytest.mark.django_db(transaction=True)
def test_parallel_claims_give_one_claimant():
    street = factories.street()
    topic = grid_topic(street.grid_a1, items=["楼道堆物清理"])
    item = topic.micro_items.get()
    members = [member(street.grid_a1) for _i in range(8)]
    barrier = threading.Barrier(len(members))
    outcomes: list[str] = []

    def claim(user):
        barrier.wait()
        try:
            for _attempt in range(300):
                try:
                    services.claim_micro_item(item.pk, actor=user, promise=f"{user.username}来做")
                except Conflict:
                    outcomes.append("refused")
                except Exception as e:  # noqa: BLE001 (SQLite's shared-cache table lock: try again)
                    if "locked" not in str(e):
                        outcomes.append(repr(e))
                        return
                    time.sleep(0.01)
                    continue
                else:
                    outcomes.append("claimed")
                return
            outcomes.append("gave up")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(u,)) for u in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["claimed"] + ["refused"] * 7
    item.refresh_from_db()
    assert item.state == "claimed" and item.claimed_by in members
    assert MicroItemTransition.objects.filter(item=item, action="claim").count() == 1
