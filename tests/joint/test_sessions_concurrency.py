"""Duplicate sign-ins at the same moment (two desks, or a double tap) leave one attendance row: the session's row
lock queues them and the unique constraint stands behind it; the others are refused on their field."""

from functools import partial

import pytest

from gongzhi.core.errors import ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.models import Attendance
from gongzhi.joint.services import sessions as services
from tests import factories
from tests.concurrency import run_at_once
from tests.joint import sessions_world as w


@pytest.mark.django_db(transaction=True)
def test_parallel_duplicate_sign_ins_leave_one_row():
    street = factories.street()
    people = factories.personas(street)
    session = w.planned(w.platform(street), people.admin)
    sign = partial(services.sign_in, session.pk, actor=SYSTEM, member_unit=street.unit_a.pk, person_name="院长")
    results = run_at_once([sign] * 6)
    made = [r for r in results if isinstance(r, Attendance)]
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(made) == 1 and len(refused) == 5, results
    assert all("member_unit" in e.field_errors for e in refused)
    assert Attendance.objects.filter(session=session, member_unit=street.unit_a).count() == 1
