"""Concurrent double scoring: one reviewer's same score of one criterion of one entry sent ten times at once, each
in its own thread and database connection, leaves exactly one row (the unique constraint, a row lock and an update).
Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import pytest

from gongzhi.orglife.models import CriterionSource, Reviewer, ReviewScore
from gongzhi.orglife.services import awards as services
from gongzhi.orglife.workflow import RoundState
from tests import factories
from tests.concurrency import run_at_once
from tests.orglife import factories as f

N = 10


@pytest.mark.django_db(transaction=True)
def test_parallel_scores_of_one_criterion_leave_one_row():
    street = factories.street()
    people = factories.personas(street)
    r = f.award_round(street, RoundState.REVIEWING)
    Reviewer.objects.create(round=r, user=people.admin)
    entry = r.entries.get(org=street.org_a)
    criterion = r.criteria.get(source=CriterionSource.SELF)
    results = run_at_once([(lambda i=i: services.score(entry, criterion, actor=people.admin, points=str(20 + i)))
                           for i in range(N)])
    assert all(isinstance(x, ReviewScore) for x in results), results
    row = ReviewScore.objects.get()
    assert 20 <= row.points < 20 + N and ReviewScore.objects.count() == 1
