from django.urls import path

from gongzhi.triage import views

app_name = "triage"
urlpatterns = [
    path("demands/<int:pk>/duplicates/", views.demand_duplicates, name="demand_duplicates"),
]
