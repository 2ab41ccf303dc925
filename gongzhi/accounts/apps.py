from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.core.modules import Manifest


class AccountsConfig(AppConfig):
    name = "gongzhi.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")
    manifest = Manifest(
        urls=(("accounts/", "gongzhi.accounts.urls"),),
        audited=("accounts.User", "accounts.RoleAssignment"),
        demo_seeder="gongzhi.demo.open311:seed",
        demo_order=20,
    )

