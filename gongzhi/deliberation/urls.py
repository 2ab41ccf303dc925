"""Deliberation pages, mounted at /deliberation/: each part's URL patterns (gongzhi.deliberation.views.<part>)."""

from gongzhi.deliberation.apps import parts

app_name = "deliberation"

urlpatterns = parts.urlpatterns()
