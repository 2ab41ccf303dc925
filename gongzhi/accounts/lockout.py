"""Log-in lock-out with one limit per parameter set (django-axes has a single AXES_FAILURE_LIMIT).

AXES_LOCKOUT_PARAMETERS is ``[["username", "ip_address"], "ip_address", "username"]``: an account from one IP
is locked at AXES_FAILURE_LIMIT failures, an IP over every username at AXES_IP_FAILURE_LIMIT, and an account
from every IP at AXES_USERNAME_FAILURE_LIMIT. Axes compares the largest failure count of the sets with its one
limit; each count is scaled here so that it reaches that limit exactly when it reaches its own.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum


def _own_limit(parameter, base: int) -> int:
    if parameter == "ip_address":
        return settings.AXES_IP_FAILURE_LIMIT
    if parameter == "username":
        return settings.AXES_USERNAME_FAILURE_LIMIT
    return base


class SeparateLimitsHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        base = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        scaled = [0]
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            count = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            scaled.append(count * base // max(_own_limit(parameter, base), 1))
        return max(scaled)
