"""Workflow-walk subjects of the grid part (see tests/deliberation/subjects.py)."""

SUBJECTS: dict = {}
