"""Volunteering API of the activities part (under /api/v1/volunteering/).

Any account: the activities open for sign-up (the H5 board, scoped like the page), an activity (published, one
the caller has signed up for, or one in the caller's staff scope), signing oneself up for a shift (``consent`` the
first time; ``wait`` to join a full shift's waiting list) and cancelling one's own sign-up, one's sign-ups. Staff
(``volunteering.view`` / ``volunteering.organise``): the scoped list of activities and an activity's roster;
organisers check a sign-up in, out (crediting the hours once) or mark it absent.

Refusals answer in the ErrorOut shape: 403, 404 (missing or out of scope), 409 (``shift_full``,
``already_signed_up``, ``signup_closed``, ``activity_past``, the state does not allow it), 422 (no consent, bad
hours, naming the field).
"""

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongzhi.core.apitypes import Bool, Id, In, choice, errors, text
from gongzhi.core.errors import Forbidden, NotFound
from gongzhi.volunteering.models import Activity, OrganiserKind, Shift, SignUp
from gongzhi.volunteering.policies import activities as policies
from gongzhi.volunteering.selectors import activities as selectors
from gongzhi.volunteering.services import activities as services
from gongzhi.volunteering.workflow import ActivityState, SignUpState

router = Router()


class VolShiftOut(Schema):
    id: int
    name: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    taken: int
    free: int
    waiting: int


class VolActivityOut(Schema):
    id: int
    code: str
    title: str
    state: str
    starts_at: datetime
    ends_at: datetime
    location: str
    organiser_kind: str
    organiser: str
    region: str

    @staticmethod
    def resolve_organiser(obj) -> str:
        return selectors.organiser_name(obj)

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.name


class VolActivityDetailOut(VolActivityOut):
    description: str
    shifts: list[VolShiftOut]
    actions: list[str]

    @staticmethod
    def resolve_shifts(obj) -> list:
        return selectors.shifts_of(obj)

    @staticmethod
    def resolve_actions(obj, context) -> list[str]:
        return policies.activity_actions(context["request"].user, obj)


class VolSignUpOut(Schema):
    id: int
    shift_id: int
    activity_id: int
    activity: str
    state: str
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    hours: str | None

    @staticmethod
    def resolve_activity_id(obj) -> int:
        return obj.shift.activity_id

    @staticmethod
    def resolve_activity(obj) -> str:
        return obj.shift.activity.title

    @staticmethod
    def resolve_hours(obj) -> str | None:
        entry = getattr(obj, "hours_entry", None) if obj.state == SignUpState.ATTENDED else None
        return str(entry.hours) if entry is not None else None


class VolRosterOut(VolSignUpOut):
    volunteer: str
    actions: list[str]

    @staticmethod
    def resolve_volunteer(obj) -> str:
        return obj.volunteer.name

    @staticmethod
    def resolve_actions(obj, context) -> list[str]:
        return policies.roster_actions(context["request"].user, obj)


class VolSignUpIn(In):
    consent: Bool = False
    wait: Bool = False


class VolCheckOutIn(In):
    """``hours``: the hours to credit (at most two decimals, e.g. "2.5"); the shift's length when empty."""

    hours: text(10) = ""


def _activity(user, pk) -> Activity:
    if policies.may_list(user):
        try:
            return selectors.activity(user, pk)
        except NotFound:
            pass
    return selectors.public_activity(user, pk)


def _signup(pk) -> SignUp:
    return SignUp.objects.select_related("shift__activity__region", "volunteer", "hours_entry").get(pk=pk)


@router.get("/activities/open", response=list[VolActivityOut], url_name="volunteering_activities_open",
            summary="Activities open for sign-up (any account, in the caller's sub-district)")
@paginate
def open_list(request):
    return selectors.near_first(request.user, selectors.open_activities(request.user), limit=500)


@router.get("/activities", response={200: list[VolActivityOut], **errors(403)}, url_name="volunteering_activities",
            summary="Activities in the caller's scope (staff)")
