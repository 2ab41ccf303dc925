"""The awards part's share of the orglife manifest (see gongzhi.orglife.apps): award rounds (managers: schemes,
rounds, criteria, tiers, entries, the panel and the steps), an entry's score page with every point's source, the
organizations' self-assessment with evidence, the reviewers' scores, the records behind an indicator and the public
honour roll.

Personas (gongzhi.core.authz): the sub-district administrator manages and sees every round of the sub-district;
area A's secretary (insider) sees the rounds with an entry of area A's organization and self-assesses it; area B's
secretary (outsider) likewise for area B; the grid leader (colleague) and the resident hold no awards right."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import POST_ONLY, PUBLIC
from gongzhi.core.modules import AuthzCase, Card, NavEntry

STAFF_PAGE = "302 403 200 200 403 200"
MANAGERS = "302 403 403 403 403 200"
IN_A = "302 403 404 200 403 200"
DRAFT_IN_A = "302 403 404 403 403 200"  # seen by area A's secretary, edited by managers only
API_ANY = "401 200 200 200 200 200"
API_IN_A = "401 404 404 200 404 200"

NAV: tuple = (
    NavEntry(_("Award rounds"), "orglife:award_rounds", C.VIEW_ORGLIFE),
)
USER_MENU: tuple = ()
CARDS: tuple = (
    Card("orglife.evidence_missing", _("Evidence missing for the current round"),
         "gongzhi.orglife.selectors.awards:evidence_card", order=59),
)
EXCEL_LISTS: tuple = ("gongzhi.orglife.excel_awards:SCORES", "gongzhi.orglife.excel_awards:REVIEW_SCORES")
AUTHZ: dict = {
    "orglife:award_rounds": AuthzCase(STAFF_PAGE),
    "orglife:award_scheme_create": AuthzCase(MANAGERS),
    "orglife:award_round_create": AuthzCase(MANAGERS),
    "orglife:award_round": AuthzCase(IN_A, "round_a"),
    "orglife:award_round_edit": AuthzCase(DRAFT_IN_A, "draft_round_a"),
    "orglife:award_round_step": AuthzCase(POST_ONLY, "round_a"),
    "orglife:award_round_eligible": AuthzCase(POST_ONLY, "round_a"),
    "orglife:award_round_reviewer": AuthzCase(POST_ONLY, "round_a"),
    "orglife:award_entry": AuthzCase(IN_A, "entry_a"),
    "orglife:award_entry_evidence": AuthzCase(POST_ONLY, "entry_a"),
    "orglife:award_entry_score": AuthzCase(POST_ONLY, "entry_a"),
    "orglife:award_entry_step": AuthzCase(POST_ONLY, "entry_a"),
    "orglife:award_entry_remove": AuthzCase(POST_ONLY, "entry_a"),
    "orglife:award_source": AuthzCase(IN_A, "org_a"),
    "orglife:award_honours": AuthzCase(PUBLIC),
    "api:orglife_award_rounds": AuthzCase(API_ANY),
    "api:orglife_award_round": AuthzCase(API_IN_A, "round_a"),
    "api:orglife_award_entry_score": AuthzCase(API_IN_A, "entry_a"),
    "api:orglife_award_entry_score_submit": AuthzCase(POST_ONLY, "entry_a"),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("orglife.AwardScheme", "orglife.AwardRound", "orglife.AwardTier", "orglife.Criterion",
                  "orglife.AwardEntry", "orglife.Evidence", "orglife.Reviewer", "orglife.ReviewScore")
WORKFLOWS: tuple = ("gongzhi.orglife.workflow:ROUND_FLOW", "gongzhi.orglife.workflow:ENTRY_FLOW")
MEDIA: tuple = (("orglife_evidence/", "gongzhi.orglife.selectors.awards:evidence_for_file"),)
