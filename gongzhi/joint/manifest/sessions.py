"""The sessions part's share of the joint-building manifest (see gongzhi.joint.apps): sessions (list, calendar,
planning, a page each with agenda, attendance, minutes and decisions), decisions, the decisions of a district
department's unit, the referral of a demand, the workbench cards, the Excel lists and the API.

Personas (gongzhi.core.authz): sessions belong to the sub-district's platform, whose region only the sub-district
administrator's scope covers; the area secretaries hold joint.view (the lists open) but see none of its sessions;
the grid leader and residents hold no joint right."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import POST_ONLY
from gongzhi.core.modules import AuthzCase, Card, NavEntry

SESSION, DECISION, DEMAND = "session_a", "joint_decision_a", "referable_demand_a"
LIST = "302 403 200 200 403 200"  # joint.view
MANAGE = "302 403 403 403 403 200"  # joint.manage (the sub-district)
IN_SUBDISTRICT = "302 404 404 404 404 200"  # an object of the sub-district's platform: 404 like missing otherwise
REFER = "302 404 404 403 403 200"  # the referral page: 403 to who sees the demand (grid A1) but may not refer it
API_LIST = "401 403 200 200 403 200"
API_IN_SUBDISTRICT = "401 404 404 404 404 200"
SELECTORS = "gongzhi.joint.selectors.sessions"

NAV: tuple = (
    NavEntry(_("Joint-meeting sessions"), "joint:sessions_list", C.VIEW_JOINT),
    NavEntry(_("Decisions of joint meetings"), "joint:sessions_decisions", C.VIEW_JOINT),
    NavEntry(_("Decisions of my unit"), "joint:sessions_my_unit", C.VIEW_JOINT),
)
USER_MENU: tuple = ()
CARDS: tuple = (
    Card("joint.decisions_due", _("Decisions I own that are due"), f"{SELECTORS}:decisions_due_card", order=52),
    Card("joint.next_agenda", _("The next session's agenda"), f"{SELECTORS}:next_agenda_card", order=53),
)
EXCEL_LISTS: tuple = ("gongzhi.joint.excel_sessions:SESSIONS", "gongzhi.joint.excel_sessions:DECISIONS")
AUTHZ: dict = {
    "joint:sessions_list": AuthzCase(LIST),
    "joint:sessions_calendar": AuthzCase(LIST),
    "joint:sessions_plan": AuthzCase(MANAGE),
    "joint:sessions_detail": AuthzCase(IN_SUBDISTRICT, SESSION),
    "joint:sessions_hold": AuthzCase(POST_ONLY, SESSION),
    "joint:sessions_minutes": AuthzCase(POST_ONLY, SESSION),
    "joint:sessions_cancel": AuthzCase(POST_ONLY, SESSION),
    "joint:sessions_agenda_add": AuthzCase(POST_ONLY, SESSION),
    "joint:sessions_sign_in": AuthzCase(POST_ONLY, SESSION),
    "joint:sessions_decide": AuthzCase(POST_ONLY, SESSION),
    "joint:sessions_decisions": AuthzCase(LIST),
    "joint:sessions_decision": AuthzCase(IN_SUBDISTRICT, DECISION),
    "joint:sessions_decision_act": AuthzCase(POST_ONLY, {"pk": 1, "action": "start"}),
    "joint:sessions_my_unit": AuthzCase(LIST),  # empty but for the staff of a unit (a district department)
    "joint:sessions_refer": AuthzCase(REFER, DEMAND),
    "api:joint_session_list": AuthzCase(API_LIST),
    "api:joint_session_detail": AuthzCase(API_IN_SUBDISTRICT, SESSION),
    "api:joint_decision_list": AuthzCase(API_LIST),
    "api:joint_decision_detail": AuthzCase(API_IN_SUBDISTRICT, DECISION),
    "api:joint_demand_refer": AuthzCase(POST_ONLY, DEMAND),
    "api:joint_session_decide": AuthzCase(POST_ONLY, SESSION),
    "api:joint_decision_complete": AuthzCase(POST_ONLY, DECISION),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("joint.Session", "joint.AgendaItem", "joint.Attendance", "joint.Decision")
WORKFLOWS: tuple = ("gongzhi.joint.workflow:SESSION_FLOW", "gongzhi.joint.workflow:DECISION_FLOW")
MEDIA: tuple = ()
