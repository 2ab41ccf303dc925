"""Workflow-walk subjects of the councils part (see tests/deliberation/subjects.py)."""

SUBJECTS: dict = {}
