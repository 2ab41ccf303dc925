"""Workflow-walk subjects of volunteering (tests/core/test_workflow.py): an activity, a sign-up and a pairing
straight in a given state, on the factories' street. The wishes part adds theirs."""

from tests.volunteering import factories as f
from tests.volunteering import factories_pairings as fp

SUBJECTS = {
    "volunteering.Activity": f.activity_in,
    "volunteering.SignUp": f.signup_in,
    "volunteering.Pairing": fp.pairing_in,
}
