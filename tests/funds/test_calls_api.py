"""The calls API under /api/v1/funds/ over HTTP (the test client, bearer tokens): scoped lists and details with
the caller's `actions`, and the proposal actions with their JSON refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongzhi.accounts import services as account_services
from gongzhi.core.workflow import SYSTEM
from gongzhi.funds.models import Call, LedgerEntry
from tests.funds import factories_calls as f

API = "/api/v1/funds"


def bearer(user) -> dict:
    _, key = account_services.issue_token(user, actor=SYSTEM, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, url, auth, **body):
    return client.post(url, body, content_type="application/json", **auth)


@pytest.fixture
def world(street):
    fund = f.fund(street.area_a, amount="5000")
    call = f.call(fund, "reviewing", budget="3000", selection="council", title="梧桐征集")
    other = f.call(f.fund(street.area_b, amount="1000"), "reviewing", budget="1000", title="石库门征集")
    return call, other


def test_lists_and_details_are_scoped_and_carry_the_callers_actions(client, people, world):
    call, other = world
    p = f.proposal(call, "submitted", title="健康小屋")
    f.proposal(other, "submitted", title="石库门提案")
    insider, outsider = bearer(people.insider), bearer(people.outsider)
    calls = client.get(f"{API}/calls", **insider).json()
    assert [c["id"] for c in calls["items"]] == [call.pk]
    assert calls["items"][0]["totals"]["asked"] == "1050.00" and "start_selection" not in calls["items"][0]["actions"]
    rows = client.get(f"{API}/proposals", {"state": "submitted"}, **insider).json()["items"]
    assert [r["id"] for r in rows] == [p.pk]
    row = rows[0]
    assert row["actions"] == ["review", "decline", "withdraw"] and row["asked"] == "1050.00"
    assert row["contact_phone"] == "139****5678" and [line["item"] for line in row["budget_lines"]] == ["桌椅", "油漆"]
    assert client.get(f"{API}/proposals/{p.pk}", **outsider).status_code == 404
    assert client.get(f"{API}/calls/{call.pk}", **outsider).status_code == 404
    assert client.get(f"{API}/calls", **bearer(people.colleague)).status_code == 403
    assert client.get(f"{API}/calls").status_code == 401
    assert client.get(f"{API}/proposals/{p.pk}", **bearer(people.admin)).json()["actions"] == [
        "review", "decline", "withdraw"]


def test_review_decide_and_grant_over_http_with_their_refusals(client, people, world):
    call, _other = world
    p = f.proposal(call, "submitted")
    chairs, paint = p.budget_lines.order_by("position")
    auth = bearer(people.insider)
    r = post(client, f"{API}/proposals/{p.pk}/review", auth, approved_lines={chairs.pk: "900", paint.pk: "450"},
             note="可行")
    assert r.status_code == 422 and f"line_{chairs.pk}" in r.json()["errors"]
    r = post(client, f"{API}/proposals/{p.pk}/review", bearer(people.outsider),
             approved_lines={chairs.pk: "600", paint.pk: "450"}, note="可行")
    assert r.status_code == 404
    r = post(client, f"{API}/proposals/{p.pk}/review", auth, approved_lines={chairs.pk: "600", paint.pk: "400"},
             note="油漆核减")
    assert r.status_code == 200 and r.json()["state"] == "feasible" and r.json()["approved_amount"] == "1000.00"
    r = post(client, f"{API}/proposals/{p.pk}/decide", auth, selected=True)
    assert r.status_code == 409  # the call is not selecting yet
    Call.objects.filter(pk=call.pk).update(state="selecting")
    r = post(client, f"{API}/proposals/{p.pk}/decide", auth, selected=False)
    assert r.status_code == 422 and "note" in r.json()["errors"]
    r = post(client, f"{API}/proposals/{p.pk}/decide", auth, selected=True, note="议事会通过")
    assert r.status_code == 200 and r.json()["state"] == "selected" and r.json()["actions"] == []
    Call.objects.filter(pk=call.pk).update(state="granting")
    assert client.get(f"{API}/proposals/{p.pk}", **auth).json()["actions"] == ["grant"]
    r = post(client, f"{API}/proposals/{p.pk}/grant", auth)
    assert r.status_code == 200 and r.json()["state"] == "granted"
    assert LedgerEntry.objects.get(proposal_id=p.pk).amount == Decimal("-1000.00")
    assert post(client, f"{API}/proposals/{p.pk}/grant", auth).status_code == 409


def test_a_grant_the_fund_cannot_cover_is_a_422_and_writes_nothing(client, people, street):
    fund = f.fund(street.area_a, amount="1000")
    call = f.call(fund, "granting", budget="1000", selection="council")
    p = f.proposal(call, "selected")  # 1050 approved: more than the fund and the budget hold
    r = post(client, f"{API}/proposals/{p.pk}/grant", bearer(people.insider))
    assert r.status_code == 422 and "amount" in r.json()["errors"]
    assert not LedgerEntry.objects.filter(proposal=p).exists()
    p.refresh_from_db()
    assert p.state == "selected"


def test_a_proposal_is_put_to_a_household_vote_and_its_result_applied_over_http(client, people, street):
    from datetime import timedelta

    from django.utils import timezone

    from gongzhi.deliberation.models import Vote
    from gongzhi.deliberation.services import votes as vote_services

    call = f.call(f.fund(street.area_a, amount="5000"), "selecting", budget="3000", selection="vote")
    p = f.proposal(call, "feasible", title="楼道歇歇椅")
    homes = f.households(street.grid_a1, 2)
    auth, url = bearer(people.insider), f"{API}/proposals/{p.pk}/vote"
    assert "put_to_vote" in client.get(f"{API}/proposals/{p.pk}", **auth).json()["actions"]
    now = timezone.now()
    later = (now + timedelta(days=7)).isoformat()
    r = post(client, url, auth, opens_at=now.isoformat(), closes_at=(now - timedelta(hours=1)).isoformat())
    assert r.status_code == 422 and "closes_at" in r.json()["errors"]  # closes before it opens
    for bad in ("2026-05-01T09:00:00", "0001-01-01T00:00:00+14:00", 1767225600):  # no offset, a far year, seconds
        r = post(client, url, auth, opens_at=bad, closes_at=later)
        assert r.status_code == 422 and "opens_at" in str(r.json()["errors"]), bad
    r = post(client, url, auth, opens_at=now.isoformat(), closes_at=later, participation_threshold=0)
    assert r.status_code == 422 and "participation_threshold" in str(r.json()["errors"])
    assert not Vote.objects.exists()
    assert post(client, url, bearer(people.outsider), opens_at=now.isoformat(), closes_at=later).status_code == 404

    r = post(client, url, auth, opens_at=now.isoformat(), closes_at=later, approval_threshold=60,
             description="同意请投“同意”。")
    assert r.status_code == 200, r.content
    vote = Vote.objects.get(pk=r.json()["vote_id"])
    assert vote.state == "open" and vote.approval_threshold == 60 and vote.area == street.area_a
    assert "put_to_vote" not in r.json()["actions"]
    assert post(client, url, auth, opens_at=now.isoformat(), closes_at=later).status_code == 409  # one vote

    result = f"{API}/proposals/{p.pk}/vote-result"
    assert client.post(result, **auth).status_code == 409  # the vote is still open
    for home in homes:
        vote_services.cast_ballot(vote, actor=SYSTEM, option="yes", household=home)
    Vote.objects.filter(pk=vote.pk).update(opens_at=now - timedelta(days=7), closes_at=now - timedelta(seconds=1))
    vote_services.close_vote(vote.pk, actor=SYSTEM)
    r = client.post(result, **auth)
    assert r.status_code == 200 and r.json()["state"] == "selected"
    assert client.post(result, **auth).status_code == 409
