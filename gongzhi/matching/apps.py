from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import ADMIN_ONLY, API_IN_A, API_LIST, AREA_A, CREATE, IN_A, PAGE, POST_ONLY
from gongzhi.core.modules import AuthzCase, Card, Manifest, NavEntry, NavGroup

MATCH = PAGE  # matching.view: every staff role, not residents
MATCH_OFFER = CREATE  # matching.manage or matching.offer

AUTHZ = {
    "matching:resources": AuthzCase(MATCH),
    "matching:resource_create": AuthzCase(MATCH_OFFER),
    "matching:resource_detail": AuthzCase(IN_A, "resource_a"),
    "matching:resource_edit": AuthzCase(AREA_A, "resource_a"),
    "matching:resource_claim": AuthzCase(POST_ONLY, "resource_a"),
    "matching:resource_transition": AuthzCase(POST_ONLY, "resource_a"),
    "matching:needs": AuthzCase(MATCH),
    "matching:need_create": AuthzCase(MATCH_OFFER),
    "matching:need_detail": AuthzCase(IN_A, "need_a"),
    "matching:need_edit": AuthzCase(AREA_A, "need_a"),
    "matching:need_claim": AuthzCase(POST_ONLY, "need_a"),
    "matching:need_transition": AuthzCase(POST_ONLY, "need_a"),
    "matching:suggestions": AuthzCase(MATCH),
    "matching:picker": AuthzCase(MATCH, {"kind": "needs"}),  # the options of a searchable picker (htmx)
    "matching:campaigns": AuthzCase(MATCH),
    "matching:campaign_create": AuthzCase(ADMIN_ONLY),  # sub-district staff only
    "matching:campaign_edit": AuthzCase(ADMIN_ONLY, "campaign"),  # sub-district staff only
    "matching:campaign_advance": AuthzCase(POST_ONLY, "campaign"),
    "matching:global_match": AuthzCase(POST_ONLY, "campaign"),
    "matching:projects": AuthzCase(MATCH),
    "matching:project_detail": AuthzCase(IN_A, "project_a"),
    "matching:project_transition": AuthzCase(POST_ONLY, "project_a"),
    "matching:project_plan": AuthzCase(POST_ONLY, "project_a"),
    "matching:milestone_add": AuthzCase(POST_ONLY, "project_a"),
    "matching:milestone_toggle": AuthzCase(POST_ONLY, "project_a"),
    "matching:attachment_add": AuthzCase(POST_ONLY, "project_a"),
    "matching:my_unit": AuthzCase("302 403 404 404 404 404"),  # only unit liaisons have a unit of their own
    "matching:unit": AuthzCase(IN_A, "unit_a"),
    "matching:results": AuthzCase(MATCH),
    "matching:results_export": AuthzCase(MATCH),
    "api:matching_resource_list": AuthzCase(API_LIST),
    "api:matching_resource_detail": AuthzCase(API_IN_A, "resource_a"),
    "api:matching_need_list": AuthzCase(API_LIST),
    "api:matching_need_detail": AuthzCase(API_IN_A, "need_a"),
    "api:matching_need_suggestions": AuthzCase(API_IN_A, "need_a"),
    "api:matching_project_list": AuthzCase(API_LIST),
    "api:matching_project_detail": AuthzCase(API_IN_A, "project_a"),
    "api:matching_claim_need": AuthzCase(POST_ONLY),
    "api:matching_claim_resource": AuthzCase(POST_ONLY),
    "api:matching_project_confirm": AuthzCase(POST_ONLY, "project_a"),
    "api:matching_project_transition": AuthzCase(POST_ONLY, "project_a"),
}


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
        authz=AUTHZ,
        authz_fixtures="gongzhi.matching.authz:build",
        demo_seeder="gongzhi.demo.matching:seed",
        demo_order=30,
        media=(("matching/", "gongzhi.matching.selectors:attachment_for_file"),),
    )
