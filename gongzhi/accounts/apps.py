from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import ADMIN_ONLY
from gongzhi.core.modules import AuthzCase, Manifest, NavEntry


class AccountsConfig(AppConfig):
    name = "gongzhi.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")
    manifest = Manifest(
        urls=(("accounts/", "gongzhi.accounts.urls"),),
        user_menu=(
            NavEntry(_("Change password"), "password_change", None),
            NavEntry(_("API tokens"), "api_tokens", None),
            NavEntry(_("User management"), "accounts:user_list", C.MANAGE_ACCOUNTS),
        ),
        audited=("accounts.User", "accounts.RoleAssignment"),
        authz={
            "login": AuthzCase("200 302 302 302 302 302"),
            "logout": AuthzCase("405 405 405 405 405 405"),  # POST only
            "password_change": AuthzCase("302 200 200 200 200 200"),
            "api_tokens": AuthzCase("302 200 200 200 200 200"),
            # account management: the sub-district administrator, for accounts whose roles lie in the sub-district
            "accounts:user_list": AuthzCase(ADMIN_ONLY),
            "accounts:user_create": AuthzCase(ADMIN_ONLY),
            "accounts:user_detail": AuthzCase(ADMIN_ONLY, "user_a"),
            "accounts:user_edit": AuthzCase(ADMIN_ONLY, "user_a"),
            "accounts:user_password": AuthzCase(ADMIN_ONLY, "user_a"),
            "accounts:role_grant": AuthzCase(ADMIN_ONLY, "user_a"),
            "accounts:user_deactivate": AuthzCase(ADMIN_ONLY, "user_a"),
            "accounts:user_reactivate": AuthzCase(ADMIN_ONLY, "retired_a"),
            "accounts:role_remove": AuthzCase(ADMIN_ONLY, "role_a"),
        },
        authz_fixtures="gongzhi.accounts.authz:build",
        demo_seeder="gongzhi.demo.open311:seed",
        demo_order=20,
    )
