"""The councils part's share of the deliberation manifest (see gongzhi.deliberation.apps).

Everything here lies at the level of a residential area (councils, rules) or of an estate in it (owners'
committees, elections): the area's secretary and the sub-district's staff see and manage it; a grid leader's scope
(one grid) does not reach it, so their lists are empty and the objects' pages answer 404.
"""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import API_AREA_A, API_LIST, AREA_A, POST_ONLY
from gongzhi.core.modules import AuthzCase, Card, NavEntry

LIST = "302 403 200 200 200 200"  # deliberation.view: staff, grid leaders and party members, not residents
CREATE = "302 403 200 200 403 200"  # deliberation.manage
MANAGE_A = "302 403 404 200 403 200"  # deliberation.manage on an object of area A (the grid leader lacks the right)

NAV = (
    NavEntry(_("Councils"), "deliberation:councils", C.VIEW_DELIBERATION),
    NavEntry(_("Deliberation rules"), "deliberation:councils_rules", C.VIEW_DELIBERATION),
    NavEntry(_("Owners' committees"), "deliberation:councils_committees", C.VIEW_DELIBERATION),
)
USER_MENU: tuple = ()
CARDS = (
    Card("deliberation.elections", _("Owners' committee elections under way"),
         "gongzhi.deliberation.selectors.councils:elections_card", order=37),
)
EXCEL_LISTS = ("gongzhi.deliberation.excel_councils:COUNCIL_SEATS",)
AUTHZ = {
    "deliberation:councils": AuthzCase(LIST),
    "deliberation:councils_create": AuthzCase(CREATE),
    "deliberation:councils_detail": AuthzCase(AREA_A, "council_a"),
    "deliberation:councils_edit": AuthzCase(MANAGE_A, "council_a"),
    "deliberation:councils_seat_add": AuthzCase(MANAGE_A, "council_a"),
    "deliberation:councils_seat_edit": AuthzCase(MANAGE_A, "seat_a"),
    "deliberation:councils_seat_remove": AuthzCase(POST_ONLY, "seat_a"),
    "deliberation:councils_rules": AuthzCase(LIST),
    "deliberation:councils_rules_area": AuthzCase(AREA_A, "area_a"),
    "deliberation:councils_rules_edit": AuthzCase(MANAGE_A, "area_a"),
    "deliberation:councils_committees": AuthzCase(LIST),
    "deliberation:councils_committee_create": AuthzCase(CREATE),
    "deliberation:councils_committee_detail": AuthzCase(AREA_A, "committee_a"),
    "deliberation:councils_committee_edit": AuthzCase(MANAGE_A, "committee_a"),
    "deliberation:councils_committee_member_add": AuthzCase(MANAGE_A, "committee_a"),
    "deliberation:councils_committee_member_remove": AuthzCase(POST_ONLY, "committee_member_a"),
    "deliberation:councils_elections": AuthzCase(LIST),
    "deliberation:councils_election_create": AuthzCase(CREATE),
    "deliberation:councils_election_detail": AuthzCase(AREA_A, "election_a"),
    "deliberation:councils_election_step": AuthzCase(POST_ONLY, "election_a"),
    "deliberation:councils_election_hold": AuthzCase(MANAGE_A, "election_a"),
    "deliberation:councils_election_result": AuthzCase(MANAGE_A, "election_a"),
    "deliberation:councils_candidate_add": AuthzCase(MANAGE_A, "election_a"),
    "deliberation:councils_candidate_detail": AuthzCase(AREA_A, "candidate_a"),
    "deliberation:councils_candidate_step": AuthzCase(POST_ONLY, "candidate_a"),
    "api:deliberation_council_list": AuthzCase(API_LIST),
    "api:deliberation_council_detail": AuthzCase(API_AREA_A, "council_a"),
    "api:deliberation_rules_detail": AuthzCase(API_AREA_A, "area_a"),
    "api:deliberation_rules_edit": AuthzCase(POST_ONLY, "area_a"),
    "api:deliberation_committee_list": AuthzCase(API_LIST),
    "api:deliberation_committee_detail": AuthzCase(API_AREA_A, "committee_a"),
    "api:deliberation_election_list": AuthzCase(API_LIST),
    "api:deliberation_election_detail": AuthzCase(API_AREA_A, "election_a"),
    "api:deliberation_candidate_step": AuthzCase(POST_ONLY, "candidate_a"),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED = (
    "deliberation.Council", "deliberation.CouncilSeat", "deliberation.DeliberationRules",
    "deliberation.OwnersCommittee", "deliberation.CommitteeMember", "deliberation.OwnersElection",
    "deliberation.Candidate",
)
WORKFLOWS = (
    "gongzhi.deliberation.workflows_councils:ELECTION_FLOW",
    "gongzhi.deliberation.workflows_councils:CANDIDATE_FLOW",
)
MEDIA: tuple = ()
