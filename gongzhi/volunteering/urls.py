"""Volunteering pages, mounted at /volunteering/: each part's URL patterns (gongzhi.volunteering.views.<part>)."""

from gongzhi.volunteering.apps import parts

app_name = "volunteering"

urlpatterns = parts.urlpatterns()
