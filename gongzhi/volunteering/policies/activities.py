"""Who may do what with activities and sign-ups. Services call these to refuse; views, templates and the API to
show buttons.

* Staff with ``volunteering.view`` over the activity's region see it (lists, roster, exports).
* Organisers (``volunteering.organise``): staff over the activity's region, a unit's liaison for the activities of
  their own unit only. They create and edit activities, close and reopen sign-up, finish or cancel, check volunteers
  in and out (which credits hours) and mark them absent.
* Any logged-in user signs themself up for an open, upcoming activity of their own sub-district (the H5 board,
  gongzhi.volunteering.selectors.activities.board_q; staff see their scope there too) and cancels their own
  sign-up. `SYSTEM` has every right (the demo, imports).
"""

from __future__ import annotations

from django.utils import timezone

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.workflow import SYSTEM, is_user
from gongzhi.volunteering.models import Activity, SignUp
from gongzhi.volunteering.workflow import (
    ACTIVITY_FLOW,
    SIGNUP_FLOW,
    ActivityAction,
    ActivityState,
    SignUpAction,
    SignUpState,
)

VIEW = Capability.VIEW_VOLUNTEERING
ORGANISE = Capability.ORGANISE_ACTIVITIES
STAFF = (VIEW, ORGANISE)


def may_list(user) -> bool:
    """May open the organisers' pages at all."""
    return any(has_capability(user, c) for c in STAFF)


def _covers(user, activity: Activity, capability: str) -> bool:
    scope = scope_for(user, capability)
    return scope.covers_path(activity.region.path) or (activity.unit_id is not None
                                                       and activity.unit_id in scope.unit_ids)


def may_see(user, activity: Activity) -> bool:
    return is_user(user) and any(_covers(user, activity, c) for c in STAFF)


def may_organise(actor, activity: Activity) -> bool:
    if actor is SYSTEM:
        return True
    return is_user(actor) and _covers(actor, activity, ORGANISE)


def may_create(user) -> bool:
    return has_capability(user, ORGANISE)


def can(actor, activity: Activity, action: str) -> bool:
    """Whether `actor` may take `action` on `activity` now (its state included)."""
    return ACTIVITY_FLOW.target(activity.state, action) is not None and may_organise(actor, activity)


def activity_actions(actor, activity: Activity) -> list[str]:
    return [a for a in (ActivityAction.CLOSE, ActivityAction.REOPEN, ActivityAction.FINISH, ActivityAction.CANCEL)
            if can(actor, activity, a)]


def may_edit(actor, activity: Activity) -> bool:
    return activity.state in (ActivityState.OPEN, ActivityState.CLOSED) and may_organise(actor, activity)


# --- Sign-ups --------------------------------------------------------------------------------------------------

def is_published(activity: Activity, now=None) -> bool:
    """Open for sign-up on H5: open, and not started yet."""
    return activity.state == ActivityState.OPEN and activity.starts_at > (now or timezone.now())


def owns(user, signup: SignUp) -> bool:
    """The sign-up is the user's own (through their volunteer, linked to the account or to their party member)."""
    if not is_user(user):
        return False
    vol = signup.volunteer
    if vol.user_id is not None and vol.user_id == user.pk:
        return True
    member = getattr(user, "party_member", None) if vol.party_member_id else None
    return member is not None and member.pk == vol.party_member_id


def may_cancel_signup(actor, signup: SignUp) -> bool:
    if SIGNUP_FLOW.target(signup.state, SignUpAction.CANCEL) is None:
        return False
    activity = signup.shift.activity
    if activity.state not in (ActivityState.OPEN, ActivityState.CLOSED):
        return False
    return owns(actor, signup) or may_organise(actor, activity)


def on_or_after_the_day(signup: SignUp, now=None) -> bool:
    return timezone.localtime(signup.shift.starts_at).date() <= timezone.localtime(now or timezone.now()).date()


def can_signup(actor, signup: SignUp, action: str) -> bool:
    """Whether the organiser `actor` may take the roster's `action` (check in, check out, absent) on `signup` now."""
    if SIGNUP_FLOW.target(signup.state, action) is None:
        return False
    activity = signup.shift.activity
    if action == SignUpAction.CANCEL:
        return may_cancel_signup(actor, signup)
    if action == SignUpAction.PROMOTE:
        return may_organise(actor, activity)
    if activity.state not in (ActivityState.OPEN, ActivityState.CLOSED) and action != SignUpAction.CHECK_OUT:
        return False
    if action == SignUpAction.CHECK_IN and not on_or_after_the_day(signup):
        return False
    return may_organise(actor, activity)


def roster_actions(actor, signup: SignUp) -> list[str]:
    return [a for a in (SignUpAction.CHECK_IN, SignUpAction.CHECK_OUT, SignUpAction.MARK_ABSENT)
            if can_signup(actor, signup, a)]


HOLDING = (SignUpState.CONFIRMED, SignUpState.PRESENT, SignUpState.ATTENDED)
