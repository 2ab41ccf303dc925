"""The grid part's share of the deliberation manifest (see gongzhi.deliberation.apps): yearly grid topics and
their micro-items claimed with a public promise (屋檐下的微自治)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import API_IN_A, API_LIST, IN_A, POST_ONLY
from gongzhi.core.modules import AuthzCase, Card, NavEntry

VIEWERS = "302 403 200 200 200 200"  # deliberation.view: every staff role and party members, not residents
MANAGERS = "302 403 200 200 403 200"  # deliberation.manage: area and sub-district staff, not grid leaders
CLAIMERS = "302 403 200 200 200 200"  # deliberation.claim: party members, grid leaders, area and sub-district staff
SEL = "gongzhi.deliberation.selectors.grid"

NAV: tuple = (
    NavEntry(_("Grid topics"), "deliberation:grid_topics", C.VIEW_DELIBERATION),
    NavEntry(_("Micro-item claims board"), "deliberation:grid_board", C.VIEW_DELIBERATION),
    NavEntry(_("My promises"), "deliberation:grid_my_promises", C.CLAIM_MICRO_ITEMS),
)
USER_MENU: tuple = ()
CARDS: tuple = (
    Card("deliberation.grid_promises", _("Micro-items I promised"), f"{SEL}:promises_card", order=40),
    Card("deliberation.grid_unclaimed", _("Unclaimed micro-items in my grids"), f"{SEL}:unclaimed_card", order=41),
)
EXCEL_LISTS: tuple = ("gongzhi.deliberation.excel_grid:GRID_TOPICS", "gongzhi.deliberation.excel_grid:MICRO_ITEMS")
AUTHZ: dict = {
    "deliberation:grid_topics": AuthzCase(VIEWERS),
    "deliberation:grid_topic_batch": AuthzCase(MANAGERS),
    "deliberation:grid_topic_detail": AuthzCase(IN_A, "grid_topic_a"),
    "deliberation:grid_topic_transition": AuthzCase(POST_ONLY, "grid_topic_a"),
    "deliberation:grid_topic_raise": AuthzCase(POST_ONLY, "grid_topic_a"),
    "deliberation:grid_item_add": AuthzCase(POST_ONLY, "grid_topic_a"),
    "deliberation:grid_item_claim": AuthzCase(POST_ONLY, {"pk": 1}),
    "deliberation:grid_item_release": AuthzCase(POST_ONLY, {"pk": 1}),
    "deliberation:grid_item_done": AuthzCase(POST_ONLY, {"pk": 1}),
    "deliberation:grid_board": AuthzCase(VIEWERS),
    "deliberation:grid_my_promises": AuthzCase(CLAIMERS),
    "api:deliberation_grid_topic_list": AuthzCase(API_LIST),
    "api:deliberation_grid_topic_detail": AuthzCase(API_IN_A, "grid_topic_a"),
    "api:deliberation_grid_item_claim": AuthzCase(POST_ONLY, {"pk": 1}),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("deliberation.GridTopic", "deliberation.MicroItem")
WORKFLOWS: tuple = ("gongzhi.deliberation.workflows_grid:GRID_TOPIC_FLOW",
                    "gongzhi.deliberation.workflows_grid:MICRO_ITEM_FLOW")
MEDIA: tuple = (("deliberation_grid/", f"{SEL}:photo_for_file"),)
