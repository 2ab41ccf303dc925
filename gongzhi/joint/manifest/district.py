"""The district part's share of the joint-building manifest (see gongzhi.joint.apps): the sub-districts'
two-way matching campaigns under a district platform, and its results broken down by sub-district.

Personas (gongzhi.core.authz): area A's and area B's secretaries (insider, outsider) hold `joint.view` and see the
district platform above their area, with the figures of their own scope; the sub-district administrator links
the sub-district's campaigns (nobody at the district holds `joint.manage`); the grid leader and residents hold no
`joint.view`."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import POST_ONLY
from gongzhi.core.modules import AuthzCase, NavEntry

PLATFORM, LINK = "district_platform", "district_link_a"
LIST = "302 403 200 200 403 200"  # joint.view
API_LIST = "401 403 200 200 403 200"

NAV: tuple = (
    NavEntry(_("District matching"), "joint:district_index", C.VIEW_JOINT),
)
USER_MENU: tuple = ()
CARDS: tuple = ()
EXCEL_LISTS: tuple = ()
AUTHZ: dict = {
    "joint:district_index": AuthzCase(LIST),
    "joint:district_link": AuthzCase(POST_ONLY),
    "joint:district_unlink": AuthzCase(POST_ONLY, LINK),
    "joint:district_results": AuthzCase(LIST, PLATFORM),
    "joint:district_results_export": AuthzCase(LIST, PLATFORM),
    "api:joint_district_results": AuthzCase(API_LIST, PLATFORM),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("joint.DistrictCampaign",)
WORKFLOWS: tuple = ()
MEDIA: tuple = ()
