from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.core.authz import ADMIN_ONLY, PAGE, POST_ONLY, PUBLIC
from gongzhi.core.modules import AuthzCase, Manifest, NavEntry, NavGroup


class CoreConfig(AppConfig):
    name = "gongzhi.core"
    label = "core"
    verbose_name = "共治"
    manifest = Manifest(
        urls=(("excel/", "gongzhi.core.excel.urls"),),
        nav=NavGroup(_("System"), (
            NavEntry(_("Audit trail"), "audit", "audit.view"),
        ), order=100),
        authz={
            "home": AuthzCase("302 200 200 200 200 200"),
            "healthz": AuthzCase(PUBLIC),
            "audit": AuthzCase(ADMIN_ONLY),
            "reveal": AuthzCase(POST_ONLY),  # reveal personal data with a reason (gongzhi.core.reveal)
            # Excel: the import page for whoever may import some list (the matching lists' importers; the
            # registry's need registry.import); a list's template and export by its spec, every list for the
            # marker test
            "excel:import": AuthzCase("302 403 200 200 403 200"),
            "excel:job": AuthzCase("302 404 404 404 404 404", {"pk": 999999}),  # only the job's own user
            "excel:job_errors": AuthzCase("302 404 404 404 404 404", {"pk": 999999}),
            "excel:template": AuthzCase(ADMIN_ONLY, {"kind": "member_units"}, "gongzhi.core.authz:excel_kinds"),
            "excel:export": AuthzCase(PAGE, {"kind": "member_units"}, "gongzhi.core.authz:excel_kinds"),
        },
        authz_excluded=(
            "admin:",  # Django admin: staff only, guarded by the admin site itself
            "set_language",  # Django's language switch (POST)
            "media",  # uploads: the owning app's selector decides per file (tests/core/test_media.py)
            "api:openapi-json",  # django-ninja OpenAPI document
            "api:openapi-view",  # django-ninja docs page
            "api:api-root",  # django-ninja root
        ),
    )

    def ready(self):
        from django.conf import settings
        from PIL import Image

        # Pillow warns above this many pixels and refuses twice as many before decoding anything.
        Image.MAX_IMAGE_PIXELS = settings.GONGZHI_MAX_IMAGE_PIXELS
