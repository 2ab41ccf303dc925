"""No two overlapping instructor terms: ten managers assign an instructor to the same unit at the same moment,
each in its own thread and database connection; exactly one gets it, the others get a field error. Runs on SQLite
and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gongzhi.core.errors import ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.orglife.models import InstructorAssignment
from gongzhi.orglife.services import coverage as services
from tests import factories
from tests.concurrency import run_at_once

N = 10


@pytest.mark.django_db(transaction=True)
def test_one_instructor_at_a_time():
    street = factories.street()
    unit = factories.member_unit(street.grid_a1, headcount=80, is_two_new=True)
    today = timezone.localdate()
    results = run_at_once([lambda i=i: services.assign_instructor(unit.pk, actor=SYSTEM, instructor=f"指导员{i}",
                                                                  assigned_on=today) for i in range(N)])
    made = [r for r in results if isinstance(r, InstructorAssignment)]
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(made) == 1 and len(refused) == N - 1, results
    assert all("assigned_on" in r.field_errors for r in refused)
    assert InstructorAssignment.objects.filter(unit=unit).count() == 1
