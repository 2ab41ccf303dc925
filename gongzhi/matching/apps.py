from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.modules import Card, Manifest, NavEntry, NavGroup


class MatchingConfig(AppConfig):
    name = "gongzhi.matching"
    label = "matching"
    verbose_name = _("Two-way matching")
    manifest = Manifest(
        urls=(("matching/", "gongzhi.matching.urls"),),
        api_routers=(("/matching", "gongzhi.matching.api:router"),),
        nav=NavGroup(_("Two-way matching"), (
            NavEntry(_("Resource market"), "matching:resources", C.VIEW_MATCHING),
            NavEntry(_("Need board"), "matching:needs", C.VIEW_MATCHING),
            NavEntry(_("Projects"), "matching:projects", C.VIEW_MATCHING),
            NavEntry(_("Matching results"), "matching:results", C.VIEW_MATCHING),
        ), order=30),
        excel_lists=("gongzhi.matching.excel:RESOURCES", "gongzhi.matching.excel:NEEDS",
                     "gongzhi.matching.excel:PROJECTS"),
        cards=(
            Card("matching.claims", _("Claims on my unit's resources"), "gongzhi.matching.selectors:claims_card",
                 order=30),
            Card("matching.confirm", _("Matching proposals to confirm"), "gongzhi.matching.selectors:to_confirm_card",
                 order=31),
        ),
        audited=("matching.Campaign", "matching.Resource", "matching.Need", "matching.Project",
                 "matching.Milestone"),
        workflows=(
            "gongzhi.matching.workflow:PROJECT_FLOW", "gongzhi.matching.workflow:CAMPAIGN_FLOW",
            "gongzhi.matching.workflow:NEED_FLOW", "gongzhi.matching.workflow:RESOURCE_FLOW",
        ),
        demo_seeder="gongzhi.demo.matching:seed",
        demo_order=30,
    )
