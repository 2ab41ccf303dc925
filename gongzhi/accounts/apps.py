from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.core.modules import AuthzCase, Manifest


class AccountsConfig(AppConfig):
    name = "gongzhi.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")
    manifest = Manifest(
        urls=(("accounts/", "gongzhi.accounts.urls"),),
        audited=("accounts.User", "accounts.RoleAssignment"),
        authz={
            "login": AuthzCase("200 302 302 302 302 302"),
            "logout": AuthzCase("405 405 405 405 405 405"),  # POST only
            "password_change": AuthzCase("302 200 200 200 200 200"),
            "api_tokens": AuthzCase("302 200 200 200 200 200"),
        },
        authz_fixtures="gongzhi.accounts.authz:build",
        demo_seeder="gongzhi.demo.open311:seed",
        demo_order=20,
    )

    def ready(self):
        from gongzhi.accounts.credentials import credential_cache
        from gongzhi.accounts.models import ApiToken, RoleAssignment, User
        from gongzhi.registry.models import Region

        # a cached token carries its user's role assignments (and their regions' paths)
        credential_cache.watch((User, ApiToken, RoleAssignment, Region), "accounts.credentials")
