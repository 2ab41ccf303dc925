"""Joint-building pages, mounted at /joint/: each part's URL patterns (gongzhi.joint.views.<part>)."""

from gongzhi.joint.apps import parts

app_name = "joint"

urlpatterns = parts.urlpatterns()
