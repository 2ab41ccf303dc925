"""The state machines of volunteering, each an explicit table {(from_state, action): to_state} written by
`gongzhi.core.workflow.transition` into its own append-only log. Who may take which action is
`gongzhi.volunteering.policies`.

Activity (a date of a team's, unit's, station's or party organization's service)::

    open ─close→ closed (sign-up closed; check-in and check-out go on) ─reopen→ open
    open / closed ─finish→ finished (hours credited; no more check-ins)
    open / closed ─cancel→ cancelled (reason; every place is released and its volunteer told)

Sign-up of a volunteer for a shift of an activity::

    confirmed ─check_in→ present ─check_out→ attended   (hours credited once, to the ledger)
    waiting ─promote→ confirmed                         (a confirmed place was released: first come, first served)
    confirmed / waiting ─cancel→ cancelled;   confirmed ─mark_absent→ absent

Micro-wish (微心愿) of a household in hardship::

    submitted ─approve→ open ─claim→ claimed ─fulfil→ fulfilled
    submitted ─reject→ rejected (reason);   claimed ─release→ open (reason)
    submitted / open ─withdraw→ withdrawn (reason)
    fulfilled ─thank→ fulfilled                        (the beneficiary's thanks recorded: a field-only step)

Pairing (结对)::

    active ─end→ ended (reason)
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.workflow import Workflow


class ActivityState(models.TextChoices):
    OPEN = "open", _("Open for sign-up")
    CLOSED = "closed", _("Sign-up closed")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class ActivityAction(models.TextChoices):
    PUBLISH = "publish", _("Publish")  # the first row of its log
    CLOSE = "close", _("Close sign-up")
    REOPEN = "reopen", _("Reopen sign-up")
    FINISH = "finish", _("Finish")
    CANCEL = "cancel", _("Cancel")


ACTIVITY_TRANSITIONS: dict[tuple[str, str], str] = {
    (ActivityState.OPEN, ActivityAction.CLOSE): ActivityState.CLOSED,
    (ActivityState.CLOSED, ActivityAction.REOPEN): ActivityState.OPEN,
    (ActivityState.OPEN, ActivityAction.FINISH): ActivityState.FINISHED,
    (ActivityState.CLOSED, ActivityAction.FINISH): ActivityState.FINISHED,
    (ActivityState.OPEN, ActivityAction.CANCEL): ActivityState.CANCELLED,
    (ActivityState.CLOSED, ActivityAction.CANCEL): ActivityState.CANCELLED,
}

ACTIVITY_FLOW = Workflow(
    name="volunteer_activity",
    model="volunteering.Activity",
    log_model="volunteering.ActivityTransition",
    log_fk="activity",
    transitions=ACTIVITY_TRANSITIONS,
    states=ActivityState,
    actions=ActivityAction,
    reason_required=frozenset({ActivityAction.CANCEL}),
)


class SignUpState(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    PRESENT = "present", _("Checked in")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")
    CANCELLED = "cancelled", _("Cancelled")


class SignUpAction(models.TextChoices):
    SIGN_UP = "sign_up", _("Sign up")  # the first row of its log (to confirmed, or to waiting)
    PROMOTE = "promote", _("Move up from the waiting list")
    CHECK_IN = "check_in", _("Check in")
    CHECK_OUT = "check_out", _("Check out")
    MARK_ABSENT = "mark_absent", _("Mark as absent")
    CANCEL = "cancel", _("Cancel")


SIGNUP_TRANSITIONS: dict[tuple[str, str], str] = {
    (SignUpState.WAITING, SignUpAction.PROMOTE): SignUpState.CONFIRMED,
    (SignUpState.CONFIRMED, SignUpAction.CHECK_IN): SignUpState.PRESENT,
    (SignUpState.PRESENT, SignUpAction.CHECK_OUT): SignUpState.ATTENDED,
    (SignUpState.CONFIRMED, SignUpAction.MARK_ABSENT): SignUpState.ABSENT,
    (SignUpState.CONFIRMED, SignUpAction.CANCEL): SignUpState.CANCELLED,
    (SignUpState.WAITING, SignUpAction.CANCEL): SignUpState.CANCELLED,
}
# the states that hold a place in their shift (the capacity counts these)
SIGNUP_HOLDING_STATES = frozenset({SignUpState.CONFIRMED, SignUpState.PRESENT, SignUpState.ATTENDED})
# the states of a live sign-up: a volunteer has at most one per shift (a conditional unique constraint)
SIGNUP_LIVE_STATES = SIGNUP_HOLDING_STATES | {SignUpState.WAITING}

SIGNUP_FLOW = Workflow(
    name="volunteer_signup",
    model="volunteering.SignUp",
    log_model="volunteering.SignUpTransition",
    log_fk="signup",
    transitions=SIGNUP_TRANSITIONS,
    states=SignUpState,
    actions=SignUpAction,
)


class WishState(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for approval")
    OPEN = "open", _("Open for claims")
    CLAIMED = "claimed", _("Claimed")
    FULFILLED = "fulfilled", _("Fulfilled")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class WishAction(models.TextChoices):
    SUBMIT = "submit", _("Submit")  # the first row of its log
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Do not approve")
    CLAIM = "claim", _("Claim with a promise")
    RELEASE = "release", _("Release the claim")
    FULFIL = "fulfil", _("Fulfil")
    WITHDRAW = "withdraw", _("Withdraw")
    THANK = "thank", _("Record the thanks")  # a field-only step of a fulfilled wish: the beneficiary's thanks


WISH_TRANSITIONS: dict[tuple[str, str], str] = {
    (WishState.SUBMITTED, WishAction.APPROVE): WishState.OPEN,
    (WishState.SUBMITTED, WishAction.REJECT): WishState.REJECTED,
    (WishState.SUBMITTED, WishAction.WITHDRAW): WishState.WITHDRAWN,
    (WishState.OPEN, WishAction.CLAIM): WishState.CLAIMED,
    (WishState.OPEN, WishAction.WITHDRAW): WishState.WITHDRAWN,
    (WishState.CLAIMED, WishAction.RELEASE): WishState.OPEN,
    (WishState.CLAIMED, WishAction.FULFIL): WishState.FULFILLED,
    (WishState.FULFILLED, WishAction.THANK): WishState.FULFILLED,
}
# the states shown on the public board (H5), and those with a claimer
WISH_PUBLISHED_STATES = frozenset({WishState.OPEN, WishState.CLAIMED, WishState.FULFILLED})
WISH_CLAIMED_STATES = frozenset({WishState.CLAIMED, WishState.FULFILLED})

WISH_FLOW = Workflow(
    name="micro_wish",
    model="volunteering.Wish",
    log_model="volunteering.WishTransition",
    log_fk="wish",
    transitions=WISH_TRANSITIONS,
    states=WishState,
    actions=WishAction,
    reason_required=frozenset({WishAction.REJECT, WishAction.RELEASE, WishAction.WITHDRAW}),
    refuse_unchanged=frozenset({WishAction.THANK}),
)


class PairingState(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class PairingAction(models.TextChoices):
    PAIR = "pair", _("Pair")  # the first row of its log
    END = "end", _("End the pairing")


PAIRING_TRANSITIONS: dict[tuple[str, str], str] = {
    (PairingState.ACTIVE, PairingAction.END): PairingState.ENDED,
}

PAIRING_FLOW = Workflow(
    name="pairing",
    model="volunteering.Pairing",
    log_model="volunteering.PairingTransition",
    log_fk="pairing",
    transitions=PAIRING_TRANSITIONS,
    states=PairingState,
    actions=PairingAction,
    reason_required=frozenset({PairingAction.END}),
)
