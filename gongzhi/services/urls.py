"""Doorstep-services pages, mounted at /services/: each part's URL patterns (gongzhi.services.views.<part>)."""

from importlib import import_module

from django.urls import include, path

from gongzhi.services.apps import PARTS

app_name = "services"

urlpatterns = [path("", include(import_module(f"gongzhi.services.views.{part}").urlpatterns)) for part in PARTS]
