from django.urls import path, reverse_lazy
from django.views.generic import RedirectView

from gongzhi.matching import views

app_name = "matching"

urlpatterns = [
    path("", RedirectView.as_view(url=reverse_lazy("matching:resources"))),  # the module's front page
    path("resources/", views.resources, name="resources"),
    path("resources/new/", views.resource_create, name="resource_create"),
    path("resources/<int:pk>/", views.resource_detail, name="resource_detail"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/claim/", views.resource_claim, name="resource_claim"),
    path("resources/<int:pk>/status/", views.resource_transition, name="resource_transition"),
    path("needs/", views.needs, name="needs"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("needs/<int:pk>/claim/", views.need_claim, name="need_claim"),
    path("needs/<int:pk>/status/", views.need_transition, name="need_transition"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("picker/<str:kind>/", views.picker, name="picker"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/advance/", views.campaign_advance, name="campaign_advance"),
    path("campaigns/<int:pk>/global/", views.global_match, name="global_match"),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/transition/", views.project_transition, name="project_transition"),
    path("projects/<int:pk>/plan/", views.project_plan, name="project_plan"),
    path("projects/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("projects/<int:pk>/milestones/<int:milestone>/toggle/", views.milestone_toggle, name="milestone_toggle"),
    path("projects/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("units/mine/", views.my_unit, name="my_unit"),
    path("units/<int:pk>/", views.unit_page, name="unit"),
    path("results/", views.results, name="results"),
    path("results/export/", views.results_export, name="results_export"),
]
