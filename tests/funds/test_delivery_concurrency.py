"""Concurrent spending on one budget line never overshoots what the review approved: each record locks the
proposal's row, so the parallel ones queue and each sees what the one before it left."""

from decimal import Decimal
from functools import partial

import pytest
from django.utils import timezone

from gongzhi.core.errors import ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.funds.models import Spending
from gongzhi.funds.services import delivery as services
from tests import factories
from tests.concurrency import run_at_once
from tests.funds.factories_delivery import granted


@pytest.mark.django_db(transaction=True)
def test_parallel_spending_on_one_line_never_overshoots():
    street = factories.street()
    project = granted(street.area_a, lines=(("座椅", "1000.00"),))
    spend = partial(services.record_spending, project.proposal.pk, actor=SYSTEM, budget_line=project.lines[0].pk,
                    amount="300.00", spent_on=timezone.localdate(), payee="便民家具厂")
    results = run_at_once([spend] * 8)
    made = [r for r in results if isinstance(r, Spending)]
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(made) == 3 and len(refused) == 5, results
    assert all("amount" in e.field_errors for e in refused)
    assert services.line_spent(project.lines[0]) == Decimal("900.00") <= project.lines[0].approved
    assert Spending.objects.count() == 3
