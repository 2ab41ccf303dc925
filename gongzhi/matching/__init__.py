"""Two-way matching (双向认领) engine: resource list × need list → suggestions and a project list.

Django-free on purpose (plain dataclasses, numpy/scipy/scikit-learn); see `engine` for the score.
"""

from .engine import Matcher, MatchingConfig, Need, Resource

__all__ = ["Matcher", "MatchingConfig", "Need", "Resource"]
