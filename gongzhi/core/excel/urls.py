"""One set of Excel URLs for every module's lists (mounted at /excel/ by core's manifest)."""

from django.urls import path

from gongzhi.core.excel import views

app_name = "excel"

urlpatterns = [
    path("import/", views.import_start, name="import"),
    path("import/<int:pk>/", views.import_job, name="job"),
    path("import/<int:pk>/errors.xlsx", views.import_errors, name="job_errors"),
    path("<slug:kind>/template.xlsx", views.template, name="template"),
    path("<slug:kind>/export.xlsx", views.export, name="export"),
]
