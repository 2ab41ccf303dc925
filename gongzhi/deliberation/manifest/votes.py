"""The votes part's share of the deliberation manifest (see gongzhi.deliberation.apps): votes, resident conventions
and the residents' H5 pages (public: no account, nothing personal)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import (
    API_AREA_A,
    API_IN_A,
    API_LIST,
    AREA_A,
    CREATE,
    IN_A,
    IN_A_EDIT,
    PAGE,
    POST_ONLY,
    PUBLIC,
)
from gongzhi.core.modules import AuthzCase, Card, NavEntry

VOTE, DRAFT, CLOSED = "votes_vote_a", "votes_vote_draft_a", "votes_vote_closed_a"  # in grid A1
CONVENTION, ESTATE, TOPIC = "votes_convention_a", "votes_estate_a", "votes_topic_a"  # in area A

NAV: tuple = (
    NavEntry(_("Votes"), "deliberation:votes_list", C.VIEW_DELIBERATION),
    NavEntry(_("Resident conventions"), "deliberation:votes_convention_list", C.VIEW_DELIBERATION),
)
USER_MENU: tuple = ()
CARDS: tuple = (
    Card("deliberation.votes_closing", _("Votes closing soon"),
         "gongzhi.deliberation.selectors.votes:closing_soon_card", order=37),
)
EXCEL_LISTS: tuple = ("gongzhi.deliberation.excel_votes:VOTE_RESULTS", "gongzhi.deliberation.excel_votes:SIGNATURES")
AUTHZ: dict = {
    "deliberation:votes_list": AuthzCase(PAGE),  # deliberation.view: staff and party members, not residents
    "deliberation:votes_create": AuthzCase(CREATE),  # deliberation.manage
    "deliberation:votes_detail": AuthzCase(IN_A, VOTE),
    "deliberation:votes_edit": AuthzCase(IN_A_EDIT, DRAFT),
    "deliberation:votes_print": AuthzCase(IN_A, CLOSED),
    "deliberation:votes_transition": AuthzCase(POST_ONLY, VOTE),
    "deliberation:votes_record_ballot": AuthzCase(POST_ONLY, VOTE),
    "deliberation:votes_convention_list": AuthzCase(PAGE),
    "deliberation:votes_convention_create": AuthzCase(CREATE),
    "deliberation:votes_convention_detail": AuthzCase(AREA_A, CONVENTION),
    "deliberation:votes_convention_diff": AuthzCase(AREA_A, CONVENTION),
    "deliberation:votes_convention_revise": AuthzCase(POST_ONLY, CONVENTION),
    "deliberation:votes_convention_transition": AuthzCase(POST_ONLY, CONVENTION),
    "deliberation:votes_convention_adopt": AuthzCase(POST_ONLY, CONVENTION),
    "deliberation:votes_convention_record_signature": AuthzCase(POST_ONLY, CONVENTION),
    # the residents' H5 pages: public, the public projection only
    "deliberation:votes_h5_verify": AuthzCase(PUBLIC),
    "deliberation:votes_h5_estate": AuthzCase(PUBLIC, ESTATE),
    "deliberation:votes_h5_vote": AuthzCase(PUBLIC, VOTE),
    "deliberation:votes_h5_ballot": AuthzCase(POST_ONLY, VOTE),
    "deliberation:votes_h5_convention": AuthzCase(PUBLIC, CONVENTION),
    "deliberation:votes_h5_sign": AuthzCase(POST_ONLY, CONVENTION),
    "deliberation:votes_h5_topic": AuthzCase(PUBLIC, TOPIC),
    "deliberation:votes_h5_cosign": AuthzCase(POST_ONLY, TOPIC),
    "api:deliberation_vote_list": AuthzCase(API_LIST),
    "api:deliberation_vote_detail": AuthzCase(API_IN_A, VOTE),
    "api:deliberation_vote_ballot": AuthzCase(POST_ONLY, VOTE),
    "api:deliberation_convention_list": AuthzCase(API_LIST),
    "api:deliberation_convention_detail": AuthzCase(API_AREA_A, CONVENTION),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("deliberation.Vote", "deliberation.VoteOption", "deliberation.ResidentConvention",
                  "deliberation.ConventionVersion", "deliberation.ConventionSignature")
WORKFLOWS: tuple = ("gongzhi.deliberation.workflows_votes:VOTE_FLOW",
                    "gongzhi.deliberation.workflows_votes:CONVENTION_FLOW")
MEDIA: tuple = ()
