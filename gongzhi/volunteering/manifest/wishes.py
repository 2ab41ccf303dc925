"""The wishes part's share of the volunteering manifest (see gongzhi.volunteering.apps): the workbench board of
micro-wishes and its pages, the H5 board every account sees, the API, the workbench card, Excel, audit, the
wish workflow and the fulfilment photos."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import POST_ONLY
from gongzhi.core.modules import AuthzCase, Card, NavEntry

TARGET = "wish_a"  # an open wish of area A (gongzhi.volunteering.authz.wishes)
VIEWERS = "302 403 200 200 403 200"  # volunteering.view: area and sub-district staff; not grid leaders
POSTERS = "302 403 200 200 200 200"  # volunteering.manage, or a grid leader for an area of their grid
DETAIL = "302 403 404 200 403 200"  # volunteering.view within the scope; 404 outside like missing
BOARD = "302 200 200 200 200 200"  # every account
API_LIST = "401 403 200 200 403 200"
API_DETAIL = "401 403 404 200 403 200"
SEL = "gongzhi.volunteering.selectors.wishes"

NAV: tuple = (
    NavEntry(_("Micro-wishes"), "volunteering:wish_list", C.VIEW_VOLUNTEERING),
    NavEntry(_("Micro-wish board"), "volunteering:wish_h5_board", C.CLAIM_WISHES),
    # grid leaders post wishes for their grids' areas without seeing the staff list (policies.wishes.may_post)
    NavEntry(_("Post a wish"), "volunteering:wish_new", when="gongzhi.volunteering.policies.wishes:posts_without_list"),
)
USER_MENU: tuple = ()
CARDS: tuple = (
    Card("volunteering.wishes_waiting", _("Wishes waiting for approval or overdue"), f"{SEL}:waiting_card",
         order=72),
)
EXCEL_LISTS: tuple = ("gongzhi.volunteering.excel_wishes:WISHES",)
AUTHZ: dict = {
    "volunteering:wish_list": AuthzCase(VIEWERS),
    "volunteering:wish_print": AuthzCase(VIEWERS),
    "volunteering:wish_new": AuthzCase(POSTERS),
    "volunteering:wish_detail": AuthzCase(DETAIL, TARGET),
    "volunteering:wish_step": AuthzCase(POST_ONLY, TARGET),
    "volunteering:wish_thanks": AuthzCase(POST_ONLY, TARGET),
    "volunteering:wish_claim": AuthzCase(POST_ONLY, TARGET),
    "volunteering:wish_fulfil": AuthzCase(POST_ONLY, TARGET),
    # the board every account sees: the published wishes, the beneficiary masked, nothing else personal
    "volunteering:wish_h5_board": AuthzCase(BOARD),
    "volunteering:wish_h5_detail": AuthzCase(BOARD, TARGET),
    "api:volunteering_wish_list": AuthzCase(API_LIST),
    "api:volunteering_wish_detail": AuthzCase(API_DETAIL, TARGET),
    "api:volunteering_wish_claim": AuthzCase(POST_ONLY, TARGET),
    "api:volunteering_wish_fulfil": AuthzCase(POST_ONLY, TARGET),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("volunteering.Wish", "volunteering.WishPhoto")
WORKFLOWS: tuple = ("gongzhi.volunteering.workflow:WISH_FLOW",)
MEDIA: tuple = (("volunteering_wishes/", f"{SEL}:photo_for_file"),)
