"""The volunteers part's share of the volunteering manifest (see gongzhi.volunteering.apps): the register of
volunteers (list, page, registering, editing, deactivating), their hours ledger with staff corrections, the Excel
list of volunteers, and their API.

Personas (gongzhi.core.authz): area A's secretary (insider) and the sub-district administrator see and manage the
volunteers of area A; area B's secretary (outsider) sees area B's and not area A's (404); the grid leader
(colleague) and residents hold no volunteering right (403)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import POST_ONLY
from gongzhi.core.modules import AuthzCase, NavEntry

VOLUNTEER = "volunteer_a"  # a volunteer registered in area A, with ledger rows
PAGE = "302 403 200 200 403 200"  # volunteering.view / volunteering.manage, scoped lists
IN_A = "302 403 404 200 403 200"  # a volunteer of area A
API_LIST = "401 403 200 200 403 200"
API_IN_A = "401 403 404 200 403 200"

NAV: tuple = (
    NavEntry(_("Volunteers"), "volunteering:volunteers_list", C.VIEW_VOLUNTEERING),
)
USER_MENU: tuple = ()
CARDS: tuple = ()
EXCEL_LISTS: tuple = ("gongzhi.volunteering.excel_volunteers:VOLUNTEERS",)
AUTHZ: dict = {
    "volunteering:volunteers_list": AuthzCase(PAGE),
    "volunteering:volunteers_create": AuthzCase(PAGE),
    "volunteering:volunteers_detail": AuthzCase(IN_A, VOLUNTEER),
    "volunteering:volunteers_edit": AuthzCase(IN_A, VOLUNTEER),
    "volunteering:volunteers_correct": AuthzCase(IN_A, VOLUNTEER),
    "volunteering:volunteers_active": AuthzCase(POST_ONLY, VOLUNTEER),
    "api:volunteering_volunteer_list": AuthzCase(API_LIST),
    "api:volunteering_volunteer_detail": AuthzCase(API_IN_A, VOLUNTEER),
    "api:volunteering_volunteer_hours": AuthzCase(API_IN_A, VOLUNTEER),
    "api:volunteering_volunteer_correct": AuthzCase(API_IN_A, VOLUNTEER),  # the same path as the ledger
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("volunteering.Volunteer", "volunteering.HoursEntry")
WORKFLOWS: tuple = ()
MEDIA: tuple = ()
