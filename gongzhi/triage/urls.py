from django.urls import path

from gongzhi.triage import views

app_name = "triage"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("demands/<int:pk>/decide/", views.decide, name="decide"),
    path("demands/<int:pk>/duplicates/", views.demand_duplicates, name="demand_duplicates"),
    path("hot/", views.hot_issues, name="hot_issues"),
    path("top-concerns/", views.top_concerns, name="top_concerns"),
]