@paginate
def activity_list(request, when: choice(("upcoming", "past", "all")) = "upcoming",
                  state: choice(ActivityState) | None = None, kind: choice(OrganiserKind) | None = None,
                  q: text(40) | None = None):
    if not policies.may_list(request.user):
        raise Forbidden()
    params = {k: str(v) for k, v in (("when", when), ("state", state), ("kind", kind), ("q", q)) if v}
    return selectors.filter_activities(selectors.activities_for(request.user), params).select_related(
        "region", "team", "unit", "place", "organization")


@router.get("/activities/{pk}", response={200: VolActivityDetailOut, **errors(404)},
            url_name="volunteering_activity", summary="An activity with its shifts and free places")
def activity_detail(request, pk: Id):
    return _activity(request.user, pk)


@router.get("/activities/{pk}/roster", response={200: list[VolRosterOut], **errors(403, 404)},
            url_name="volunteering_activity_roster", summary="An activity's roster (staff)")
def activity_roster(request, pk: Id):
    if not policies.may_list(request.user):
        raise Forbidden()
    return list(selectors.roster(selectors.activity(request.user, pk)))


@router.get("/signups/mine", response=list[VolSignUpOut], url_name="volunteering_my_signups",
            summary="The caller's coming sign-ups")
def my_signups(request):
    return list(selectors.my_signups(selectors.volunteer_of(request.user), upcoming=True)[:200])


@router.post("/shifts/{pk}/sign-up", response={201: VolSignUpOut, **errors(404, 409, 422)},
             url_name="volunteering_sign_up", summary="Sign the caller up for a shift")
def sign_up(request, pk: Id, payload: VolSignUpIn):
    """409 ``shift_full`` when no place is left (send ``wait`` to join the waiting list), ``already_signed_up``,
    ``signup_closed`` or ``activity_past``; 422 ``consent`` when the caller is not a volunteer yet and did not
    agree to the use of their data."""
    shift = Shift.objects.select_related("activity").filter(pk=pk).first()
    if shift is None:
        raise NotFound()
    selectors.public_activity(request.user, shift.activity_id)
    done = services.sign_up(shift, actor=request.user, consent=payload.consent, wait=payload.wait)
    return Status(201, _signup(done.pk))


@router.post("/signups/{pk}/cancel", response={200: VolSignUpOut, **errors(403, 404, 409)},
             url_name="volunteering_signup_cancel", summary="Cancel the caller's own sign-up")
def cancel(request, pk: Id):
    signup = selectors.my_signups(selectors.volunteer_of(request.user), upcoming=True).filter(pk=pk).first()
    if signup is None:
        raise NotFound()
    services.cancel_signup(signup, actor=request.user)
    return _signup(signup.pk)


@router.post("/signups/{pk}/check-in", response={200: VolRosterOut, **errors(403, 404, 409)},
             url_name="volunteering_signup_check_in", summary="Check a volunteer in (organisers)")
def check_in(request, pk: Id):
    signup = selectors.signup_for_organiser(request.user, pk)
    services.check_in(signup, actor=request.user)
    return _signup(pk)


@router.post("/signups/{pk}/check-out", response={200: VolRosterOut, **errors(403, 404, 409, 422)},
             url_name="volunteering_signup_check_out",
             summary="Check a volunteer out, crediting the hours once (organisers)")
def check_out(request, pk: Id, payload: VolCheckOutIn):
    """422 ``hours`` for hours that are not a number with at most two decimals, zero or over 24."""
    signup = selectors.signup_for_organiser(request.user, pk)
    services.check_out(signup, actor=request.user, hours=payload.hours or None)
    return _signup(pk)


@router.post("/signups/{pk}/mark-absent", response={200: VolRosterOut, **errors(403, 404, 409)},
             url_name="volunteering_signup_mark_absent", summary="Mark a volunteer absent (organisers)")
def mark_absent(request, pk: Id):
    signup = selectors.signup_for_organiser(request.user, pk)
    services.mark_absent(signup, actor=request.user)
    return _signup(pk)
