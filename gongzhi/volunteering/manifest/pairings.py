"""The pairings part's share of the volunteering manifest (see gongzhi.volunteering.apps): pairings (结对) with their
capacity, contacts and alerts, the sub-district's rules, incubation cohorts (孵化培养).

Personas (gongzhi.core.authz): area A's secretary (insider) and the sub-district administrator see and manage area
A's pairings and cohorts; area B's secretary (outsider) sees area B's only (404 on area A's); the grid leader
(colleague) and residents hold no volunteering right (403), but any account opens "my pairings" (the pairings it
anchors: none for them)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import POST_ONLY
from gongzhi.core.modules import AuthzCase, Card, NavEntry

PAGE = "302 403 200 200 403 200"  # volunteering.view / volunteering.manage, scoped lists and forms
IN_A = "302 403 404 200 403 200"  # a pairing, an anchor or a cohort of area A
ANY_ACCOUNT = "302 200 200 200 200 200"
API_PAGE = "401 403 200 200 403 200"
API_IN_A = "401 403 404 200 403 200"

NAV: tuple = (
    NavEntry(_("Pairings"), "volunteering:pairings_list", C.VIEW_VOLUNTEERING),
    NavEntry(_("Incubation cohorts"), "volunteering:cohorts_list", C.VIEW_VOLUNTEERING),
)
USER_MENU: tuple = (
    # party members and unit liaisons anchor pairings (both claim wishes); the page lists theirs to record contacts
    NavEntry(_("My pairings"), "volunteering:pairings_mine", C.CLAIM_WISHES),
)
CARDS: tuple = (
    Card("volunteering.pairings_overdue", _("Pairings without contact"),
         "gongzhi.volunteering.selectors.pairings:overdue_card", order=58),
)
EXCEL_LISTS: tuple = ("gongzhi.volunteering.excel_pairings:PAIRINGS",
                      "gongzhi.volunteering.excel_pairings:COHORT_PROGRESS")
AUTHZ: dict = {
    "volunteering:pairings_list": AuthzCase(PAGE),
    "volunteering:pairings_mine": AuthzCase(ANY_ACCOUNT),
    "volunteering:pairings_new": AuthzCase(PAGE),
    "volunteering:pairings_rules": AuthzCase(PAGE),
    "volunteering:pairings_detail": AuthzCase(IN_A, "pairing_a"),
    "volunteering:pairings_contact": AuthzCase(POST_ONLY, "pairing_a"),
    "volunteering:pairings_end": AuthzCase(POST_ONLY, "pairing_a"),
    "volunteering:pairings_member": AuthzCase(IN_A, "pairing_member_a"),
    "volunteering:pairings_unit": AuthzCase(IN_A, "pairing_unit_a"),
    "volunteering:cohorts_list": AuthzCase(PAGE),
    "volunteering:cohorts_new": AuthzCase(PAGE),
    "volunteering:cohorts_detail": AuthzCase(IN_A, "cohort_a"),
    "volunteering:cohorts_requirement": AuthzCase(POST_ONLY, "cohort_a"),
    "volunteering:cohorts_participant": AuthzCase(POST_ONLY, "cohort_a"),
    "volunteering:cohorts_progress": AuthzCase(POST_ONLY, "cohort_a"),
    "api:volunteering_pairing_list": AuthzCase(API_PAGE),
    "api:volunteering_pairing_detail": AuthzCase(API_IN_A, "pairing_a"),
    "api:volunteering_pairing_contact": AuthzCase(POST_ONLY, "pairing_a"),
    "api:volunteering_cohort_progress": AuthzCase(API_IN_A, "cohort_a"),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("volunteering.Pairing", "volunteering.PairingContact", "volunteering.PairingRule",
                  "volunteering.Cohort", "volunteering.CohortRequirement", "volunteering.CohortParticipant",
                  "volunteering.CohortProgress")
WORKFLOWS: tuple = ("gongzhi.volunteering.workflow:PAIRING_FLOW",)
MEDIA: tuple = ()
