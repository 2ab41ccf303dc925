"""Workflow-walk subjects of volunteering (tests/core/test_workflow.py): an activity and a sign-up straight in a
given state, on the factories' street. The wishes and pairings parts add theirs."""

from tests.volunteering import factories as f
from tests.volunteering import wish_factories

SUBJECTS = {
    "volunteering.Activity": f.activity_in,
    "volunteering.SignUp": f.signup_in,
    "volunteering.Wish": wish_factories.wish_in,
}
