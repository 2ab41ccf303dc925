"""The topics part's share of the deliberation manifest (see gongzhi.deliberation.apps)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import API_IN_A, API_LIST, IN_A, IN_A_EDIT, POST_ONLY
from gongzhi.core.modules import AuthzCase, Card, NavEntry

VIEW = "302 403 200 200 200 200"  # deliberation.view: every staff persona, not residents
CREATE = "302 403 200 200 403 200"  # deliberation.manage (the grid leader reads topics but does not raise them)
BAD_LINK = "404 404 404 404 404 404"  # the residents' signed pages, opened with a link that is not signed

NAV: tuple = (
    NavEntry(_("Topics"), "deliberation:topic_list", C.VIEW_DELIBERATION),
    NavEntry(_("Meetings"), "deliberation:meeting_list", C.VIEW_DELIBERATION),
)
USER_MENU: tuple = ()
CARDS: tuple = (
    Card("deliberation.meetings", _("Meetings I convene or am invited to"),
         "gongzhi.deliberation.selectors.topics:meetings_card", order=40),
    Card("deliberation.decisions_overdue", _("Decisions past due"),
         "gongzhi.deliberation.selectors.topics:decisions_card", order=41),
)
EXCEL_LISTS: tuple = ("gongzhi.deliberation.excel_topics:TOPICS", "gongzhi.deliberation.excel_topics:MEETINGS",
                      "gongzhi.deliberation.excel_topics:DECISIONS")
AUTHZ: dict = {
    "deliberation:topic_list": AuthzCase(VIEW),
    "deliberation:topic_create": AuthzCase(CREATE),
    "deliberation:topic_detail": AuthzCase(IN_A, "topic_a"),
    "deliberation:topic_print": AuthzCase(IN_A, "topic_a"),
    "deliberation:topic_edit": AuthzCase(IN_A_EDIT, "topic_a"),
    "deliberation:topic_transition": AuthzCase(POST_ONLY, "topic_a"),
    "deliberation:topic_cosign": AuthzCase(POST_ONLY, "topic_a"),
    "deliberation:topic_picker": AuthzCase(VIEW, {"kind": "households"}, ({"kind": "demands"},)),
    "deliberation:meeting_create": AuthzCase(IN_A_EDIT, "topic_a"),
    "deliberation:meeting_list": AuthzCase(VIEW),
    "deliberation:meeting_detail": AuthzCase(IN_A, "meeting_a"),
    "deliberation:meeting_attendance": AuthzCase(IN_A, "meeting_a"),
    "deliberation:meeting_transition": AuthzCase(POST_ONLY, "meeting_a"),
    "deliberation:meeting_rsvp": AuthzCase(POST_ONLY, "meeting_a"),
    "deliberation:meeting_checkin": AuthzCase(POST_ONLY, "meeting_a"),
    "deliberation:meeting_minute_add": AuthzCase(POST_ONLY, "meeting_a"),
    "deliberation:meeting_minutes": AuthzCase(POST_ONLY, "meeting_a"),
    "deliberation:meeting_decision_add": AuthzCase(POST_ONLY, "meeting_a"),
    "deliberation:meeting_attachment_add": AuthzCase(POST_ONLY, "meeting_a"),
    "deliberation:decision_list": AuthzCase(VIEW),
    "deliberation:decision_transition": AuthzCase(POST_ONLY, "decision_a"),
    "deliberation:checkin": AuthzCase(BAD_LINK, {"token": "eyJtIjoxfQ:bad:signature"}),
    "deliberation:h5_meeting": AuthzCase(BAD_LINK, {"token": "eyJpIjoxfQ:bad:signature"}),
    "api:deliberation_topic_list": AuthzCase(API_LIST),
    "api:deliberation_topic_create": AuthzCase(API_LIST),  # the same path as the list
    "api:deliberation_topic_detail": AuthzCase(API_IN_A, "topic_a"),
    "api:deliberation_topic_transition": AuthzCase(POST_ONLY, "topic_a"),
    "api:deliberation_meeting_list": AuthzCase(API_LIST),
    "api:deliberation_meeting_detail": AuthzCase(API_IN_A, "meeting_a"),
    "api:deliberation_meeting_checkin": AuthzCase(POST_ONLY, "meeting_a"),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("deliberation.Topic", "deliberation.Meeting", "deliberation.Invitation", "deliberation.MinuteEntry",
                  "deliberation.Decision", "deliberation.MeetingAttachment")
WORKFLOWS: tuple = ("gongzhi.deliberation.workflow:TOPIC_FLOW", "gongzhi.deliberation.workflow:MEETING_FLOW",
                    "gongzhi.deliberation.workflow:DECISION_FLOW")
MEDIA: tuple = (("deliberation/meetings/", "gongzhi.deliberation.selectors.topics:attachment_for_file"),)
