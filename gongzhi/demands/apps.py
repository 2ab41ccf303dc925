from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.modules import Card, Manifest, NavEntry, NavGroup

SEL = "gongzhi.demands.selectors"


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
        cards=(
            Card("demands.mine", _("My demands"), f"{SEL}:my_demands_card", order=5),
            Card("demands.assigned", _("Assigned to me"), f"{SEL}:assigned_card", order=10),
            Card("demands.claims", _("My claims"), f"{SEL}:my_claims_card", order=11),
            Card("demands.board", _("My grid's claim board"), f"{SEL}:claim_board_card", order=12),
            Card("demands.overdue", _("Overdue in my scope"), f"{SEL}:overdue_card", order=20),
            Card("demands.extensions", _("Extension requests to decide"), f"{SEL}:extensions_card", order=22),
            Card("demands.reopened", _("Reopened after a review"), f"{SEL}:reopened_card", order=24),
            Card("demands.new", _("New today"), f"{SEL}:new_card", order=40),
            Card("demands.performance", _("On time, last 90 days"), f"{SEL}:performance_card", order=60),
        ),
        audited=("demands.Demand", "demands.Category", "demands.DeadlinePolicy", "demands.CalendarDay",
                 "demands.Extension", "demands.Open311Client"),
        workflows=("gongzhi.demands.workflow:FLOW",),
        demo_seeder="gongzhi.demo.demands:seed",
        demo_order=40,
    )

