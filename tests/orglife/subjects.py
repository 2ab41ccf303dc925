"""Workflow-walk subjects of organization life (tests/core/test_workflow.py): an award round and an award entry
straight in a given state, on the factories' street."""

from tests.orglife import factories as f

SUBJECTS = {
    "orglife.AwardRound": f.round_in,
    "orglife.AwardEntry": f.entry_in,
}
