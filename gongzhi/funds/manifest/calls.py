"""The calls part's share of the funds manifest (see gongzhi.funds.apps): calls for proposals, proposals through
review, selection and grant, and the residents' H5 pages (public: no account, nothing personal).

Personas (gongzhi.core.authz): the grid leader (colleague) and residents hold no funds right; area A's secretary
(insider) and the sub-district administrator see and manage area A's calls; area B's secretary does not see them."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import POST_ONLY, PUBLIC
from gongzhi.core.modules import AuthzCase, Card, NavEntry

CALL, PROPOSAL, AREA = "call_a", "proposal_a", "area_a"
OPEN_CALL, COLLECTING = "call_open_a", "proposal_collecting_a"  # accepting proposals; co-signing
LIST = "302 403 200 200 403 200"  # funds.view
CREATE = "302 403 200 200 403 200"  # funds.manage (area B's secretary manages area B)
IN_A = "302 404 404 200 404 200"  # an object of area A
API_LIST = "401 403 200 200 403 200"
API_IN_A = "401 404 404 200 404 200"

NAV: tuple = (
    NavEntry(_("Calls for proposals"), "funds:calls_list", C.VIEW_FUNDS),
    NavEntry(_("Proposals"), "funds:calls_proposal_list", C.VIEW_FUNDS),
)
USER_MENU: tuple = ()
CARDS: tuple = (
    Card("funds.proposals_to_review", _("Proposals to review"), "gongzhi.funds.selectors.calls:to_review_card",
         order=41),
)
EXCEL_LISTS: tuple = ("gongzhi.funds.excel_calls:PROPOSALS",)
AUTHZ: dict = {
    "funds:calls_list": AuthzCase(LIST),
    "funds:calls_create": AuthzCase(CREATE),
    "funds:calls_detail": AuthzCase(IN_A, CALL),
    "funds:calls_edit": AuthzCase(IN_A, OPEN_CALL),
    "funds:calls_transition": AuthzCase(POST_ONLY, CALL),
    "funds:calls_proposal_create": AuthzCase(IN_A, OPEN_CALL),
    "funds:calls_proposal_list": AuthzCase(LIST),
    "funds:calls_proposal_detail": AuthzCase(IN_A, PROPOSAL),
    "funds:calls_proposal_review": AuthzCase(POST_ONLY, PROPOSAL),
    "funds:calls_proposal_decline": AuthzCase(POST_ONLY, PROPOSAL),
    "funds:calls_proposal_withdraw": AuthzCase(POST_ONLY, PROPOSAL),
    "funds:calls_proposal_cosign": AuthzCase(POST_ONLY, COLLECTING),
    "funds:calls_proposal_vote": AuthzCase(POST_ONLY, PROPOSAL),
    "funds:calls_proposal_vote_result": AuthzCase(POST_ONLY, PROPOSAL),
    "funds:calls_proposal_decide": AuthzCase(POST_ONLY, PROPOSAL),
    "funds:calls_proposal_grant": AuthzCase(POST_ONLY, PROPOSAL),
    # the residents' H5 pages: public, the public projection only
    "funds:calls_h5_area": AuthzCase(PUBLIC, AREA),
    "funds:calls_h5_call": AuthzCase(PUBLIC, CALL),
    "funds:calls_h5_propose": AuthzCase(PUBLIC, OPEN_CALL),
    "funds:calls_h5_proposal": AuthzCase(PUBLIC, COLLECTING),
    "funds:calls_h5_cosign": AuthzCase(POST_ONLY, COLLECTING),
    "api:funds_call_list": AuthzCase(API_LIST),
    "api:funds_call_detail": AuthzCase(API_IN_A, CALL),
    "api:funds_proposal_list": AuthzCase(API_LIST),
    "api:funds_proposal_detail": AuthzCase(API_IN_A, PROPOSAL),
    "api:funds_proposal_review": AuthzCase(POST_ONLY, PROPOSAL),
    "api:funds_proposal_decline": AuthzCase(POST_ONLY, PROPOSAL),
    "api:funds_proposal_vote": AuthzCase(POST_ONLY, PROPOSAL),
    "api:funds_proposal_vote_result": AuthzCase(POST_ONLY, PROPOSAL),
    "api:funds_proposal_decide": AuthzCase(POST_ONLY, PROPOSAL),
    "api:funds_proposal_grant": AuthzCase(POST_ONLY, PROPOSAL),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("funds.Call", "funds.Proposal", "funds.BudgetLine")
WORKFLOWS: tuple = ("gongzhi.funds.workflow:CALL_FLOW", "gongzhi.funds.workflow:PROPOSAL_FLOW")
MEDIA: tuple = ()
