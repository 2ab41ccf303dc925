"""Two pledges of one unit and kind made at once resolve to one: the database's constraint keeps the first, the
others are refused like a repeated pledge."""

import pytest

from gongzhi.core.errors import ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.models import Pledge
from gongzhi.joint.services import agreements as services
from tests import factories
from tests.concurrency import run_at_once
from tests.joint import factories_agreements as f


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_pledges_resolve_to_one():
    street = factories.street()
    project = f.project(street)

    def pledge(amount):
        return lambda: services.pledge(project.pk, actor=SYSTEM, member_unit=street.unit_a.pk, kind="money",
                                       amount=amount)

    results = run_at_once([pledge(str(1000 + i)) for i in range(6)])
    made = [r for r in results if isinstance(r, Pledge)]
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(made) == 1 and len(refused) == 5, results
    assert all("kind" in r.field_errors for r in refused)
    assert Pledge.objects.filter(project=project, member_unit=street.unit_a, kind="money").count() == 1
