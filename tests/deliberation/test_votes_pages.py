"""The staff pages of votes: preparing a vote with the default thresholds stated, the list (search, filters, htmx),
opening, recording a paper ballot, closing and the printable result notice; the workbench card of votes closing
soon, the Excel list of results (no count before the close) and the menu entries."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongzhi.core.masking import mask
from gongzhi.core.navigation import menu_for
from gongzhi.core.workbench import cards_for
from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models import BallotReceipt, Vote
from gongzhi.deliberation.services import votes as services
from tests.conftest import login
from tests.deliberation.subjects_votes import estates, vote

FMT = "%Y-%m-%dT%H:%M"


@pytest.fixture
def world(street):
    return estates(street)


def test_preparing_a_vote_states_the_defaults_and_shows_field_errors(world, people, client):
    login(client, people.insider)
    url = reverse("deliberation:votes_create")
    form = client.get(url, {"topic": world.topic.pk})
    text = form.content.decode()
    assert form.status_code == 200 and 'id="default-rules"' in text and "50%" in text
    assert form.context["form"].initial["estate"] == world.estate_a.pk
    start = timezone.localtime() + timedelta(hours=1)
    data = {"topic": world.topic.pk, "title": "停车收费标准", "scope": "estate", "estate": world.estate_a.pk,
            "kind": "yes_no", "participation_threshold": 50, "approval_threshold": 50,
            "opens_at": start.strftime(FMT), "closes_at": (start - timedelta(hours=2)).strftime(FMT)}
    bad = client.post(url, data)
    assert bad.status_code == 422 and bad.context["form"].errors["closes_at"] and not Vote.objects.exists()
    data["closes_at"] = (start + timedelta(days=5)).strftime(FMT)
    ok = client.post(url, {**data, "is_secret": "on"})
    made = Vote.objects.get()
    assert ok.status_code == 302 and ok.url == reverse("deliberation:votes_detail", args=[made.pk])
    assert made.is_secret and made.state == "draft" and made.created_by == people.insider
    edit = reverse("deliberation:votes_edit", args=[made.pk])
    client.post(edit, {**data, "title": "停车收费标准（修改）"})
    made.refresh_from_db()
    assert made.title == "停车收费标准（修改）" and not made.is_secret
    assert login(client, people.colleague).get(url).status_code == 403


def test_the_list_searches_filters_and_answers_htmx(world, people, client):
    open_ = vote(world.topic, state="open", title="停车收费标准")
    vote(world.topic, title="垃圾分类时间")
    login(client, people.insider)
    url = reverse("deliberation:votes_list")
    assert [v.pk for v in client.get(url, {"q": "收费"}).context["page"]] == [open_.pk]
    assert [v.pk for v in client.get(url, {"state": "open"}).context["page"]] == [open_.pk]
    assert client.get(url, {"state": "nonsense"}).status_code == 400
    partial = client.get(url, {"q": "垃圾"}, headers={"HX-Request": "true"}).content.decode()
    assert "垃圾分类时间" in partial and "<html" not in partial
    assert login(client, people.outsider).get(url).context["page"].paginator.count == 0


def test_open_record_close_and_print(world, people, client):
    v = vote(world.topic, title="停车收费标准", days_ago=0)
    login(client, people.insider)
    detail = reverse("deliberation:votes_detail", args=[v.pk])
    step = reverse("deliberation:votes_transition", args=[v.pk])
    assert 'id="action-open"' in client.get(detail).content.decode()
    client.post(step, {"action": "open"})
    v.refresh_from_db()
    assert v.state == "open" and v.eligible_count == 6
    home = world.homes_a[0]
    client.post(reverse("deliberation:votes_record_ballot", args=[v.pk]),
                {"building": home.building.name, "room": home.room, "option": "no"})
    receipt = BallotReceipt.objects.get(vote=v)
    assert (receipt.household, receipt.channel, receipt.recorded_by) == (home, "staff", people.insider)
    client.post(reverse("deliberation:votes_record_ballot", args=[v.pk]),
                {"building": "不存在的楼", "room": "101", "option": "yes"})
    assert BallotReceipt.objects.filter(vote=v).count() == 1
    page = client.get(detail).content.decode()
    assert 'id="action-close"' not in page and 'id="tally"' not in page  # an online vote runs its period
    client.post(step, {"action": "close"})
    v.refresh_from_db()
    assert v.state == "open"
    Vote.objects.filter(pk=v.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    client.post(step, {"action": "close"})
    v.refresh_from_db()
    assert v.state == "closed" and v.result == "failed" and v.tally["no"] == 1
    notice = client.get(reverse("deliberation:votes_print", args=[v.pk])).content.decode()
    assert 'id="notice"' in notice and 'id="tally"' in notice and "停车收费标准" in notice
    page = client.get(detail).content.decode()
    # who voted, with names masked like every personal datum until revealed with a reason
    assert 'id="receipts"' in page and mask("name", home.head_name) in page and home.head_name not in page
    login(client, people.colleague)  # the grid leader sees the estate's vote? not his grid: 404
    assert client.get(detail).status_code == 404


def test_a_cancel_needs_a_reason(world, people, client):
    v = vote(world.topic, state="open")
    login(client, people.insider)
    step = reverse("deliberation:votes_transition", args=[v.pk])
    client.post(step, {"action": "cancel", "note": ""})
    v.refresh_from_db()
    assert v.state == "open"
    client.post(step, {"action": "cancel", "note": "方案需重新听证"})
    v.refresh_from_db()
    assert v.state == "cancelled" and v.cancel_reason == "方案需重新听证"


def test_the_workbench_card_lists_votes_closing_soon_in_scope(world, people, street):
    soon = vote(world.topic, state="open", days_ago=5, closes_at=timezone.now() + timedelta(days=1), title="即将截止")
    vote(world.topic, state="open", title="下周截止", closes_at=timezone.now() + timedelta(days=10))
    cards = {c["key"]: c for c in cards_for(people.insider)}
    card = cards["deliberation.votes_closing"]
    assert card["count"] == 1 and card["items"][0]["url"] == reverse("deliberation:votes_detail", args=[soon.pk])
    assert {c["key"]: c for c in cards_for(people.outsider)}["deliberation.votes_closing"]["count"] == 0
    assert "deliberation.votes_closing" not in {c["key"] for c in cards_for(people.colleague)}  # nothing for him
    assert "deliberation.votes_closing" not in {c["key"] for c in cards_for(people.resident)}


def test_the_results_export_writes_no_count_before_the_close(world, people, client):
    running = vote(world.topic, state="open", title="进行中的表决")
    services.cast_ballot(running, actor=SYSTEM, option="yes", household=world.homes_a[0])
    done = vote(world.topic, state="open", days_ago=9, closes_at=timezone.now() - timedelta(days=1), title="已结束的表决")
    for home in world.homes_a[:4]:
        services.cast_ballot(done, actor=SYSTEM, option="yes", household=home, now=done.opens_at)
    services.close_vote(done, actor=SYSTEM)
    login(client, people.admin)
    data = client.get(reverse("excel:export", args=["vote-results"])).content
    ws = load_workbook(io.BytesIO(data)).active
    header, *rows = list(ws.iter_rows(values_only=True))
    by_title = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_title["进行中的表决"]["实投数"] is None and by_title["进行中的表决"]["各选项票数"] is None
    assert by_title["已结束的表决"]["实投数"] == 4 and by_title["已结束的表决"]["结果"] == "通过"
    assert load_workbook(io.BytesIO(login(client, people.outsider).get(
        reverse("excel:export", args=["vote-results"])).content)).active.max_row == 1  # only the header


def test_the_menu_has_votes_and_conventions_for_deliberation_viewers(people, street):
    def names(user):
        return {i["name"] for g in menu_for(user) for i in g["items"]}

    assert {"deliberation:votes_list", "deliberation:votes_convention_list"} <= names(people.colleague)
    assert not {"deliberation:votes_list", "deliberation:votes_convention_list"} & names(people.resident)
