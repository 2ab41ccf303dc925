from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gongzhi.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from gongzhi.accounts.credentials import credential_cache
        from gongzhi.accounts.models import ApiToken, RoleAssignment, User
        from gongzhi.registry.models import Region

        # a cached token carries its user's role assignments (and their regions' paths)
        credential_cache.watch((User, ApiToken, RoleAssignment, Region), "accounts.credentials")
