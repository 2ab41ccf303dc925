"""The delivery part's share of the funds manifest (see gongzhi.funds.apps): the delivery list and pages, the
public results page of a residential area (H5), its API, the workbench cards, audit and uploads."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import POST_ONLY, PUBLIC
from gongzhi.core.modules import AuthzCase, Card, NavEntry

TARGET = "delivery_proposal_a"  # a granted proposal of area A's autonomy fund (gongzhi.funds.authz.delivery)
LIST = "302 403 200 200 403 200"  # funds.view (the grid leader has none) or a submitted funded proposal
DETAIL = "302 404 404 200 404 200"  # in area A's scope (or its submitting account's): 404 like missing otherwise
API_DETAIL = "401 404 404 200 404 200"
SELECTORS = "gongzhi.funds.selectors.delivery"

NAV: tuple = (
    NavEntry(_("Delivery of funded projects"), "funds:delivery_list", C.VIEW_FUNDS),
)
USER_MENU: tuple = ()
CARDS: tuple = (
    Card("funds.milestones_due", _("Milestones past due"), f"{SELECTORS}:milestones_due_card", order=62),
    Card("funds.without_receipts", _("Grants without receipts"), f"{SELECTORS}:without_receipts_card", order=63),
)
EXCEL_LISTS: tuple = ()
AUTHZ: dict = {
    "funds:delivery_list": AuthzCase(LIST),
    "funds:delivery_detail": AuthzCase(DETAIL, TARGET),
    "funds:delivery_milestone_add": AuthzCase(POST_ONLY, TARGET),
    "funds:delivery_milestone_edit": AuthzCase(POST_ONLY, "delivery_milestone_a"),
    "funds:delivery_milestone_done": AuthzCase(POST_ONLY, "delivery_milestone_a"),
    "funds:delivery_spending_add": AuthzCase(POST_ONLY, TARGET),
    "funds:delivery_receipt_add": AuthzCase(POST_ONLY, "delivery_spending_a"),
    "funds:delivery_progress": AuthzCase(POST_ONLY, TARGET),
    "funds:delivery_photo_add": AuthzCase(POST_ONLY, TARGET),
    "funds:delivery_complete": AuthzCase(POST_ONLY, TARGET),
    # the residents' results page: public, nothing personal
    "funds:delivery_h5_area": AuthzCase(PUBLIC, "area_a"),
    "api:funds_delivery_detail": AuthzCase(API_DETAIL, TARGET),
    "api:funds_delivery_spending_create": AuthzCase(POST_ONLY, TARGET),
    "api:funds_delivery_public_area": AuthzCase(PUBLIC, "area_a"),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("funds.Milestone", "funds.Spending", "funds.ProjectPhoto")
WORKFLOWS: tuple = ()
MEDIA: tuple = (
    ("funds_receipts/", f"{SELECTORS}:receipt_for_file"),
    ("funds_photos/", f"{SELECTORS}:photo_for_file"),
)
