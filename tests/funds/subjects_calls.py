"""Workflow-walk subjects of the calls part (tests/core/test_workflow.py): a call and a proposal straight in a
given state, on the factories' street."""

from tests.funds import factories_calls as f


def call(street, state: str = "informing"):
    return f.call(f.fund(street.area_a), state)


def proposal(street, state: str = "submitted"):
    return f.proposal(f.call(f.fund(street.area_a), "reviewing"), state)


SUBJECTS = {
    "funds.Call": call,
    "funds.Proposal": proposal,
}
