"""The ledger part's share of the funds manifest (see gongzhi.funds.apps): funds and their ledger, donations,
charity events, the yearly summary and the auditor's exports."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import ADMIN_ONLY, POST_ONLY
from gongzhi.core.modules import AuthzCase, Card, NavEntry

VIEWERS = "302 403 200 200 403 200"  # funds.view: area and sub-district staff (not grid leaders nor residents)
IN_AREA_A = "302 403 404 200 403 200"  # a fund of area A: its staff and the sub-district
SHARED = "302 403 200 200 403 200"  # the sub-district's foundation: every area's staff see it too
API_VIEWERS = "401 403 200 200 403 200"
API_IN_AREA_A = "401 403 404 200 403 200"
SEL = "gongzhi.funds.selectors.ledger"

NAV: tuple = (
    NavEntry(_("Funds and balances"), "funds:ledger_funds", C.VIEW_FUNDS),
    NavEntry(_("Donations"), "funds:ledger_donations", C.VIEW_FUNDS),
    NavEntry(_("Yearly summary"), "funds:ledger_report", C.VIEW_FUNDS),
)
USER_MENU: tuple = ()
CARDS: tuple = (
    Card("funds.low_balance", _("Funds running low"), f"{SEL}:low_balance_card", order=60),
)
EXCEL_LISTS: tuple = ("gongzhi.funds.excel_ledger:FUND_LEDGER", "gongzhi.funds.excel_ledger:RECEIPTS",
                      "gongzhi.funds.excel_ledger:DONATIONS")
AUTHZ: dict = {
    "funds:ledger_funds": AuthzCase(VIEWERS),
    "funds:ledger_fund_open": AuthzCase(ADMIN_ONLY),
    "funds:ledger_fund": AuthzCase(IN_AREA_A, "fund_a"),
    "funds:ledger_fund_print": AuthzCase(IN_AREA_A, "fund_a"),
    "funds:ledger_allocate": AuthzCase(ADMIN_ONLY, "fund_a"),
    "funds:ledger_donate": AuthzCase(ADMIN_ONLY, "fund_a"),
    "funds:ledger_fund_close": AuthzCase(POST_ONLY, "fund_a"),
    "funds:ledger_event_new": AuthzCase(ADMIN_ONLY, "foundation"),
    "funds:ledger_event": AuthzCase(SHARED, "charity_event"),
    "funds:ledger_lot_add": AuthzCase(POST_ONLY, "charity_event"),
    "funds:ledger_lot_sell": AuthzCase(POST_ONLY, "charity_lot"),
    "funds:ledger_donations": AuthzCase(VIEWERS),
    "funds:ledger_report": AuthzCase(VIEWERS),
    "funds:ledger_report_export": AuthzCase(VIEWERS),
    "api:funds_ledger_fund_list": AuthzCase(API_VIEWERS),
    "api:funds_ledger_fund_detail": AuthzCase(API_IN_AREA_A, "fund_a"),
    "api:funds_ledger_fund_entries": AuthzCase(API_IN_AREA_A, "fund_a"),
    "api:funds_ledger_donation_create": AuthzCase(POST_ONLY, "fund_a"),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("funds.Fund", "funds.LedgerEntry", "funds.Donation", "funds.CharityEvent", "funds.CharityLot")
WORKFLOWS: tuple = ()
MEDIA: tuple = ()
