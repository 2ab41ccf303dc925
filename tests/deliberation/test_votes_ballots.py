"""Votes (§5): eligibility by scope, one ballot per household, refusals that write nothing, secret ballots kept
apart from their voters, results hidden from everyone until the close, the count against the thresholds, 100
parallel duplicate ballots recording one, and (Hypothesis) tallies that always equal the ballots."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongzhi.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models import (
    Ballot,
    BallotReceipt,
    Topic,
    Vote,
    VoteKind,
    VoteScope,
    VoteTransition,
)
from gongzhi.deliberation.selectors import votes as selectors
from gongzhi.deliberation.services import votes as services
from gongzhi.deliberation.workflows_votes import VoteState
from tests.conftest import login
from tests.deliberation.subjects_votes import estates, vote


@pytest.fixture
def world(street):
    return estates(street)


def written(v: Vote) -> tuple[int, int]:
    return BallotReceipt.objects.filter(vote=v).count(), Ballot.objects.filter(vote=v).count()


# --- preparing and opening ---------------------------------------------------------------------------------------

def test_staff_prepare_a_vote_in_their_scope_only(world, people):
    made = services.create_vote(
        world.topic, actor=people.insider, title="停车收费标准", scope=VoteScope.ESTATE, kind=VoteKind.YES_NO,
        opens_at=timezone.now(), closes_at=timezone.now() + timedelta(days=3))
    assert made.state == VoteState.DRAFT and made.estate == world.estate_a and made.area == world.street.area_a
    assert [o.key for o in made.options.all()] == ["yes", "no", "abstain"]
    assert (made.participation_threshold, made.approval_threshold) == (50, 50)  # the defaults
    assert VoteTransition.objects.get(vote=made).action == "prepare"
    with pytest.raises(NotFound):  # area B's secretary does not even see the topic
        services.create_vote(world.topic, actor=people.outsider, title="x", opens_at=timezone.now(),
                             closes_at=timezone.now() + timedelta(days=1))
    grid_topic = Topic.objects.create(title="楼道堆物", area=world.street.area_a, grid=world.street.grid_a1)
    with pytest.raises(Forbidden):  # the grid leader sees a topic of his grid but does not run deliberation
        services.create_vote(grid_topic, actor=people.colleague, title="x", scope=VoteScope.GRID,
                             grid=world.street.grid_a1, opens_at=timezone.now(),
                             closes_at=timezone.now() + timedelta(days=1))


def test_bad_vote_input_is_refused_field_by_field(world, people):
    with pytest.raises(ValidationFailed) as e:
        services.create_vote(world.topic, actor=people.insider, title="", scope=VoteScope.GRID,
                             grid=world.street.grid_b1, kind=VoteKind.CHOICE, alternatives=["只有一个"],
                             participation_threshold=0, opens_at=timezone.now(),
                             closes_at=timezone.now() - timedelta(hours=1))
    assert set(e.value.field_errors) == {"title", "grid", "alternatives", "participation_threshold", "closes_at"}
    assert not Vote.objects.exists()


def test_opening_counts_the_eligible_households_of_the_scope(world):
    assert vote(world.topic, state="open").eligible_count == 6  # estate A: two buildings of three
    grid = vote(world.topic, scope=VoteScope.GRID, grid=world.street.grid_a1, state="open")
    assert grid.eligible_count == 3
    area = vote(world.topic, scope=VoteScope.AREA, state="open")
    assert area.eligible_count == 6  # area A's households (estate B lies in area B)
    seats = vote(world.topic, scope=VoteScope.SEATS, eligible_seats="书记\n居委会主任\n业委会主任\n物业经理",
                 state="open")
    assert seats.eligible_count == 4


def test_a_vote_nobody_may_vote_in_does_not_open(world, street):
    empty = vote(world.topic, scope=VoteScope.GRID, grid=street.grid_a1)
    from gongzhi.registry.models import Household

    Household.objects.filter(building__region=street.grid_a1).delete()
    with pytest.raises(ValidationFailed):
        services.open_vote(empty, actor=SYSTEM)
    empty.refresh_from_db()
    assert empty.state == VoteState.DRAFT


# --- ballots ------------------------------------------------------------------------------------------------------

def test_one_ballot_per_household_and_refusals_write_nothing(world):
    v = vote(world.topic, state="open")
    home = world.homes_a[0]
    receipt = services.cast_ballot(v, actor=SYSTEM, option="yes", household=home)
    assert receipt.household == home and written(v) == (1, 1)

    with pytest.raises(Conflict) as second:  # a second ballot, even with another choice
        services.cast_ballot(v, actor=SYSTEM, option="no", household=home)
    assert second.value.code == "already_voted"
    with pytest.raises(ValidationFailed) as outside:  # a household of estate B
        services.cast_ballot(v, actor=SYSTEM, option="yes", household=world.homes_b[0])
    assert outside.value.code == "outside_scope"
    with pytest.raises(ValidationFailed) as late:  # after the period
        services.cast_ballot(v, actor=SYSTEM, option="yes", household=world.homes_a[1],
                             now=v.closes_at + timedelta(seconds=1))
    assert late.value.code == "outside_period"
    with pytest.raises(ValidationFailed):  # before it
        services.cast_ballot(v, actor=SYSTEM, option="yes", household=world.homes_a[1],
                             now=v.opens_at - timedelta(seconds=1))
    with pytest.raises(ValidationFailed):  # an option the vote does not have
        services.cast_ballot(v, actor=SYSTEM, option="maybe", household=world.homes_a[1])
    assert written(v) == (1, 1)


def test_a_draft_or_closed_vote_takes_no_ballot(world):
    draft = vote(world.topic)
    with pytest.raises(ValidationFailed):
        services.cast_ballot(draft, actor=SYSTEM, option="yes", household=world.homes_a[0])
    closed = vote(world.topic, state="open", days_ago=10, closes_at=timezone.now() - timedelta(days=1))
    services.close_vote(closed, actor=SYSTEM)
    with pytest.raises(ValidationFailed):
        services.cast_ballot(closed, actor=SYSTEM, option="yes", household=world.homes_a[0])
    assert written(draft) == written(closed) == (0, 0)


def test_a_resident_votes_only_for_a_household_of_their_proven_phone(world):
    v = vote(world.topic, state="open")
    with pytest.raises(Forbidden):  # another household's phone
        services.cast_ballot(v, actor=services.RESIDENT, option="yes", household=world.homes_a[1],
                             proven_phone=world.homes_a[0].phone)
    world.homes_a[1].other_phone = world.homes_a[0].phone  # the same person registered as the other phone
    world.homes_a[1].save()
    services.cast_ballot(v, actor=services.RESIDENT, option="yes", household=world.homes_a[1],
                         proven_phone=world.homes_a[0].phone)
    assert BallotReceipt.objects.get(vote=v).channel == "h5"


def test_seats_are_recorded_by_staff_once_each(world, people):
    v = vote(world.topic, scope=VoteScope.SEATS, eligible_seats="书记\n居委会主任", state="open")
    services.cast_ballot(v, actor=people.insider, option="yes", seat="书记")
    with pytest.raises(Conflict):
        services.cast_ballot(v, actor=people.insider, option="no", seat="书记")
    with pytest.raises(ValidationFailed):
        services.cast_ballot(v, actor=people.insider, option="no", seat="路人")
    with pytest.raises(Forbidden):
        services.cast_ballot(v, actor=services.RESIDENT, option="no", seat="居委会主任")
    assert BallotReceipt.objects.filter(vote=v).values_list("seat", flat=True).get() == "书记"


# --- secret ballots and hidden results --------------------------------------------------------------------------

def test_a_secret_vote_keeps_who_voted_apart_from_what_they_chose(world):
    secret = vote(world.topic, state="open", secret=True)
    open_ = vote(world.topic, state="open", title="公开表决")
    for v in (secret, open_):
        services.cast_ballot(v, actor=SYSTEM, option="no", household=world.homes_a[0])
    choice = Ballot.objects.get(vote=secret)
    assert choice.receipt_id is None and not hasattr(choice, "cast_at")
    assert {f.name for f in Ballot._meta.concrete_fields} == {"id", "vote", "option", "receipt"}
    assert not hasattr(Ballot, "history")  # no audit row could carry a time or a user either
    assert Ballot.objects.get(vote=open_).receipt.household == world.homes_a[0]


def test_results_are_hidden_from_everyone_until_the_close(world, people, client):
    v = vote(world.topic, state="open", secret=True)
    services.cast_ballot(v, actor=SYSTEM, option="yes", household=world.homes_a[0])
    services.cast_ballot(v, actor=SYSTEM, option="no", household=world.homes_a[1])
    v.refresh_from_db()
    assert selectors.results(v) is None and not selectors.receipts(v).exists()
    assert (v.ballots_cast, v.tally, v.result) == (None, {}, "")  # nothing counted is even stored
    for user in (people.admin, people.insider):  # the sub-district administrator included
        login(client, user)
        page = client.get(reverse("deliberation:votes_detail", args=[v.pk])).content.decode()
        assert 'id="tally"' not in page and 'id="ballots-cast"' not in page and 'id="receipts"' not in page
        data = client.get(f"/api/v1/deliberation/votes/{v.pk}").json()
        assert data["results"] is None and data["state"] == "open"
        listed = client.get("/api/v1/deliberation/votes").json()
        assert [row["results"] for row in listed["items"]] == [None]
    h5 = client.get(reverse("deliberation:votes_h5_vote", args=[v.pk])).content.decode()
    assert 'id="tally"' not in h5

    services.close_vote(v, actor=SYSTEM, now=v.closes_at)
    v.refresh_from_db()
    found = selectors.results(v)
    assert (found.cast, found.eligible) == (2, 6) and dict((k, n) for k, _l, n, _p in found.rows) == {
        "yes": 1, "no": 1, "abstain": 0}
    login(client, people.insider)
    page = client.get(reverse("deliberation:votes_detail", args=[v.pk])).content.decode()
    assert 'id="tally"' in page and 'id="receipts"' in page
    assert client.get(f"/api/v1/deliberation/votes/{v.pk}").json()["results"]["tally"] == {
        "yes": 1, "no": 1, "abstain": 0}


# --- closing and counting ---------------------------------------------------------------------------------------

def _closed(world, choices: list[str], **kw) -> Vote:
    v = vote(world.topic, state="open", **kw)
    for home, choice in zip(world.homes_a, choices, strict=False):
        services.cast_ballot(v, actor=SYSTEM, option=choice, household=home)
    return services.close_vote(v, actor=SYSTEM, now=v.closes_at)


def test_closing_computes_participation_and_approval(world):
    passed = _closed(world, ["yes", "yes", "no"])  # 3 of 6 voted (50% ≥ 50%), 2 of 3 approve (> 50%)
    assert (passed.result, passed.eligible_count, passed.ballots_cast) == ("passed", 6, 3)
    assert passed.tally == {"yes": 2, "no": 1, "abstain": 0} and passed.closed_at is not None
    assert passed.transitions.last().action == "close"
    half = _closed(world, ["yes", "no", "abstain", "yes"])  # 2 of 4 approve: not more than half
    assert half.result == "failed" and not selectors.results(half).approval_met
    few = _closed(world, ["yes", "yes"])  # 2 of 6 voted: participation not reached
    assert few.result == "failed" and not selectors.results(few).participation_met
    lower = _closed(world, ["yes", "yes"], participation_threshold=30)
    assert lower.result == "passed"


def test_a_choice_among_alternatives_is_won_by_a_majority(world):
    v = _closed(world, ["alt1", "alt1", "alt2", "alt1"], kind=VoteKind.CHOICE,
                alternatives=["划线停车", "错时停车", "地下车库"])
    assert v.result == "passed" and v.winner.label == "划线停车"
    tie = _closed(world, ["alt1", "alt2", "alt1", "alt2"], kind=VoteKind.CHOICE, alternatives=["甲方案", "乙方案"])
    assert tie.result == "failed" and tie.winner is None


def test_an_online_vote_closes_only_after_its_period_a_meeting_motion_when_counted(world, street, people):
    v = vote(world.topic, state="open")
    with pytest.raises(Conflict):
        services.close_vote(v, actor=people.insider)
    from gongzhi.deliberation.models import Meeting

    meeting = Meeting.objects.create(topic=world.topic, kind="hearing", title="停车听证会",
                                     starts_at=timezone.now(), convener=people.insider)
    motion = vote(world.topic, state="open", meeting=meeting, title="听证会动议")
    services.cast_ballot(motion, actor=people.insider, option="yes", household=world.homes_a[0])
    assert services.close_vote(motion, actor=people.insider).state == VoteState.CLOSED
    with pytest.raises(InvalidTransition):
        services.close_vote(motion, actor=people.insider)


def test_cancelling_needs_a_reason_and_the_due_job_closes_what_is_over(world, people):
    v = vote(world.topic, state="open")
    with pytest.raises(ValidationFailed):
        services.cancel_vote(v, actor=people.insider, reason="")
    assert services.cancel_vote(v, actor=people.insider, reason="方案需重新听证").state == VoteState.CANCELLED
    over = vote(world.topic, state="open", days_ago=9, closes_at=timezone.now() - timedelta(days=1))
    running = vote(world.topic, state="open", title="还在投票")
    assert [x.pk for x in services.close_due_votes()] == [over.pk]
    running.refresh_from_db()
    assert running.state == VoteState.OPEN


# --- concurrency and property ----------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_100_parallel_duplicate_ballots_record_exactly_one(street):
    world = estates(street, homes_per_building=1)
    v = vote(world.topic, state="open")
    home = world.homes_a[0]
    barrier = threading.Barrier(100)
    outcomes: list[str] = []
    lock = threading.Lock()

    def cast(option: str) -> None:
        barrier.wait()
        try:
            for attempt in range(1000):  # SQLite answers "locked" while another thread writes: try again
                try:
                    services.cast_ballot(v.pk, actor=SYSTEM, option=option, household=home.pk)
                    result = "recorded"
                except Conflict:
                    result = "refused"
                except Exception as e:  # noqa: BLE001 (only the database's write lock is retried)
                    if "locked" not in str(e):
                        raise
                    time.sleep(min(0.2, 0.005 * (1 + attempt)) * random.random())
                    continue
                break
            else:
                result = "gave up"
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=("yes" if i % 2 else "no",)) for i in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Counter(outcomes) == {"recorded": 1, "refused": 99}
    assert written(v) == (1, 1)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ballots=st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["yes", "no", "abstain"])), max_size=20),
       secret=st.booleans())
def test_tallies_equal_the_ballots(street, ballots, secret):
    with transaction.atomic():
        world = estates(street)
        v = vote(world.topic, state="open", secret=secret)
        first: dict[int, str] = {}
        for index, option in ballots:
            try:
                services.cast_ballot(v, actor=SYSTEM, option=option, household=world.homes_a[index])
            except Conflict:
                assert index in first  # refused only as a second ballot
                continue
            first[index] = option
        closed = services.close_vote(v, actor=SYSTEM, now=v.closes_at)
        expected = Counter(first.values())
        assert closed.tally == {key: expected.get(key, 0) for key in ("yes", "no", "abstain")}
        assert closed.ballots_cast == len(first) == sum(closed.tally.values())
        assert closed.eligible_count == 6
        assert closed.result == ("passed" if len(first) * 100 >= 50 * 6 and expected["yes"] * 2 > len(first)
                                 else "failed")
        transaction.set_rollback(True)


def test_the_command_closes_the_votes_whose_period_is_over(world):
    from io import StringIO

    from django.core.management import call_command

    over = vote(world.topic, state="open", days_ago=9, closes_at=timezone.now() - timedelta(days=1))
    out = StringIO()
    call_command("close_due_votes", stdout=out)
    over.refresh_from_db()
    assert over.state == VoteState.CLOSED and over.result == "failed" and "1 vote(s)" in out.getvalue()
