"""The grid part's API (topics in scope, the claim with its 409), Excel exports and workbench cards."""

import io
from datetime import timedelta

from django.urls import reverse
from openpyxl import load_workbook

from gongzhi.core.workbench import cards_for
from gongzhi.deliberation.models import MicroItem
from gongzhi.deliberation.services import grid as services
from tests.conftest import login
from tests.deliberation.grid_support import grid_topic, member, today


def rows(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def test_api_lists_topics_in_scope_with_their_items(client, street, people):
    a = grid_topic(street.grid_a1)
    grid_topic(street.grid_b1, title="石库门议题")
    login(client, people.insider)
    listed = client.get("/api/v1/deliberation/grid/topics").json()
    assert [t["id"] for t in listed["items"]] == [a.pk]
    detail = client.get(f"/api/v1/deliberation/grid/topics/{a.pk}").json()
    assert [i["title"] for i in detail["micro_items"]] == ["楼道堆物清理", "车棚照明"]
    assert detail["actions"] == ["close"] and detail["micro_items"][0]["actions"] == ["claim"]
    b = client.get("/api/v1/deliberation/grid/topics", {"grid": street.grid_b1.pk}).json()
    assert b["items"] == []
    login(client, people.outsider)
    assert client.get(f"/api/v1/deliberation/grid/topics/{a.pk}").status_code == 404


def test_api_claim_then_409(client, street):
    item = grid_topic(street.grid_a1).micro_items.first()
    url = f"/api/v1/deliberation/grid/items/{item.pk}/claim"
    first, second = member(street.grid_a1, display_name="张梧桐"), member(street.grid_a1)
    r = login(client, first).post(url, {"promise": "周末完成"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "claimed" and r.json()["claimed_by"] == "张梧桐"
    assert r.json()["actions"] == ["release", "complete"]
    r = login(client, second).post(url, {"promise": "我也来"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "already_claimed"
    r = client.post(url, {"promise": ""}, content_type="application/json")
    assert r.status_code == 422
    outsider = member(street.grid_b1)
    assert login(client, outsider).post(url, {"promise": "我来"}, content_type="application/json").status_code == 404


def test_exports_are_scoped_and_name_the_claimants(client, street, people):
    a = grid_topic(street.grid_a1)
    services.claim_micro_item(a.micro_items.first(), actor=member(street.grid_a1, display_name="张梧桐"),
                              promise="周末完成")
    services.raise_topic(a, actor=people.insider)
    b = grid_topic(street.grid_b1, title="石库门议题", items=["石库门微事项"])
    services.claim_micro_item(b.micro_items.get(), actor=member(street.grid_b1, display_name="李石库"),
                              promise="石库门承诺")
    login(client, people.insider)
    topics = rows(client.get(reverse("excel:export", args=["grid_topics"])))
    assert len(topics) == 2 and topics[1][4] == "物业管理：屋檐下的微自治" and topics[1][9:12] == (2, 1, 0)
    assert topics[1][12] == a.title  # raised as a deliberation topic
    items = rows(client.get(reverse("excel:export", args=["grid_micro_items"])))
    flat = [str(v) for r in items for v in r]
    assert "张梧桐" in flat and "周末完成" in flat and "李石库" not in flat and "石库门承诺" not in flat
    assert login(client, people.resident).get(reverse("excel:export", args=["grid_topics"])).status_code == 403


def test_workbench_cards(street, people):
    topic = grid_topic(street.grid_a1, items=["楼道堆物清理", "车棚照明", "宣传垃圾分类"])
    m = member(street.grid_a1)
    first, second, third = topic.micro_items.order_by("id")
    services.claim_micro_item(first, actor=m, promise="本周")
    MicroItem.objects.filter(pk=first.pk).update(due_on=today() - timedelta(days=1))  # overdue
    services.claim_micro_item(second, actor=m, promise="下周")  # due in 30 days: not yet on the card
    cards = {c["key"]: c for c in cards_for(m)}
    mine = cards["deliberation.grid_promises"]
    assert (mine["count"], mine["tone"]) == (1, "urgent") and "楼道堆物清理" in mine["items"][0]["text"]
    leader = {c["key"]: c for c in cards_for(people.colleague)}["deliberation.grid_unclaimed"]
    assert leader["count"] == 1 and "宣传垃圾分类" in leader["items"][0]["text"]
    assert "deliberation.grid_unclaimed" not in {c["key"] for c in cards_for(people.insider)}
    assert "deliberation.grid_promises" not in {c["key"] for c in cards_for(people.insider)}  # no claims of theirs
    services.complete_micro_item(first, actor=m, outcome="已完成")
    services.complete_micro_item(second, actor=m, outcome="已完成")
    assert "deliberation.grid_promises" not in {c["key"] for c in cards_for(m)}  # nothing left to do
