from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.modules import Manifest, NavEntry, NavGroup


class DemandsConfig(AppConfig):
    name = "gongzhi.demands"
    label = "demands"
    verbose_name = _("Resident demands")
    manifest = Manifest(
        urls=(("demands/", "gongzhi.demands.urls"), ("open311/v2/", "gongzhi.demands.open311_urls")),
        api_routers=(("/demands", "gongzhi.demands.api:router"),),
        nav=NavGroup(_("Demands"), (
            NavEntry(_("Demands"), "demands:queue", C.VIEW_DEMANDS),
            NavEntry(_("Claim board"), "demands:claim_board", C.CLAIM_DEMANDS),
            NavEntry(_("Overdue"), "demands:overdue", C.VIEW_DEMANDS),
            NavEntry(_("Joint meeting"), "demands:agenda", C.VIEW_DEMANDS),
            NavEntry(_("Extensions"), "demands:extensions", C.APPROVE_DEMANDS),
            NavEntry(_("Inbox"), "demands:inbox", None, badge="gongzhi.demands.selectors:unread_count"),
        ), order=10),
        excel_lists=("gongzhi.demands.excel:DEMANDS",),
        audited=("demands.Demand", "demands.Category", "demands.DeadlinePolicy", "demands.CalendarDay",
                 "demands.Extension", "demands.Open311Client"),
        workflows=("gongzhi.demands.workflow:FLOW",),
        demo_seeder="gongzhi.demo.demands:seed",
        demo_order=40,
    )

