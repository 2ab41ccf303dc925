"""Who may do what with appointments. Services call these to refuse; views, templates and the API to show buttons.

* Staff with ``services.view`` over the place's region see its appointments.
* Station workers (``services.accept`` over the place's region) check residents in on the appointment's day, and
  may cancel or reschedule for them (a resident on the phone).
* The resident (`SUBMITTER`, after proving the booking code and the phone's last four digits) cancels or
  reschedules a booked appointment. `SYSTEM` has every right (no-shows, the demo).
"""

from __future__ import annotations

from django.utils import timezone

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import scope_for
from gongzhi.core.workflow import SUBMITTER, SYSTEM, is_user
from gongzhi.services.models import Appointment
from gongzhi.services.workflow import APPOINTMENT_FLOW, AppointmentAction

VIEW = Capability.VIEW_SERVICES
ACCEPT = Capability.ACCEPT_CASES


def _covers(user, appt: Appointment, capability: str) -> bool:
    return scope_for(user, capability).covers_path(appt.place.region.path)


def may_see(user, appt: Appointment) -> bool:
    return is_user(user) and _covers(user, appt, VIEW)


def on_the_day(appt: Appointment) -> bool:
    return timezone.localtime(appt.starts_at).date() == timezone.localdate()


def may_act(actor, appt: Appointment, action: str) -> bool:
    """Whether `actor` has the right to take `action` on `appt` at all (whatever its state and day)."""
    if actor is SYSTEM:
        return True
    if actor is SUBMITTER:
        return action in (AppointmentAction.CANCEL, AppointmentAction.RESCHEDULE)
    if not is_user(actor) or not _covers(actor, appt, ACCEPT):
        return False
    return action in (AppointmentAction.CHECK_IN, AppointmentAction.CANCEL, AppointmentAction.RESCHEDULE)


def can(actor, appt: Appointment, action: str) -> bool:
    """Whether `actor` may take `action` on `appt` now (its state and, for a check-in, its day included)."""
    if APPOINTMENT_FLOW.target(appt.state, action) is None or not may_act(actor, appt, action):
        return False
    return action != AppointmentAction.CHECK_IN or actor is SYSTEM or on_the_day(appt)


def actions(actor, appt: Appointment) -> list[str]:
    return [a for a in (AppointmentAction.CHECK_IN, AppointmentAction.RESCHEDULE, AppointmentAction.CANCEL)
            if can(actor, appt, a)]
