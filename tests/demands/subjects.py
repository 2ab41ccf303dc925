"""Demand subjects made straight in a given state: the hook the generic workflow walk (tests/core/test_workflow.py)
uses to start each (state, action) of the demand table."""

from gongzhi.demands.models import Demand
from tests.demands.conftest import submit


def demand(street, state: str) -> Demand:
    made = submit(street)
    Demand.objects.filter(pk=made.pk).update(state=state)  # put it there directly for the table walk
    return Demand.objects.get(pk=made.pk)


SUBJECTS = {"demands.Demand": demand}
