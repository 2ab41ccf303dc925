"""Deliberation pages, mounted at /deliberation/: each part's URL patterns (gongzhi.deliberation.views.<part>)."""

from importlib import import_module

from django.urls import include, path

from gongzhi.deliberation.apps import PARTS

app_name = "deliberation"

urlpatterns = [path("", include(import_module(f"gongzhi.deliberation.views.{part}").urlpatterns))
               for part in PARTS]
