from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "gongzhi.matching"
    label = "matching"
    verbose_name = _("Two-way matching")

    def ready(self) -> None:
        from gongzhi.accounts.roles import Capability
        from gongzhi.core.navigation import MenuEntry, register

        register(MenuEntry(_("Resource market"), "matching:resources", Capability.VIEW_MATCHING))
        register(MenuEntry(_("Need board"), "matching:needs", Capability.VIEW_MATCHING))
        register(MenuEntry(_("Projects"), "matching:projects", Capability.VIEW_MATCHING))
        register(MenuEntry(_("Matching results"), "matching:results", Capability.VIEW_MATCHING))
