"""Workflow-walk subjects of doorstep services (tests/core/test_workflow.py): a case and an appointment straight in
a given state, on the factories' street."""

from tests.services import factories as f

SUBJECTS = {
    "services.Case": f.case,
    "services.Appointment": f.appointment,
}
