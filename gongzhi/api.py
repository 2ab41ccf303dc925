"""The JSON API (django-ninja): /api/v1/, OpenAPI at /api/v1/docs.

Authentication: `Authorization: Bearer <token>` (tokens from /accounts/tokens/), or the browser
session. Every domain error maps to JSON with its status here, in one place.
"""

from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from gongzhi.accounts.models import ApiToken
from gongzhi.core.errors import DomainError


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), revoked=False, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
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
    return api.create_response(request, exc.as_dict(), status=exc.status)


__all__ = ["api", "ErrorOut", "APIKeyHeader"]

# Routers register themselves here; import order fixes the OpenAPI order.
from gongzhi.registry.api import router as registry_router  # noqa: E402

api.add_router("/registry", registry_router)
from gongzhi.demands.api import router as demands_router  # noqa: E402

api.add_router("/demands", demands_router)
