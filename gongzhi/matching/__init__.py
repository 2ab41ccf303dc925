"""Two-way matching (双向认领) engine: resource list × need list → suggestions and a project list.

Django-free on purpose (plain dataclasses, numpy/scipy/scikit-learn); see `engine` for the score.
"""

from .engine import (
    DEFAULT_COMPATIBILITY,
    NEED_CATEGORIES,
    RESOURCE_CATEGORIES,
    UNITS,
    Allocation,
    Assignment,
    Matcher,
    MatchingConfig,
    Need,
    Resource,
    Suggestion,
)

__all__ = [
    "DEFAULT_COMPATIBILITY", "NEED_CATEGORIES", "RESOURCE_CATEGORIES", "UNITS", "Allocation", "Assignment", "Matcher",
    "MatchingConfig", "Need", "Resource", "Suggestion",
]
