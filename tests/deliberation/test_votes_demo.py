"""The votes part's demo: seed 003's parking rules as an open household vote with ballots cast on phones, and a
convention like seed 004's adopted by a closed vote, in force and signed; quick to seed."""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from gongzhi.deliberation.models import BallotReceipt, ResidentConvention, TopicCosign, Vote
from gongzhi.deliberation.selectors import votes as selectors
from tests.dbutil import settle_constraints


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    from gongzhi.demo import run_seed
    from gongzhi.demo.deliberation import votes as demo_votes

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            ctx = run_seed(steps=["registry"])
            started = time.perf_counter()
            demo_votes.seed(ctx)
            settle_constraints()  # tests/dbutil.py
            yield ctx, time.perf_counter() - started
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.django_db
def test_the_parking_rules_are_an_open_household_vote_with_ballots(seeded):
    ctx, seconds = seeded
    parking = Vote.objects.get(state="open", title__contains="停车管理办法")
    assert parking.scope == "estate" and parking.estate is not None and parking.topic.state == "hearing"
    cast = BallotReceipt.objects.filter(vote=parking)
    assert 0 < cast.count() < parking.eligible_count and {r.channel for r in cast} == {"h5"}
    assert selectors.results(parking) is None  # still open: nothing counted
    assert TopicCosign.objects.filter(topic__source="residents").count() == 4
    resident = ctx.users["resident1"]
    resident.refresh_from_db()
    mine = selectors.my_ballots(parking, resident.phone)
    assert mine and not any(row["voted"] for row in mine)  # the demo resident can still vote
    print(f"votes demo seeded in {seconds:.1f} s")


@pytest.mark.django_db
def test_a_convention_adopted_by_a_closed_vote_with_signing_households(seeded):
    convention = ResidentConvention.objects.get(title__endswith="居民公约")
    assert convention.state == "adopted" and convention.versions.count() == 2
    in_force = convention.version_in_force()
    adopting = in_force.adopted_by
    assert in_force.number == 2 and adopting.state == "closed" and adopting.result == "passed"
    assert adopting.convention_version == in_force and convention.effective_on
    assert selectors.results(adopting).participation_met
    assert 0 < convention.signatures.count() <= adopting.eligible_count
    assert "巡逻" in in_force.text and "巡逻" not in convention.versions.get(number=1).text
