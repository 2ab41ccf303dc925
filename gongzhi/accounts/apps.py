from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.modules import Manifest, NavEntry


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
        demo_seeder="gongzhi.demo.open311:seed",
        demo_order=20,
    )
