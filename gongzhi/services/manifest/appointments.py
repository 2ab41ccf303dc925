"""The appointments part's share of the doorstep-services manifest (see gongzhi.services.apps): residents book,
cancel and reschedule on public H5 pages (no account: an SMS code, then the booking code with the phone's last four
digits); staff see a place's day and the list, station workers check residents in.

Personas (gongzhi.core.authz): area A's secretary (insider) and the sub-district administrator see and check in at
area A's station; area B's secretary sees area B's only; the grid leader (colleague) and residents hold no services
right."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import POST_ONLY, PUBLIC
from gongzhi.core.modules import AuthzCase, Card, NavEntry

LIST = "302 403 200 200 403 200"  # services.view
API_LIST = "401 403 200 200 403 200"
NO_CODE = {"code": "AAAAAAAA"}
REDIRECT_ALL = "302 302 302 302 302 302"  # needs a booking just made, or a code proven, in this session

NAV: tuple = (
    NavEntry(_("Appointments"), "services:appointments_day", C.VIEW_SERVICES),
)
USER_MENU: tuple = ()
CARDS: tuple = (
    Card("services.appointments_today", _("Today's appointments at my place"),
         "gongzhi.services.selectors.appointments:today_card", order=56),
)
EXCEL_LISTS: tuple = ("gongzhi.services.excel_appointments:APPOINTMENTS",)
AUTHZ: dict = {
    "services:appointments_h5_book": AuthzCase(PUBLIC),
    "services:appointments_h5_done": AuthzCase(REDIRECT_ALL),
    "services:appointments_h5_manage": AuthzCase(PUBLIC),
    "services:appointments_h5_cancel": AuthzCase(POST_ONLY),
    "services:appointments_h5_reschedule": AuthzCase(REDIRECT_ALL),
    "services:appointments_list": AuthzCase(LIST),
    "services:appointments_day": AuthzCase(LIST),
    "services:appointments_check_in": AuthzCase(POST_ONLY, "appointment_a"),
    "api:services_appointment_phone_code": AuthzCase(POST_ONLY),
    "api:services_appointment_book": AuthzCase(POST_ONLY),
    "api:services_appointment_public": AuthzCase("404 404 404 404 404 404", NO_CODE),  # public, needs last4
    "api:services_appointment_public_cancel": AuthzCase(POST_ONLY, NO_CODE),
    "api:services_appointment_slots": AuthzCase(PUBLIC),
    "api:services_appointment_list": AuthzCase(API_LIST),
    "api:services_appointment_check_in": AuthzCase(POST_ONLY, "appointment_a"),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("services.Appointment",)
WORKFLOWS: tuple = ("gongzhi.services.workflow:APPOINTMENT_FLOW",)
MEDIA: tuple = ()
