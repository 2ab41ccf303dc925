from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gongzhi.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from gongzhi.accounts.credentials import credential_cache
        from gongzhi.accounts.models import ApiToken, User

        credential_cache.watch((User, ApiToken), "accounts.credentials")
