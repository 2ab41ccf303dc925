"""The records part's share of the orglife manifest (see gongzhi.orglife.apps): members' yearly records (the list
per organization, the record page per member and year, the member's own at /orglife/me/), the "四先" record,
democratic appraisal results (sheet per organization and year, Excel), mobile members with their contact log
(Excel export, whereabouts masked) and the workbench card of mobile members with no recent contact.

Personas (gongzhi.core.authz): area A's secretary (insider) and the sub-district administrator see and record area
A's members; area B's secretary (outsider) sees area B's and not area A's (404); the grid leader (colleague) and the
resident hold no organization-life right (403); every account opens /orglife/me/ (a page saying no record is linked
when the account has no party member)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import POST_ONLY
from gongzhi.core.modules import AuthzCase, Card, NavEntry

MEMBER, ORG, MOBILE = "member_a", "org_a", "mobile_member_a"
STAFF = "302 403 200 200 403 200"  # orglife.view (orglife.record for the forms), scoped lists
IN_A = "302 403 404 200 403 200"
ANY_ACCOUNT = "302 200 200 200 200 200"
API_STAFF = "401 403 200 200 403 200"
API_IN_A = "401 403 404 200 403 200"

NAV: tuple = (
    NavEntry(_("Members' records"), "orglife:records_members", C.VIEW_ORGLIFE),
    NavEntry(_("四先 records"), "orglife:records_four_firsts", C.VIEW_ORGLIFE),
    NavEntry(_("Democratic appraisal"), "orglife:records_appraisals", C.VIEW_ORGLIFE),
    NavEntry(_("Mobile members"), "orglife:records_mobile", C.VIEW_ORGLIFE),
)
USER_MENU: tuple = (
    NavEntry(_("My yearly record"), "orglife:records_me"),
)
CARDS: tuple = (
    Card("orglife.mobile_no_contact", _("Mobile members with no contact"),
         "gongzhi.orglife.selectors.records:no_contact_card", order=58),
)
EXCEL_LISTS: tuple = ("gongzhi.orglife.excel_records:APPRAISALS", "gongzhi.orglife.excel_records:MOBILE_MEMBERS")
AUTHZ: dict = {
    "orglife:records_members": AuthzCase(STAFF),
    "orglife:records_member": AuthzCase(IN_A, MEMBER),
    "orglife:records_member_year": AuthzCase(IN_A, MEMBER),  # the year is the member's pk: an empty record
    "orglife:records_four_first_new": AuthzCase(IN_A, MEMBER),
    "orglife:records_me": AuthzCase(ANY_ACCOUNT),
    "orglife:records_four_firsts": AuthzCase(STAFF),
    "orglife:records_appraisals": AuthzCase(STAFF),
    "orglife:records_appraisal_sheet": AuthzCase(IN_A, ORG),
    "orglife:records_mobile": AuthzCase(STAFF),
    "orglife:records_mobile_detail": AuthzCase(IN_A, MOBILE),
    "orglife:records_mobile_edit": AuthzCase(IN_A, MOBILE),
    "orglife:records_mobile_contact": AuthzCase(IN_A, MOBILE),
    "api:orglife_member_record": AuthzCase(API_IN_A, MEMBER),
    "api:orglife_four_firsts": AuthzCase(API_STAFF),
    "api:orglife_four_first_create": AuthzCase(POST_ONLY, MEMBER),
    "api:orglife_appraisals": AuthzCase(API_STAFF),
    "api:orglife_mobile_members": AuthzCase(API_STAFF),
    "api:orglife_mobile_contact": AuthzCase(POST_ONLY, MOBILE),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("orglife.FourFirst", "orglife.Appraisal", "orglife.MobileMember", "orglife.MobileContact")
WORKFLOWS: tuple = ()
MEDIA: tuple = ()
