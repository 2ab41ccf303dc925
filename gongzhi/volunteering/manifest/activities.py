"""The activities part's share of the volunteering manifest (see gongzhi.volunteering.apps): organisers list,
create and run activities (roster, check-in and check-out crediting hours); any logged-in user signs up on H5 and
sees "my volunteering" and the certificate of their hours.

Personas (gongzhi.core.authz): area A's secretary (insider) and the sub-district administrator organise area A's
activities; area B's secretary organises area B's only; the grid leader (colleague) and the resident hold no
volunteering right, but every account may sign up for the open activities of its own sub-district on H5 (the
board shows them to every account there; another sub-district's are out of sight)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import POST_ONLY
from gongzhi.core.modules import AuthzCase, Card, NavEntry

STAFF_PAGE = "302 403 200 200 403 200"  # volunteering.view or volunteering.organise
IN_AREA_A = "302 403 404 200 403 200"
ANY_ACCOUNT = "302 200 200 200 200 200"
OWN_OR_VIEW = "302 404 404 200 404 200"  # the volunteer themself, or volunteering.view over them
API_STAFF = "401 403 200 200 403 200"
API_IN_AREA_A = "401 403 404 200 403 200"
API_ANY_ACCOUNT = "401 200 200 200 200 200"

NAV: tuple = (
    NavEntry(_("Activities"), "volunteering:activities", C.VIEW_VOLUNTEERING),
)
USER_MENU: tuple = (
    NavEntry(_("My volunteering"), "volunteering:my"),
)
CARDS: tuple = (
    Card("volunteering.activities_week", _("Activities I organise this week"),
         "gongzhi.volunteering.selectors.activities:week_card", order=57),
)
EXCEL_LISTS: tuple = ("gongzhi.volunteering.excel_activities:ACTIVITIES",
                      "gongzhi.volunteering.excel_activities:ATTENDANCE")
AUTHZ: dict = {
    "volunteering:activities": AuthzCase(STAFF_PAGE),
    "volunteering:activity_create": AuthzCase(STAFF_PAGE),
    "volunteering:series_create": AuthzCase(STAFF_PAGE),
    "volunteering:activity": AuthzCase(IN_AREA_A, "activity_a"),
    "volunteering:activity_edit": AuthzCase(IN_AREA_A, "activity_a"),
    "volunteering:activity_act": AuthzCase(POST_ONLY, "activity_a"),
    "volunteering:signup_roster": AuthzCase(POST_ONLY, "signup_a"),
    "volunteering:h5_activities": AuthzCase(ANY_ACCOUNT),
    "volunteering:h5_activity": AuthzCase(ANY_ACCOUNT, "activity_a"),
    "volunteering:h5_sign_up": AuthzCase(POST_ONLY, "shift_a"),
    "volunteering:h5_cancel": AuthzCase(POST_ONLY, "signup_a"),
    "volunteering:my": AuthzCase(ANY_ACCOUNT),
    "volunteering:certificate": AuthzCase(OWN_OR_VIEW, "hours_volunteer_a"),
    "volunteering:certificate_xlsx": AuthzCase(OWN_OR_VIEW, "hours_volunteer_a"),
    "api:volunteering_activities_open": AuthzCase(API_ANY_ACCOUNT),
    "api:volunteering_activities": AuthzCase(API_STAFF),
    "api:volunteering_activity": AuthzCase(API_ANY_ACCOUNT, "activity_a"),
    "api:volunteering_activity_roster": AuthzCase(API_IN_AREA_A, "activity_a"),
    "api:volunteering_my_signups": AuthzCase(API_ANY_ACCOUNT),
    "api:volunteering_sign_up": AuthzCase(POST_ONLY, "shift_a"),
    "api:volunteering_signup_cancel": AuthzCase(POST_ONLY, "signup_a"),
    "api:volunteering_signup_check_in": AuthzCase(POST_ONLY, "signup_a"),
    "api:volunteering_signup_check_out": AuthzCase(POST_ONLY, "signup_a"),
    "api:volunteering_signup_mark_absent": AuthzCase(POST_ONLY, "signup_a"),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("volunteering.ActivitySeries", "volunteering.Activity", "volunteering.Shift", "volunteering.SignUp")
WORKFLOWS: tuple = ("gongzhi.volunteering.workflow:ACTIVITY_FLOW", "gongzhi.volunteering.workflow:SIGNUP_FLOW")
MEDIA: tuple = ()
