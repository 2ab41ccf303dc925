from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "gongzhi.triage"
    label = "triage"
    verbose_name = _("Triage intelligence")

    def ready(self):
        from gongzhi.accounts.roles import Capability as C
        from gongzhi.core.navigation import MenuEntry, register
        from gongzhi.demands.signals import demand_submitted
        from gongzhi.triage.services import on_demand_submitted

        demand_submitted.connect(on_demand_submitted, dispatch_uid="triage.classify_on_intake")
        for entry in (
            MenuEntry(_("Triage"), "triage:queue", C.ASSIGN_DEMANDS),
            MenuEntry(_("Hot issues"), "triage:hot_issues", C.VIEW_DEMANDS),
            MenuEntry(_("Top concerns"), "triage:top_concerns", C.VIEW_DEMANDS),
        ):
            register(entry, before="audit")
