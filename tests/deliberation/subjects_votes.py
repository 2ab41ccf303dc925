"""Workflow-walk subjects of the votes part (see tests/deliberation/subjects.py)."""

SUBJECTS: dict = {}
