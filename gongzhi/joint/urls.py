"""Joint-building pages, mounted at /joint/: each part's URL patterns (gongzhi.joint.views.<part>)."""

from importlib import import_module

from django.urls import include, path

from gongzhi.joint.apps import PARTS

app_name = "joint"

urlpatterns = [path("", include(import_module(f"gongzhi.joint.views.{part}").urlpatterns)) for part in PARTS]
