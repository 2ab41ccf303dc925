from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.core.authz import ADMIN_ONLY, PUBLIC
from gongzhi.core.modules import AuthzCase, Manifest, NavEntry, NavGroup


class CoreConfig(AppConfig):
    name = "gongzhi.core"
    label = "core"
    verbose_name = "共治"
    manifest = Manifest(
        nav=NavGroup(_("System"), (
            NavEntry(_("Audit trail"), "audit", "audit.view"),
        ), order=100),
        authz={
            "home": AuthzCase("302 200 200 200 200 200"),
            "healthz": AuthzCase(PUBLIC),
            "audit": AuthzCase(ADMIN_ONLY),
        },
        authz_excluded=(
            "admin:",  # Django admin: staff only, guarded by the admin site itself
            "set_language",  # Django's language switch (POST)
            "media",  # uploaded files served by django.views.static
            "api:openapi-json",  # django-ninja OpenAPI document
            "api:openapi-view",  # django-ninja docs page
            "api:api-root",  # django-ninja root
        ),
    )
