"""The load part's share of the doorstep-services manifest (see gongzhi.services.apps): the station-load page and
its Excel export, the health cabins with their tallies (entry, Excel export, template and import), the API, the
workbench card "Station load today" and the tallies' audit.

Personas (gongzhi.core.authz): area A's secretary (insider) and the sub-district administrator see area A's places;
area B's secretary (outsider) sees area B's only (an area-A place is 404 like a missing one); the grid leader
(colleague) and residents hold no services right."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import POST_ONLY
from gongzhi.core.modules import AuthzCase, Card, NavEntry

PLACE = "place_a"  # the registry's place of area A (gongzhi.registry.authz), with tallies (gongzhi.services.authz.load)
LIST = "302 403 200 200 403 200"  # services.view (or services.accept for the import pages)
IN_A = "302 403 404 200 403 200"  # a place of area A
API_LIST = "401 403 200 200 403 200"
API_IN_A = "401 403 404 200 403 200"

NAV: tuple = (
    NavEntry(_("Station load"), "services:load_index", C.VIEW_SERVICES),
    NavEntry(_("Health cabins"), "services:load_cabins", C.VIEW_SERVICES),
)
USER_MENU: tuple = ()
CARDS: tuple = (
    Card("services.load_today", _("Station load today"), "gongzhi.services.selectors.load:today_card", order=57),
)
EXCEL_LISTS: tuple = ()  # the load table and the tallies have workbooks of their own (gongzhi.services.excel_load)
AUTHZ: dict = {
    "services:load_index": AuthzCase(LIST),
    "services:load_export": AuthzCase(LIST),
    "services:load_cabins": AuthzCase(LIST),
    "services:load_tallies_import": AuthzCase(LIST),
    "services:load_tallies_template": AuthzCase(LIST),
    "services:load_cabin": AuthzCase(IN_A, PLACE),
    "services:load_cabin_record": AuthzCase(POST_ONLY, PLACE),
    "services:load_cabin_export": AuthzCase(IN_A, PLACE),
    "api:services_load": AuthzCase(API_LIST),
    "api:services_load_tallies": AuthzCase(API_IN_A, PLACE),
    "api:services_load_tallies_record": AuthzCase(API_IN_A, PLACE),  # the same path as the tallies list
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("services.HealthCheckTally",)
WORKFLOWS: tuple = ()
MEDIA: tuple = ()
