"""The cases part's share of the doorstep-services manifest (see gongzhi.services.apps): accepting cases at the
counter for any item (全岗通), the case list and pages, the back office's queue, remote assistance, the Excel list
of cases (the paper register's import).

Personas (gongzhi.core.authz): area A's secretary (insider) and the sub-district administrator work the counters
of area A's stations; area B's secretary (outsider) works area B's and does not see area A's cases (404); the grid
leader (colleague) and residents hold no services right (403). The back office is the sub-district's."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import POST_ONLY
from gongzhi.core.modules import AuthzCase, Card, NavEntry

CASE = "service_case_a"  # a forwarded case at a station of area A
INCOMPLETE = "service_case_incomplete_a"  # a case of area A missing materials
PAGE = "302 403 200 200 403 200"  # services.view / services.accept, scoped lists
IN_A = "302 403 404 200 403 200"  # a case at a station of area A
BACK_OFFICE = "302 403 403 403 403 200"  # services.backoffice: the sub-district
API_LIST = "401 403 200 200 403 200"
API_IN_A = "401 403 404 200 403 200"
API_BACK_OFFICE = "401 403 403 403 403 200"

NAV: tuple = (
    NavEntry(_("Accept a case"), "services:cases_open", C.ACCEPT_CASES),
    NavEntry(_("Cases"), "services:cases_list", C.VIEW_SERVICES),
    NavEntry(_("Back office"), "services:cases_queue", C.BACK_OFFICE),
)
USER_MENU: tuple = ()
CARDS: tuple = (
    Card("services.overdue_forwarded", _("Forwarded cases past their time limit"),
         "gongzhi.services.selectors.cases:overdue_forwarded_card", order=56),
)
EXCEL_LISTS: tuple = ("gongzhi.services.excel_cases:CASES",)
AUTHZ: dict = {
    "services:cases_list": AuthzCase(PAGE),
    "services:cases_open": AuthzCase(PAGE),
    "services:cases_materials": AuthzCase(PAGE),
    "services:cases_items": AuthzCase(PAGE),
    "services:cases_queue": AuthzCase(BACK_OFFICE),
    "services:cases_detail": AuthzCase(IN_A, CASE),
    "services:cases_notice": AuthzCase(IN_A, INCOMPLETE),
    "services:cases_act": AuthzCase(POST_ONLY, CASE),
    "services:cases_remote": AuthzCase(POST_ONLY, CASE),
    "api:services_case_list": AuthzCase(API_LIST),
    "api:services_case_detail": AuthzCase(API_IN_A, CASE),
    "api:services_case_open": AuthzCase(API_LIST),  # the same path as the list
    "api:services_case_action": AuthzCase(POST_ONLY, CASE),
    "api:services_case_queue": AuthzCase(API_BACK_OFFICE),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("services.Case", "services.CaseMaterial", "services.RemoteSession")
WORKFLOWS: tuple = ("gongzhi.services.workflow:CASE_FLOW",)
MEDIA: tuple = ()
