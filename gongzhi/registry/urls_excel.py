"""Excel import/export URLs of the registry (kept apart from the list/detail URLs)."""

from django.urls import path

from gongzhi.registry import views

urlpatterns = [
    path("import/", views.placeholder, name="import"),
]
