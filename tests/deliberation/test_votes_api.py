"""The votes API under /api/v1/deliberation/: scoped lists and details (no counts before the close), ballots with
their JSON refusals (409 a second ballot, 422 outside the period or the scope, 403 not the caller's household),
conventions with their versions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gongzhi.accounts import services as account_services
from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models import Ballot, BallotReceipt, VoteScope
from gongzhi.deliberation.services import votes as services
from tests.deliberation.subjects_votes import estates, vote

API = "/api/v1/deliberation"


@pytest.fixture
def world(street):
    return estates(street)


def bearer(user) -> dict:
    _, key = account_services.issue_token(user, actor=SYSTEM, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post_ballot(client, v, auth, **body):
    return client.post(f"{API}/votes/{v.pk}/ballots", body, content_type="application/json", **auth)


def test_lists_and_details_are_scoped_and_count_nothing_before_the_close(world, people, client):
    v = vote(world.topic, state="open", secret=True)
    services.cast_ballot(v, actor=SYSTEM, option="yes", household=world.homes_a[0])
    insider, outsider = bearer(people.insider), bearer(people.outsider)
    listed = client.get(f"{API}/votes", **insider).json()
    assert [row["id"] for row in listed["items"]] == [v.pk]
    row = listed["items"][0]
    assert row["results"] is None and row["eligible_count"] == 6 and row["actions"] == ["cancel"]
    assert [o["key"] for o in row["options"]] == ["yes", "no", "abstain"]
    assert client.get(f"{API}/votes", **outsider).json()["items"] == []
    assert client.get(f"{API}/votes/{v.pk}", **outsider).status_code == 404
    assert client.get(f"{API}/votes/{v.pk}", **bearer(people.admin)).json()["results"] is None
    assert client.get(f"{API}/votes").status_code == 401


def test_ballots_and_their_refusals(world, people, client):
    v = vote(world.topic, state="open")
    staff = bearer(people.insider)
    ok = post_ballot(client, v, staff, option="yes", household_id=world.homes_a[0].pk)
    assert ok.status_code == 201 and ok.json()["household_id"] == world.homes_a[0].pk
    assert ok.json()["channel"] == "api"

    second = post_ballot(client, v, staff, option="no", household_id=world.homes_a[0].pk)
    assert second.status_code == 409 and second.json()["code"] == "already_voted"
    outside = post_ballot(client, v, staff, option="yes", household_id=world.homes_b[0].pk)
    assert outside.status_code == 422 and outside.json()["code"] == "outside_scope"
    assert "household" in outside.json()["errors"]
    bad_option = post_ballot(client, v, staff, option="maybe", household_id=world.homes_a[1].pk)
    assert bad_option.status_code == 422 and "option" in bad_option.json()["errors"]
    not_mine = post_ballot(client, v, bearer(people.resident), option="yes", household_id=world.homes_a[1].pk)
    assert not_mine.status_code == 403
    assert post_ballot(client, v, staff, option="yes", household_id=999999).status_code == 422

    over = vote(world.topic, state="open", days_ago=9, closes_at=timezone.now() - timedelta(days=1))
    late = post_ballot(client, over, staff, option="yes", household_id=world.homes_a[1].pk)
    assert late.status_code == 422 and late.json()["code"] == "outside_period"
    draft = vote(world.topic)
    assert post_ballot(client, draft, bearer(people.resident), option="yes",
                       household_id=world.homes_a[1].pk).status_code == 404
    assert BallotReceipt.objects.count() == Ballot.objects.count() == 1


def test_a_resident_account_with_a_verified_phone_votes_for_its_household(world, people, client):
    resident = people.resident
    resident.phone, resident.phone_verified_at = world.homes_a[1].phone, timezone.now()
    resident.save()
    v = vote(world.topic, scope=VoteScope.GRID, grid=world.street.grid_a1, state="open")
    r = post_ballot(client, v, bearer(resident), option="no", household_id=world.homes_a[1].pk)
    assert r.status_code == 201 and BallotReceipt.objects.get().recorded_by == resident


def test_results_after_the_close(world, people, client):
    v = vote(world.topic, state="open", days_ago=9, closes_at=timezone.now() - timedelta(days=1))
    for home in world.homes_a[:4]:
        services.cast_ballot(v, actor=SYSTEM, option="yes", household=home, now=v.opens_at)
    services.close_vote(v, actor=SYSTEM)
    data = client.get(f"{API}/votes/{v.pk}", **bearer(people.colleague)).json()  # the estate's grids: not his
    assert data["code"] == "not_found"
    grid_vote = vote(world.topic, scope=VoteScope.GRID, grid=world.street.grid_a1, state="open", days_ago=9,
                     closes_at=timezone.now() - timedelta(days=1))
    services.close_vote(grid_vote, actor=SYSTEM)
    seen = client.get(f"{API}/votes/{grid_vote.pk}", **bearer(people.colleague)).json()
    assert seen["state"] == "closed" and seen["results"]["cast"] == 0 and seen["results"]["passed"] is False
    results = client.get(f"{API}/votes/{v.pk}", **bearer(people.insider)).json()["results"]
    assert results["tally"] == {"yes": 4, "no": 0, "abstain": 0} and results["passed"] is True
    assert (results["eligible"], results["cast"], results["participation"]) == (6, 4, 66.7)


def test_conventions_with_their_versions(world, people, client):
    c = services.create_convention(world.topic, actor=SYSTEM, title="大西别墅居民公约", text="一、文明停车。")
    services.revise_convention(c, actor=SYSTEM, text="一、文明停车。\n二、垃圾分类。", note="增加一条")
    listed = client.get(f"{API}/conventions", **bearer(people.insider)).json()["items"]
    assert [(x["id"], x["state"], x["signatures"]) for x in listed] == [(c.pk, "draft", 0)]
    detail = client.get(f"{API}/conventions/{c.pk}", **bearer(people.admin)).json()
    assert [v["number"] for v in detail["versions"]] == [1, 2] and detail["versions"][1]["note"] == "增加一条"
    assert client.get(f"{API}/conventions/{c.pk}", **bearer(people.outsider)).status_code == 404
    assert client.get(f"{API}/conventions", **bearer(people.resident)).status_code == 403
