"""No overbooking: 30 volunteers sign up for the last place of a shift at the same moment, each in its own thread
and database connection; exactly one is confirmed, the 29 others are told the shift is full, and nothing else is
written. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import pytest

from gongzhi.accounts.roles import Role
from gongzhi.core.errors import Conflict
from gongzhi.volunteering.models import SignUp, SignUpTransition
from gongzhi.volunteering.services import activities as services
from gongzhi.volunteering.workflow import SignUpState
from tests import factories
from tests.concurrency import run_at_once
from tests.volunteering import factories as vf

N = 30


@pytest.mark.django_db(transaction=True)
def test_thirty_parallel_sign_ups_for_the_last_place_give_exactly_one():
    street = factories.street()
    shift = vf.activity(street.area_a, capacity=3).shifts.get()
    for _i in range(2):
        vf.signup(shift)
    users = []
    for i in range(N):
        u = factories.user(f"vol{i}", Role.RESIDENT, street.grid_a1)
        vf.volunteer(street.area_a, user=u)
        users.append(u)
    results = run_at_once([(lambda u=u: services.sign_up(shift, actor=u)) for u in users])
    won = [r for r in results if isinstance(r, SignUp)]
    lost = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 1 and len(lost) == N - 1, [r for r in results if not isinstance(r, SignUp | Conflict)]
    assert {e.code for e in lost} == {"shift_full"}
    assert SignUp.objects.filter(shift=shift, state=SignUpState.CONFIRMED).count() == 3
    assert SignUp.objects.count() == 3 and SignUpTransition.objects.count() == 1
