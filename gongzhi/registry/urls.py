from django.urls import path

from gongzhi.registry import views
from gongzhi.registry.urls_excel import urlpatterns as excel_urlpatterns

app_name = "registry"

urlpatterns = [
    path("tree/", views.placeholder, name="tree"),
    path("party-orgs/", views.placeholder, name="partyorg_list"),
    path("members/", views.placeholder, name="partymember_list"),
    path("units/", views.placeholder, name="memberunit_list"),
    path("buildings/", views.placeholder, name="building_list"),
    path("more/", views.placeholder, name="more"),
]

urlpatterns += excel_urlpatterns
