from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from gongzhi.api import api
from gongzhi.core import media
from gongzhi.core import views as core_views
from gongzhi.core.modules import url_includes

admin.site.site_header = _("Gongzhi administration")
admin.site.site_title = _("Gongzhi admin")
admin.site.index_title = _("Data administration")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", core_views.audit_log, name="audit"),
    path("reveal/", core_views.reveal, name="reveal"),  # reveal personal data with a reason (POST)
    *(path(prefix, include(module)) for prefix, module in url_includes()),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("media/<path:path>", media.serve, name="media"),  # scope-checked or signed (never a public folder)
]

handler404 = "gongzhi.core.views.not_found"
