from django.urls import path

from gongzhi.registry import views

app_name = "registry"

urlpatterns = [
    path("tree/", views.tree, name="tree"),
    path("more/", views.more, name="more"),
    path("h5/household-phone/", views.household_phone, name="household_phone"),
]
for _page in views.PAGES.values():
    urlpatterns += views.urls_for(_page)
