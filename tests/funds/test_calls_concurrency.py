"""Co-signing and granting under a crowd, with real parallel transactions (tests/concurrency.py): one household
tapping "co-sign" twenty times at once is recorded once; twenty parallel co-signatures of different households
submit the proposal exactly once; parallel grants of one call never go over its budget."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongzhi.core.errors import Conflict, InvalidTransition, ValidationFailed
from gongzhi.core.workflow import SUBMITTER, SYSTEM
from gongzhi.funds.models import LedgerEntry, ProposalCosign
from gongzhi.funds.services import calls as services
from tests import factories
from tests.concurrency import run_at_once
from tests.funds import factories_calls as f

N = 20


@pytest.mark.django_db(transaction=True)
def test_parallel_cosigns_of_one_household_resolve_to_one():
    street = factories.street()
    p = f.proposal(f.call(f.fund(street.area_a), cosigns_needed=5), "collecting", origin="residents")
    home = f.households(street.grid_a1, 1)[0]
    results = run_at_once([lambda: services.cosign_proposal(p.pk, actor=SUBMITTER, household=home.pk,
                                                            proven_phone=f.phone(0))] * N)
    done = [r for r in results if isinstance(r, ProposalCosign)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(done) == 1 and len(refused) == N - 1, results
    assert all(r.code == "already_cosigned" for r in refused)
    assert ProposalCosign.objects.filter(proposal=p).count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_cosigns_reaching_the_number_submit_once():
    street = factories.street()
    p = f.proposal(f.call(f.fund(street.area_a), cosigns_needed=N // 2), "collecting", origin="residents")
    homes = f.households(street.grid_a1, N)
    results = run_at_once([lambda h=h, i=i: services.cosign_proposal(p.pk, actor=SUBMITTER, household=h.pk,
                                                                     proven_phone=f.phone(i))
                           for i, h in enumerate(homes)])
    signed = [r for r in results if isinstance(r, ProposalCosign)]
    late = [r for r in results if isinstance(r, Conflict)]  # after the proposal was submitted
    assert len(signed) == N // 2 and len(late) == N - N // 2, results
    p.refresh_from_db()
    assert p.state == "submitted" and p.transitions.filter(action="submit").count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_grants_never_go_over_the_calls_budget():
    street = factories.street()
    call = f.call(f.fund(street.area_a, amount="100000"), "granting", budget="5000", selection="council")
    proposals = [f.proposal(call, "selected") for _ in range(8)]  # 1050 each: four fit in 5000
    results = run_at_once([lambda p=p: services.grant_proposal(p.pk, actor=SYSTEM) for p in proposals])
    granted = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, ValidationFailed | InvalidTransition)]
    assert len(granted) == 4 and len(refused) == 4, results
    total = -sum(e.amount for e in LedgerEntry.objects.filter(proposal__call=call))
    assert total == Decimal("4200.00")
