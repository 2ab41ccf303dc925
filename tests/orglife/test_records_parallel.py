"""One appraisal per member and year: two staff record the same member's result for the same year at the same
moment, each in its own thread and database connection; exactly one row is left (the constraint and the row lock:
the later entry updates it). Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gongzhi.orglife.models import Appraisal
from gongzhi.orglife.services import records as services
from tests import factories
from tests.concurrency import run_at_once


@pytest.mark.django_db(transaction=True)
def test_two_parallel_entries_of_one_members_year_leave_one_row():
    street = factories.street()
    people = factories.personas(street)
    year = timezone.localdate().year - 1
    results = run_at_once([
        lambda: services.record_appraisal(street.member_a.pk, actor=people.insider, year=year, result="excellent"),
        lambda: services.record_appraisal(street.member_a.pk, actor=people.admin, year=year, result="qualified"),
    ])
    assert all(isinstance(r, Appraisal) for r in results), results
    rows = list(Appraisal.objects.filter(member=street.member_a, year=year))
    assert len(rows) == 1 and rows[0].result in ("excellent", "qualified")
