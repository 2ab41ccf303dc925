"""A user's first sign-ups at the same moment (two taps, two devices): each in its own thread and database
connection, every one gets the same Volunteer and exactly one is made. Runs on SQLite and on PostgreSQL
(DATABASE_URL)."""

import pytest

from gongzhi.accounts.roles import Role
from gongzhi.volunteering.models import Volunteer
from gongzhi.volunteering.services.volunteers import get_or_create_volunteer_for
from tests import factories
from tests.concurrency import run_at_once

N = 12


@pytest.mark.django_db(transaction=True)
def test_parallel_first_sign_ups_make_exactly_one_volunteer():
    street = factories.street()
    user = factories.user("resident", Role.RESIDENT, street.grid_a1, display_name="王阿姨")
    results = run_at_once([lambda: get_or_create_volunteer_for(user, actor=user, consent=True)] * N)
    assert all(isinstance(r, Volunteer) for r in results), [r for r in results if not isinstance(r, Volunteer)]
    assert len({r.pk for r in results}) == 1
    assert Volunteer.objects.filter(user=user).count() == Volunteer.objects.count() == 1
