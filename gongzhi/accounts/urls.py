from django.contrib.auth import views as auth_views
from django.urls import include, path

from gongzhi.accounts import views

# Account management: names in the "accounts" namespace, e.g. accounts:user_list.
manage_patterns = ([
    path("", views.user_list, name="user_list"),
    path("new/", views.user_create, name="user_create"),
    path("<int:pk>/", views.user_detail, name="user_detail"),
    path("<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("<int:pk>/password/", views.user_password, name="user_password"),
    path("<int:pk>/roles/new/", views.role_grant, name="role_grant"),
    path("<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("<int:pk>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("roles/<int:pk>/remove/", views.role_remove, name="role_remove"),
], "accounts")

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("users/", include(manage_patterns)),
]
