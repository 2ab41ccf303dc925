"""Funds pages, mounted at /funds/: each part's URL patterns (gongzhi.funds.views.<part>)."""

from importlib import import_module

from django.urls import include, path

from gongzhi.funds.apps import PARTS

app_name = "funds"

urlpatterns = [path("", include(import_module(f"gongzhi.funds.views.{part}").urlpatterns)) for part in PARTS]
