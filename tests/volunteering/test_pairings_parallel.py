"""Parallel pairings of one anchor at its capacity: each in its own thread and connection; only what fits is
made (the capacity is counted under a lock on the anchor's row), the others get the field error. SQLite and
PostgreSQL (DATABASE_URL)."""

import pytest

from gongzhi.core.errors import ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.volunteering.models import Pairing, PairingKind, PairingTransition
from gongzhi.volunteering.services import pairings as services
from tests import factories
from tests.concurrency import run_at_once

N = 12


@pytest.mark.django_db(transaction=True)
def test_parallel_pairings_at_capacity_make_only_what_fits():
    street = factories.street()
    services.set_rule(street.subdistrict, actor=SYSTEM, kind=PairingKind.MEMBER_SHOP, capacity=5,
                      contact_interval_days=30)
    for i in range(3):
        services.pair(actor=SYSTEM, kind=PairingKind.MEMBER_SHOP, region=street.area_a, member=street.member_a,
                      shop_name=f"先到{i}")
    results = run_at_once([
        (lambda i=i: services.pair(actor=SYSTEM, kind=PairingKind.MEMBER_SHOP, region=street.area_a,
                                   member=street.member_a, shop_name=f"商户{i}")) for i in range(N)])
    won = [r for r in results if isinstance(r, Pairing)]
    lost = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(won) == 2 and len(lost) == N - 2, [r for r in results if not isinstance(r, Pairing | ValidationFailed)]
    assert all(list(e.field_errors) == ["member"] for e in lost)
    assert Pairing.objects.filter(member=street.member_a).count() == 5
    assert PairingTransition.objects.count() == 5
