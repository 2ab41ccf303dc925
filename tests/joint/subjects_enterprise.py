"""Workflow-walk subjects of the enterprise part (tests/core/test_workflow.py): a liaison visit to a firm of the
factories' street, straight in a given follow-up state."""

from datetime import timedelta

from django.utils import timezone

from gongzhi.joint.models import Visit


def visit(street, state: str = "open"):
    return Visit.objects.create(member_unit=street.unit_a, visited_on=timezone.localdate() - timedelta(days=1),
                                needs_found="员工停车难", state=state)


SUBJECTS = {
    "joint.Visit": visit,
}
