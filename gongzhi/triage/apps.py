from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.modules import AuthzCase, Manifest, NavEntry, NavGroup

STAFF = "302 403 200 200 200 200"


class TriageConfig(AppConfig):
    name = "gongzhi.triage"
    label = "triage"
    verbose_name = _("Triage intelligence")
    manifest = Manifest(
        urls=(("triage/", "gongzhi.triage.urls"),),
        nav=NavGroup(_("Insight"), (
            NavEntry(_("Triage"), "triage:queue", C.ASSIGN_DEMANDS),
            NavEntry(_("Hot issues"), "triage:hot_issues", C.VIEW_DEMANDS),
            NavEntry(_("Top concerns"), "triage:top_concerns", C.VIEW_DEMANDS),
        ), order=20),
        audited=("triage.Classification",),
        authz={
            "triage:queue": AuthzCase(STAFF),
            "triage:decide": AuthzCase("302 405 405 405 405 405", {"pk": 999999}),  # POST only
            "triage:demand_duplicates": AuthzCase("302 404 404 200 200 200", "demand_a1"),
            "triage:hot_issues": AuthzCase(STAFF),
            "triage:top_concerns": AuthzCase(STAFF),
        },
    )

    def ready(self):
        from gongzhi.demands.signals import demand_submitted
        from gongzhi.triage.services import on_demand_submitted

        demand_submitted.connect(on_demand_submitted, dispatch_uid="triage.classify_on_intake")
