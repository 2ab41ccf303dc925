"""One claimer only: a party member and a unit liaison claim the same open wish at the same moment, each in its
own thread and database connection; exactly one gets it (under the row lock of the shared transition writer),
the other is told it is claimed, and nothing else is written. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gongzhi.core.errors import Conflict
from gongzhi.volunteering.models import Wish, WishTransition
from gongzhi.volunteering.services import wishes as services
from gongzhi.volunteering.workflow import WishState
from tests import factories
from tests.concurrency import run_at_once
from tests.volunteering import wish_factories as wf


@pytest.mark.django_db(transaction=True)
def test_two_parallel_claims_of_one_wish_give_exactly_one_claimer():
    street = factories.street()
    member = wf.member_account(street)
    liaison = wf.liaison_account(street)
    wish = wf.wish(street.area_a)
    on = timezone.localdate() + timedelta(days=7)
    results = run_at_once([
        lambda: services.claim_wish(wish.pk, actor=member, promise="党员认领", promised_on=on, notify=False),
        lambda: services.claim_wish(wish.pk, actor=liaison, promise="单位认领", promised_on=on, notify=False),
    ])
    won = [r for r in results if isinstance(r, Wish)]
    lost = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 1 and len(lost) == 1, results
    wish.refresh_from_db()
    assert wish.state == WishState.CLAIMED and wish.promise == won[0].promise
    assert (wish.claimer_member_id is None) != (wish.claimer_unit_id is None)
    assert WishTransition.objects.filter(wish=wish).count() == 1
