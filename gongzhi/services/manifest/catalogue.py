"""The catalogue part's share of the doorstep-services manifest (see gongzhi.services.apps): the service catalogue
for staff (``services.view`` reads, ``services.manage`` writes), its Excel list, and the public H5 pages and API.

Personas (gongzhi.core.authz): the grid leader (colleague) and residents hold no services right; area A's and area
B's secretaries see the city-wide items and their own area's (and the sub-district's); the sub-district
administrator manages the catalogue. The target ``service_item`` is an own item of area A."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import POST_ONLY, PUBLIC
from gongzhi.core.modules import AuthzCase, NavEntry

ITEM, CATEGORY = "service_item", "service_category"
LIST = "302 403 200 200 403 200"  # services.view
MANAGE = "302 403 403 403 403 200"  # services.manage
IN_A = "302 403 404 200 403 200"  # an own item of area A
IN_A_EDIT = "302 403 404 403 403 200"

NAV: tuple = (
    NavEntry(_("Service catalogue"), "services:catalogue_list", C.VIEW_SERVICES),
    NavEntry(_("Service categories"), "services:catalogue_categories", C.VIEW_SERVICES),
)
USER_MENU: tuple = ()
CARDS: tuple = ()
EXCEL_LISTS: tuple = ("gongzhi.services.excel_catalogue:ITEMS",)
AUTHZ: dict = {
    "services:catalogue_list": AuthzCase(LIST),
    "services:catalogue_create": AuthzCase(MANAGE),
    "services:catalogue_detail": AuthzCase(IN_A, ITEM),
    "services:catalogue_edit": AuthzCase(IN_A_EDIT, ITEM),
    "services:catalogue_active": AuthzCase(POST_ONLY, ITEM),
    "services:catalogue_categories": AuthzCase(LIST),
    "services:catalogue_category_create": AuthzCase(MANAGE),
    "services:catalogue_category_edit": AuthzCase(MANAGE, CATEGORY),
    # the residents' H5 pages and the read API: public, the catalogue holds nothing personal
    "services:catalogue_h5": AuthzCase(PUBLIC),
    "services:catalogue_h5_item": AuthzCase(PUBLIC, ITEM),
    "api:services_item_list": AuthzCase(PUBLIC),
    "api:services_item_detail": AuthzCase(PUBLIC, ITEM),
    "api:services_category_list": AuthzCase(PUBLIC),
    "api:services_item_create": AuthzCase(PUBLIC),  # GET on its path lists the items
    "api:services_item_update": AuthzCase(PUBLIC, ITEM),  # GET on its path shows the item
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("services.ServiceCategory", "services.ServiceItem", "services.ServiceMaterial")
WORKFLOWS: tuple = ()
MEDIA: tuple = ()
