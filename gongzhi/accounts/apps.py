from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gongzhi.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from gongzhi.accounts.credentials import credential_cache
        from gongzhi.accounts.models import ApiToken, RoleAssignment, User
        from gongzhi.accounts.roles import Capability
        from gongzhi.core.navigation import USER_MENU, MenuEntry, register
        from gongzhi.registry.models import Region

        for entry in (
            MenuEntry(_("Change password"), "password_change", None),
            MenuEntry(_("API tokens"), "api_tokens", None),
            MenuEntry(_("User management"), "accounts:user_list", Capability.MANAGE_ACCOUNTS),
        ):
            register(entry, menu=USER_MENU)

        # a cached token carries its user's role assignments (and their regions' paths)
        credential_cache.watch((User, ApiToken, RoleAssignment, Region), "accounts.credentials")
