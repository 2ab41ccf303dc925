"""Funds pages, mounted at /funds/: each part's URL patterns (gongzhi.funds.views.<part>)."""

from gongzhi.funds.apps import parts

app_name = "funds"

urlpatterns = parts.urlpatterns()
