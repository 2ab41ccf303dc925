"""The JSON API (django-ninja): /api/v1/, OpenAPI at /api/v1/docs.

Authentication: `Authorization: Bearer <token>` (tokens from /accounts/tokens/), or the browser
session. Every domain error maps to JSON with its status here, in one place.
"""

from datetime import timedelta

from django.db import DataError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from gongzhi.accounts import services as account_services
from gongzhi.accounts.models import ApiToken
from gongzhi.core.apitypes import AllowAnonymous
from gongzhi.core.errors import BadParameter, DomainError
from gongzhi.core.middleware import out_of_range_fields

LAST_USED_PRECISION = timedelta(minutes=1)


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), revoked=False, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_PRECISION:  # not a write per request
            account_services.mark_token_used(row, now=now)
        request.user = row.user
        return row.user


class ErrorOut(Schema):
    code: str
    message: str
    errors: dict[str, list[str]] | None = None


api = NinjaAPI(
    title="gongzhi 共治 API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), django_auth],
    docs_url="/docs",
)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    status = 422 if isinstance(exc, BadParameter) else exc.status  # bad input is a 422 throughout the API
    return api.create_response(request, exc.as_dict(), status=status)


@api.exception_handler(ValidationError)
def on_schema_error(request, exc: ValidationError):
    """Malformed input (wrong types) answers 422 in the same ErrorOut shape, errors keyed by field name."""
    errors: dict[str, list[str]] = {}
    for e in exc.errors:
        loc = tuple(e.get("loc", ()))
        if len(loc) == 2 and loc[0] == "body":
            loc = ()  # the whole body (missing, or not an object; each operation takes one body schema)
        field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "__all__")
        errors.setdefault(field, []).append(str(e.get("msg", "")))
    return api.create_response(request, {"code": "validation_failed", "message": _("Invalid input."), "errors": errors},
                               status=422)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_out_of_range(request, exc: Exception):
    """A number too large for the database (a 30-digit id, a huge offset) is bad input: 422 naming the field."""
    errors = out_of_range_fields(request) or {"__all__": [_("A number is out of range.")]}
    return api.create_response(request, {"code": "validation_failed", "message": _("Invalid input."), "errors": errors},
                               status=422)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    """ninja's own errors (401 without credentials, 429 throttled, 403 CSRF) in the ErrorOut shape too."""
    code = {401: "unauthorized", 403: "forbidden", 404: "not_found", 429: "throttled"}.get(exc.status_code, "error")
    return api.create_response(request, {"code": code, "message": str(exc)}, status=exc.status_code)


__all__ = ["api", "ErrorOut", "APIKeyHeader"]

# Each module's routers come from its manifest (gongzhi.core.modules), in app order.
from gongzhi.core.modules import api_routers  # noqa: E402

for _prefix, _router in api_routers():
    api.add_router(_prefix, _router)

# Every operation declares the errors any operation can answer (bad JSON 400, 401 without credentials, 403, 404,
# 422 bad input, 429 throttled) in the ErrorOut shape, so the OpenAPI document lists every status it can send.
STANDARD_ERRORS = (400, 401, 403, 404, 422, 429)
for _bound in api._get_bound_routers():
    for _view in _bound.path_operations.values():
        for _op in _view.operations:
            if any(isinstance(_auth, AllowAnonymous) for _auth in _op.auth_callbacks or ()):
                # the token is optional: the empty requirement joins the ones ninja lists (it extends the list)
                _op.openapi_extra = {**(_op.openapi_extra or {}), "security": [{}]}
            if len(_op.response_models) == 1 and 200 not in _op.response_models:
                continue  # a lone non-200 code is the default status of its view: keep it alone
            for _code in STANDARD_ERRORS:
                _op.response_models.setdefault(_code, _op._create_response_model(ErrorOut))
