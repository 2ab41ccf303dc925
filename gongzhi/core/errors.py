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


def http_status(error: DomainError) -> int:
    return error.status
