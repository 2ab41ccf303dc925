"""Workflow-walk subjects of volunteering (tests/core/test_workflow.py): an activity, a sign-up, a pairing and a wish
straight in a given state, on the factories' street."""

from tests.volunteering import factories as f
from tests.volunteering import factories_pairings as fp
from tests.volunteering import wish_factories

SUBJECTS = {
    "volunteering.Activity": f.activity_in,
    "volunteering.SignUp": f.signup_in,
    "volunteering.Pairing": fp.pairing_in,
    "volunteering.Wish": wish_factories.wish_in,
}
