"""Organization-life pages, mounted at /orglife/: each part's URL patterns (gongzhi.orglife.views.<part>)."""

from gongzhi.orglife.apps import parts

app_name = "orglife"

urlpatterns = parts.urlpatterns()
