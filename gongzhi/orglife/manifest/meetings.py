"""The meetings part's share of the orglife manifest (see gongzhi.orglife.apps): the meeting list and its pages,
the compliance grid and the sub-district overview, the requirements, study records, the API, the workbench card
"meetings due this month", the Excel list of meetings with attendance, audit and the meeting photos."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import POST_ONLY
from gongzhi.core.modules import AuthzCase, Card, NavEntry

TARGET = "orglife_meeting_a"  # a 主题党日 of area A's organization (gongzhi.orglife.authz.meetings)
ORG = "orglife_org_a"  # area A's organization
VIEWERS = "302 403 200 200 403 200"  # orglife.view: area and sub-district staff; not grid leaders
RECORDERS = "302 403 200 200 403 200"  # orglife.record: the area secretary, the sub-district
DETAIL = "302 403 404 200 403 200"  # orglife.view within the scope; 404 outside like missing
MANAGERS = "302 403 403 403 403 200"  # orglife.manage: the sub-district
API_LIST = "401 403 200 200 403 200"
API_DETAIL = "401 403 404 200 403 200"
SEL = "gongzhi.orglife.selectors.meetings"

NAV: tuple = (
    NavEntry(_("Meetings"), "orglife:meeting_list", C.VIEW_ORGLIFE),
    NavEntry(_("Compliance overview"), "orglife:meeting_overview", C.VIEW_ORGLIFE),
    NavEntry(_("Meeting requirements"), "orglife:meeting_requirements", C.MANAGE_ORGLIFE),
    NavEntry(_("Study records"), "orglife:study_list", C.VIEW_ORGLIFE),
)
USER_MENU: tuple = ()
CARDS: tuple = (
    Card("orglife.meetings_due", _("Meetings due this month"), f"{SEL}:due_card", order=74),
)
EXCEL_LISTS: tuple = ("gongzhi.orglife.excel_meetings:MEETINGS",)
AUTHZ: dict = {
    "orglife:meeting_list": AuthzCase(VIEWERS),
    "orglife:meeting_new": AuthzCase(RECORDERS),
    "orglife:meeting_detail": AuthzCase(DETAIL, TARGET),
    "orglife:meeting_edit": AuthzCase(DETAIL, TARGET),
    "orglife:meeting_photos": AuthzCase(POST_ONLY, TARGET),
    "orglife:meeting_compliance": AuthzCase(DETAIL, ORG),
    "orglife:meeting_overview": AuthzCase(VIEWERS),
    "orglife:meeting_requirements": AuthzCase(MANAGERS),
    "orglife:study_list": AuthzCase(VIEWERS),
    "orglife:study_new": AuthzCase(RECORDERS),
    "api:orglife_meeting_list": AuthzCase(API_LIST),
    "api:orglife_meeting_detail": AuthzCase(API_DETAIL, TARGET),
    "api:orglife_meeting_create": AuthzCase(API_LIST),  # the same path as the list
    "api:orglife_meeting_compliance": AuthzCase(API_DETAIL, ORG),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("orglife.Meeting", "orglife.Attendance", "orglife.MeetingPhoto", "orglife.MeetingRequirement",
                  "orglife.StudyRecord")
WORKFLOWS: tuple = ()
MEDIA: tuple = (("orglife_meetings/", f"{SEL}:photo_for_file"),)
