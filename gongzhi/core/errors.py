"""One domain error hierarchy, mapped to HTTP in one place (see `http_status`).

Services raise these; views, the JSON API and the CLI translate them.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a user can cause. `message` is user-facing (translated)."""

    status = 400
    code = "invalid"
    default_message = ""

    def __init__(self, message: str = "", *, code: str | None = None, field_errors: dict | None = None):
        if not message and self.default_message:
            from django.utils.translation import gettext

            message = gettext(self.default_message)
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.field_errors: dict[str, list[str]] = field_errors or {}

    def as_dict(self) -> dict:
        data: dict = {"code": self.code, "message": self.message}
        if self.field_errors:
            data["errors"] = self.field_errors
        return data


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"

    @classmethod
    def on(cls, field: str, message) -> ValidationFailed:
        """The error, with its message shown on one field of the form as well."""
        return cls(message, field_errors={field: [str(message)]})


class BadParameter(ValidationFailed):
    """A query or path parameter that cannot be used (a word where a number goes, an id too large, an impossible
    date): 400 on pages, 422 in the API (a ValidationFailed there), with the field named."""

    status = 400
    code = "bad_parameter"

    def __init__(self, field: str, message: str = ""):
        from django.utils.translation import gettext

        message = message or gettext("Invalid value for %(field)s.") % {"field": field}
        super().__init__(message, field_errors={field: [message]})


MAX_ID = 2**63 - 1


def int_param(params, name: str, default: int | None = None, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """The integer query parameter `name` (`default` when absent or blank); BadParameter when it is not a number in
    [minimum, maximum]."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(name)
    if not minimum <= value <= maximum:
        raise BadParameter(name)
    return value


class NotFound(DomainError):
    """Missing, or outside the caller's scope: the two are indistinguishable on purpose."""

    status = 404
    code = "not_found"
    default_message = "Not found."


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_message = "You do not have permission to do this."


class Conflict(DomainError):
    status = 409
    code = "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class TrackingLocked(DomainError):
    """A tracking code locked after too many wrong phone digits (see `demands.services.access_by_tracking`).
    Carries how the resident gets it back."""

    status = 429
    code = "tracking_locked"

    def __init__(self, tracking_code: str = "", locked_until=None):
        from django.utils import timezone
        from django.utils.translation import gettext

        self.tracking_code, self.locked_until = tracking_code, locked_until
        until = timezone.localtime(locked_until).strftime("%H:%M") if locked_until else ""
        super().__init__(gettext(
            "This tracking code is locked after too many wrong phone digits. Try again after %(time)s, have the "
            "code sent again by SMS to the phone you gave, or ask at your service station.") % {"time": until})

    def as_dict(self) -> dict:
        data = super().as_dict()
        data["locked_until"] = self.locked_until.isoformat() if self.locked_until else None
        return data


class NothingChanged(Conflict):
    """An edit or a dispatch that would change nothing: nothing is written (no step, no audit row)."""

    code = "nothing_changed"
    default_message = "Nothing changed."


def http_status(error: DomainError) -> int:
    return error.status
