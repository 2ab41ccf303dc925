"""Excel import/export URLs of the registry (kept apart from the list/detail URLs)."""

from django.urls import path

from gongzhi.registry import views_excel

urlpatterns = [
    path("import/", views_excel.import_start, name="import"),
    path("import/jobs/<int:pk>/", views_excel.import_job, name="import_job"),
    path("import/jobs/<int:pk>/errors.xlsx", views_excel.import_errors, name="import_errors"),
    path("excel/<slug:kind>/template.xlsx", views_excel.excel_template, name="excel_template"),
    path("excel/<slug:kind>/export.xlsx", views_excel.excel_export, name="excel_export"),
]
