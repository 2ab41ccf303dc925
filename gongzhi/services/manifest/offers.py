"""The offers part's share of the doorstep-services manifest (see gongzhi.services.apps).

Staff with services.view (the sub-district, area secretaries, the district) see the places in their scope, their
offers, plans, rules, roster and staff calendar; only the sub-district (services.manage) edits them. A grid leader
has no services capability (403). A place's slots for a day are public (residents book without an account)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import POST_ONLY, PUBLIC
from gongzhi.core.modules import AuthzCase, Card, NavEntry

LIST = "302 403 200 200 403 200"  # services.view
IN_SCOPE = "302 403 404 200 403 200"  # services.view on area A's place
MANAGE = "302 403 403 403 403 200"  # services.manage: the sub-district only
API_LIST = "401 403 200 200 403 200"

NAV = (NavEntry(_("Service places"), "services:offers_places", C.VIEW_SERVICES),)
USER_MENU: tuple = ()
CARDS = (
    Card("services.my_places", _("My places today"), "gongzhi.services.selectors.offers:my_places_today_card",
         order=56),
)
EXCEL_LISTS = ("gongzhi.services.excel_offers:OFFERS", "gongzhi.services.excel_offers:ROSTER")
AUTHZ = {
    "services:offers_places": AuthzCase(LIST),
    "services:offers_place": AuthzCase(IN_SCOPE, "place_a"),
    "services:offers_calendar": AuthzCase(IN_SCOPE, "place_a"),
    "services:offers_items": AuthzCase(MANAGE, "place_a"),
    "services:offers_plan": AuthzCase(MANAGE, "place_a"),
    "services:offers_rules": AuthzCase(MANAGE, "place_a"),
    "services:offers_roster": AuthzCase(MANAGE, "place_a"),
    "services:offers_offer": AuthzCase(MANAGE, "service_offer"),
    "api:services_offers_places": AuthzCase(API_LIST),
    "api:services_offers_slots": AuthzCase(PUBLIC, "place_a"),
    "api:services_offers_plan": AuthzCase(POST_ONLY, "place_a"),
    "api:services_offers_rules": AuthzCase(POST_ONLY, "place_a"),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("services.Offer", "services.WorkingPlan", "services.BookingRules", "services.Duty")
WORKFLOWS: tuple = ()
MEDIA: tuple = ()
