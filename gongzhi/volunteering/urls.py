"""Volunteering pages, mounted at /volunteering/: each part's URL patterns (gongzhi.volunteering.views.<part>)."""

from importlib import import_module

from django.urls import include, path

from gongzhi.volunteering.apps import PARTS

app_name = "volunteering"

urlpatterns = [path("", include(import_module(f"gongzhi.volunteering.views.{part}").urlpatterns)) for part in PARTS]
