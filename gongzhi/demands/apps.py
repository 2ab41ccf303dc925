from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "gongzhi.demands"
    label = "demands"
    verbose_name = _("Resident demands")

    def ready(self):
        from gongzhi.accounts.roles import Capability as C
        from gongzhi.core.navigation import MenuEntry, register

        for entry in (
            MenuEntry(_("Demands"), "demands:queue", C.VIEW_DEMANDS),
            MenuEntry(_("Claim board"), "demands:claim_board", C.CLAIM_DEMANDS),
            MenuEntry(_("Overdue"), "demands:overdue", C.VIEW_DEMANDS),
            MenuEntry(_("Joint meeting"), "demands:agenda", C.VIEW_DEMANDS),
            MenuEntry(_("Extensions"), "demands:extensions", C.APPROVE_DEMANDS),
            MenuEntry(_("Inbox"), "demands:inbox", None),
        ):
            register(entry, before="audit")
