"""The agreements part's share of the joint-building manifest (see gongzhi.joint.apps): co-building agreements
with commitments, KPIs and progress reports, and 众筹共建 projects with pledges.

Personas (gongzhi.core.authz): agreements and projects belong to a sub-district, so only the sub-district
administrator (admin) sees the street's; the area secretaries (insider, outsider) hold ``joint.view`` over their
areas only and see none of them (404); the grid leader and residents hold no joint right (403). The liaisons of a
party unit read their unit's agreements (tests/joint/test_agreements_pages.py)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import POST_ONLY
from gongzhi.core.modules import AuthzCase, Card, NavEntry

AGREEMENT, PROJECT, DRAFT = "agreement_a", "crowd_project_a", "agreement_draft_a"
LIST = "302 403 200 200 403 200"  # joint.view (or a party unit's liaison)
CREATE = "302 403 403 403 403 200"  # joint.manage
IN_SUBDISTRICT = "302 403 404 404 403 200"
MANAGE_IN_SUBDISTRICT = "302 403 404 404 403 200"
API_LIST = "401 403 200 200 403 200"
API_IN_SUBDISTRICT = "401 403 404 404 403 200"

NAV: tuple = (
    NavEntry(_("Co-building agreements"), "joint:agreements_list", C.VIEW_JOINT),
    NavEntry(_("Crowd-funded projects"), "joint:agreements_projects", C.VIEW_JOINT),
)
# the liaisons of a member unit hold no joint.view: they reach their unit's agreements from the user menu
USER_MENU: tuple = (
    NavEntry(_("Our co-building agreements"), "joint:agreements_list", C.OFFER_MATCHING),
)
CARDS: tuple = (
    Card("joint.kpis_behind", _("KPIs behind target"), "gongzhi.joint.selectors.agreements:behind_target_card",
         order=52),
)
EXCEL_LISTS: tuple = ("gongzhi.joint.excel_agreements:AGREEMENTS",)
AUTHZ: dict = {
    "joint:agreements_list": AuthzCase(LIST),
    "joint:agreements_create": AuthzCase(CREATE),
    "joint:agreements_detail": AuthzCase(IN_SUBDISTRICT, AGREEMENT),
    "joint:agreements_print": AuthzCase(IN_SUBDISTRICT, AGREEMENT),
    "joint:agreements_transition": AuthzCase(POST_ONLY, AGREEMENT),
    "joint:agreements_commitment_add": AuthzCase(MANAGE_IN_SUBDISTRICT, DRAFT),
    "joint:agreements_report": AuthzCase(MANAGE_IN_SUBDISTRICT, AGREEMENT),
    "joint:agreements_renew": AuthzCase(MANAGE_IN_SUBDISTRICT, AGREEMENT),
    "joint:agreements_projects": AuthzCase(LIST),
    "joint:agreements_project_create": AuthzCase(CREATE),
    "joint:agreements_project_detail": AuthzCase(IN_SUBDISTRICT, PROJECT),
    "joint:agreements_pledge": AuthzCase(POST_ONLY, PROJECT),
    "api:joint_agreement_list": AuthzCase(API_LIST),
    "api:joint_agreement_detail": AuthzCase(API_IN_SUBDISTRICT, AGREEMENT),
    "api:joint_agreement_report": AuthzCase(POST_ONLY, AGREEMENT),
    "api:joint_crowd_project_list": AuthzCase(API_LIST),
    "api:joint_crowd_project_detail": AuthzCase(API_IN_SUBDISTRICT, PROJECT),
    "api:joint_crowd_pledge": AuthzCase(POST_ONLY, PROJECT),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("joint.Agreement", "joint.AgreementParty", "joint.Commitment", "joint.ProgressReport",
                  "joint.ProgressValue", "joint.CrowdProject", "joint.Pledge")
WORKFLOWS: tuple = ("gongzhi.joint.workflow_agreements:AGREEMENT_FLOW",)
MEDIA: tuple = ()
