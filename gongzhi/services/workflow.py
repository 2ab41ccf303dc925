"""The state machines of doorstep services, each an explicit table {(from_state, action): to_state} written by
`gongzhi.core.workflow.transition` into its own append-only log. Who may take which action is
`gongzhi.services.policies`.

Case (一口受理) opened by any worker at any station for any catalogue item (全岗通)::

    incomplete (材料不全) ─supply→ accepted                 (the applicant came again: one more visit)
    accepted ─complete→ done                              (done on the spot)
    accepted ─forward→ forwarded ─receive→ processing     (一网通办: handed to the back office, tracked)
    forwarded / processing ─send_back→ incomplete          (the back office needs more materials; reason)
    processing ─complete→ done                            (the result delivered online or by post)
    accepted / processing ─make_ready→ ready ─pick_up→ done   (collected at the counter: one more visit)
    processing ─reject→ rejected (reason);   incomplete / accepted ─withdraw→ withdrawn (reason)

Appointment booked on H5 for an item at a place::

    booked ─check_in→ checked_in ─serve→ served (a case opened at the counter)
    booked ─reschedule→ booked (another slot);   booked ─cancel→ cancelled;   booked ─no_show→ no_show
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.workflow import Workflow


class CaseState(models.TextChoices):
    INCOMPLETE = "incomplete", _("Materials incomplete")
    ACCEPTED = "accepted", _("Accepted")
    FORWARDED = "forwarded", _("Forwarded to the back office")
    PROCESSING = "processing", _("Being handled by the back office")
    READY = "ready", _("Ready for pickup")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Not granted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CaseAction(models.TextChoices):
    OPEN = "open", _("Open the case")  # the first row of its log (to accepted, or to incomplete)
    SUPPLY = "supply", _("Materials supplied")
    COMPLETE = "complete", _("Complete")
    FORWARD = "forward", _("Forward to the back office")
    RECEIVE = "receive", _("Receive in the back office")
    SEND_BACK = "send_back", _("Send back for materials")
    MAKE_READY = "make_ready", _("Ready for pickup")
    PICK_UP = "pick_up", _("Picked up")
    REJECT = "reject", _("Refuse")
    WITHDRAW = "withdraw", _("Withdraw")


CASE_TRANSITIONS: dict[tuple[str, str], str] = {
    (CaseState.INCOMPLETE, CaseAction.SUPPLY): CaseState.ACCEPTED,
    (CaseState.INCOMPLETE, CaseAction.WITHDRAW): CaseState.WITHDRAWN,
    (CaseState.ACCEPTED, CaseAction.COMPLETE): CaseState.DONE,
    (CaseState.ACCEPTED, CaseAction.FORWARD): CaseState.FORWARDED,
    (CaseState.ACCEPTED, CaseAction.MAKE_READY): CaseState.READY,
    (CaseState.ACCEPTED, CaseAction.WITHDRAW): CaseState.WITHDRAWN,
    (CaseState.FORWARDED, CaseAction.RECEIVE): CaseState.PROCESSING,
    (CaseState.FORWARDED, CaseAction.SEND_BACK): CaseState.INCOMPLETE,
    (CaseState.PROCESSING, CaseAction.SEND_BACK): CaseState.INCOMPLETE,
    (CaseState.PROCESSING, CaseAction.COMPLETE): CaseState.DONE,
    (CaseState.PROCESSING, CaseAction.MAKE_READY): CaseState.READY,
    (CaseState.PROCESSING, CaseAction.REJECT): CaseState.REJECTED,
    (CaseState.READY, CaseAction.PICK_UP): CaseState.DONE,
}
CASE_OPEN_STATES = frozenset({CaseState.INCOMPLETE, CaseState.ACCEPTED, CaseState.FORWARDED, CaseState.PROCESSING,
                              CaseState.READY})
CASE_CLOSED_STATES = frozenset({CaseState.DONE, CaseState.REJECTED, CaseState.WITHDRAWN})
# the applicant comes to the counter again for these: each adds a visit ("只跑一次" counts them)
VISIT_ACTIONS = frozenset({CaseAction.SUPPLY, CaseAction.PICK_UP})

CASE_FLOW = Workflow(
    name="service_case",
    model="services.Case",
    log_model="services.CaseTransition",
    log_fk="case",
    transitions=CASE_TRANSITIONS,
    states=CaseState,
    actions=CaseAction,
    reason_required=frozenset({CaseAction.SEND_BACK, CaseAction.REJECT, CaseAction.WITHDRAW}),
)


class AppointmentState(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    SERVED = "served", _("Served")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


class AppointmentAction(models.TextChoices):
    BOOK = "book", _("Book")  # the first row of its log
    RESCHEDULE = "reschedule", _("Reschedule")
    CHECK_IN = "check_in", _("Check in")
    SERVE = "serve", _("Serve")
    CANCEL = "cancel", _("Cancel")
    NO_SHOW = "no_show", _("Mark as no-show")


APPOINTMENT_TRANSITIONS: dict[tuple[str, str], str] = {
    (AppointmentState.BOOKED, AppointmentAction.CHECK_IN): AppointmentState.CHECKED_IN,
    (AppointmentState.BOOKED, AppointmentAction.RESCHEDULE): AppointmentState.BOOKED,
    (AppointmentState.CHECKED_IN, AppointmentAction.SERVE): AppointmentState.SERVED,
    (AppointmentState.BOOKED, AppointmentAction.CANCEL): AppointmentState.CANCELLED,
    (AppointmentState.BOOKED, AppointmentAction.NO_SHOW): AppointmentState.NO_SHOW,
}
# the states that hold a seat in their slot (the unique seat constraint covers only these)
APPOINTMENT_HOLDING_STATES = frozenset({AppointmentState.BOOKED, AppointmentState.CHECKED_IN,
                                        AppointmentState.SERVED})

APPOINTMENT_FLOW = Workflow(
    name="service_appointment",
    model="services.Appointment",
    log_model="services.AppointmentTransition",
    log_fk="appointment",
    transitions=APPOINTMENT_TRANSITIONS,
    states=AppointmentState,
    actions=AppointmentAction,
    refuse_unchanged=frozenset({AppointmentAction.RESCHEDULE}),
)
