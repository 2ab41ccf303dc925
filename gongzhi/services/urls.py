"""Doorstep-services pages, mounted at /services/: each part's URL patterns (gongzhi.services.views.<part>)."""

from gongzhi.services.apps import parts

app_name = "services"

urlpatterns = parts.urlpatterns()
