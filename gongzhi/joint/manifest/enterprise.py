"""The enterprise part's share of the joint-building manifest (see gongzhi.joint.apps): liaison visits to firms
(上门排摸) with their follow-up and the one-step demand, and the liaison coverage of key office buildings.

Personas (gongzhi.core.authz): area A's and area B's secretaries (insider, outsider) hold `joint.view` in their
area, the sub-district administrator also `joint.visit`; the grid leader (colleague) and residents hold neither."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import ADMIN_ONLY, POST_ONLY
from gongzhi.core.modules import AuthzCase, Card, NavEntry

VISIT = "enterprise_visit_a"
LIST = "302 403 200 200 403 200"  # joint.view
IN_A = "302 403 404 200 403 200"  # a visit to a firm in area A
API_LIST = "401 403 200 200 403 200"
API_IN_A = "401 403 404 200 403 200"

NAV: tuple = (
    NavEntry(_("Liaison visits"), "joint:enterprise_visit_list", C.VIEW_JOINT),
    NavEntry(_("Liaison coverage"), "joint:enterprise_coverage", C.VIEW_JOINT),
)
USER_MENU: tuple = ()
CARDS: tuple = (
    Card("joint.firms_not_visited", _("Firms not visited this year"),
         "gongzhi.joint.selectors.enterprise:unvisited_card", order=62),
)
EXCEL_LISTS: tuple = ()
AUTHZ: dict = {
    "joint:enterprise_visit_list": AuthzCase(LIST),
    "joint:enterprise_visit_create": AuthzCase(ADMIN_ONLY),
    "joint:enterprise_visit_detail": AuthzCase(IN_A, VISIT),
    "joint:enterprise_visit_step": AuthzCase(POST_ONLY, VISIT),
    "joint:enterprise_visit_demand": AuthzCase(POST_ONLY, VISIT),
    "joint:enterprise_coverage": AuthzCase(LIST),
    "joint:enterprise_coverage_export": AuthzCase(LIST),
    "api:joint_visit_list": AuthzCase(API_LIST),
    "api:joint_visit_detail": AuthzCase(API_IN_A, VISIT),
    "api:joint_visit_create": AuthzCase(API_LIST),  # GET on its path lists the visits
    "api:joint_coverage": AuthzCase(API_LIST),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("joint.Visit",)
WORKFLOWS: tuple = ("gongzhi.joint.workflow_enterprise:VISIT_FLOW",)
MEDIA: tuple = ()
