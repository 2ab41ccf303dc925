"""Writes of the activities part: organisers create and edit activities (one or more shifts with places) and
recurring series (weekly on a weekday, monthly on a day of the month), close and reopen sign-up, finish (remaining
confirmed sign-ups are marked absent) or cancel with a reason (every live sign-up cancelled, its volunteer told);
any logged-in user signs up for a shift on H5 (the first time with consent), joins the waiting list of a full shift
when they ask to, cancels (the first waiting volunteer moves up in the same transaction); the organiser checks
volunteers in and out, and the check-out credits the shift's hours to the ledger exactly once
(`gongzhi.volunteering.services.volunteers.credit_hours`).

No overbooking: a sign-up locks its shift's row (``SELECT … FOR UPDATE``) and counts the places held before
writing, so parallel sign-ups for the last place give exactly one confirmed (SQLite serialises writers anyway;
tests/volunteering/test_activities_parallel.py). A volunteer holds at most one live sign-up per shift (a
conditional unique constraint).
"""

from __future__ import annotations

import secrets
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import scope_for
from gongzhi.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from gongzhi.core.workflow import (
    SYSTEM,
    check_actor,
    is_user,
    record_creation,
    refuse_unchanged,
    snapshot,
    transition,
    user_of,
)
from gongzhi.registry.models import MemberUnit, PartyOrg, ServicePlace, VolunteerTeam
from gongzhi.volunteering.models import (
    Activity,
    ActivitySeries,
    OrganiserKind,
    Recurrence,
    Shift,
    SignUp,
)
from gongzhi.volunteering.policies import activities as policies
from gongzhi.volunteering.services.volunteers import credit_hours, get_or_create_volunteer_for, to_hours
from gongzhi.volunteering.workflow import (
    ACTIVITY_FLOW,
    SIGNUP_FLOW,
    SIGNUP_HOLDING_STATES,
    SIGNUP_LIVE_STATES,
    ActivityAction,
    ActivityState,
    SignUpAction,
    SignUpState,
)

MAX_SERIES_DATES = 120  # a series generates at most this many activities
HOLDING = sorted(s.value for s in SIGNUP_HOLDING_STATES)
LIVE = sorted(s.value for s in SIGNUP_LIVE_STATES)
ORGANISER_MODELS = {OrganiserKind.TEAM: VolunteerTeam, OrganiserKind.UNIT: MemberUnit,
                    OrganiserKind.PLACE: ServicePlace, OrganiserKind.ORGANIZATION: PartyOrg}


@dataclass
class ShiftInput:
    name: str
    starts_at: datetime
    ends_at: datetime
    capacity: int


def new_code(now: datetime | None = None) -> str:
    day = timezone.localtime(now or timezone.now())
    while True:
        code = f"HD{day:%y%m%d}{secrets.token_hex(3).upper()}"
        if not Activity.objects.filter(code=code).exists():
            return code


def _local(when: datetime) -> str:
    return f"{timezone.localtime(when):%Y-%m-%d %H:%M}"


# --- The organiser ----------------------------------------------------------------------------------------------

def resolve_organiser(actor, kind: str, organiser) -> dict:
    """The organiser fields of an activity: `organiser` (an instance or pk of the kind's model) inside the actor's
    organise scope (a unit's liaison: their unit, its teams and organizations). Field errors otherwise."""
    if kind not in OrganiserKind.values:
        raise ValidationFailed.on("organiser_kind", _("Choose who organises the activity."))
    model = ORGANISER_MODELS[kind]
    obj = organiser if isinstance(organiser, model) else (
        model.objects.select_related("region").filter(pk=organiser).first() if organiser not in (None, "") else None)
    if obj is None:
        raise ValidationFailed.on(kind, _("Choose the organiser."))
    if actor is not SYSTEM:
        scope = scope_for(actor, policies.ORGANISE)
        unit_id = obj.pk if kind == OrganiserKind.UNIT else getattr(obj, "member_unit_id", None)
        if not (scope.covers_path(obj.region.path) or (unit_id is not None and unit_id in scope.unit_ids)):
            raise ValidationFailed.on(kind, _("You may only organise in your own scope."))
    fields = {"organiser_kind": kind, "team": None, "unit": None, "place": None, "organization": None,
              "region": obj.region}
    fields[{OrganiserKind.TEAM: "team", OrganiserKind.UNIT: "unit", OrganiserKind.PLACE: "place",
            OrganiserKind.ORGANIZATION: "organization"}[kind]] = obj
    if kind != OrganiserKind.UNIT and getattr(obj, "member_unit_id", None):
        fields["unit"] = obj.member_unit  # a unit's team or organization: the unit's liaison organises it too
    return fields


def _check_times(starts_at, ends_at, errors: dict, prefix: str = "") -> None:
    if starts_at is None:
        errors.setdefault(f"{prefix}starts_at", []).append(_("Enter the start time."))
    if ends_at is None:
        errors.setdefault(f"{prefix}ends_at", []).append(_("Enter the end time."))
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        errors.setdefault(f"{prefix}ends_at", []).append(_("The end must be after the start."))


def _check_shifts(shifts: list[ShiftInput], starts_at, ends_at, errors: dict) -> None:
    if not shifts:
        errors.setdefault("shifts", []).append(_("Give at least one shift."))
    for i, s in enumerate(shifts):
        if not (s.name or "").strip():
            errors.setdefault("shifts", []).append(_("Shift %(n)s: enter its name.") % {"n": i + 1})
        if s.capacity is None or int(s.capacity) < 1:
            errors.setdefault("shifts", []).append(_("Shift %(n)s: the places must be at least 1.") % {"n": i + 1})
        if s.starts_at is None or s.ends_at is None or s.ends_at <= s.starts_at:
            errors.setdefault("shifts", []).append(_("Shift %(n)s: the end must be after the start.") % {"n": i + 1})
        elif s.ends_at - s.starts_at > timedelta(hours=24):
            errors.setdefault("shifts", []).append(_("Shift %(n)s: a shift lasts at most 24 hours.") % {"n": i + 1})


def check_activity(title, location, starts_at, ends_at, shifts) -> None:
    """The field errors of an activity's values (ValidationFailed), before anything is written (the import)."""
    _check(title, location, starts_at, ends_at, shifts)


def _check(title, location, starts_at, ends_at, shifts) -> None:
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("Enter the title.")]
    if not (location or "").strip():
        errors["location"] = [_("Enter the place.")]
    _check_times(starts_at, ends_at, errors)
    _check_shifts(shifts, starts_at, ends_at, errors)
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), field_errors=errors)


def create_activity(*, actor, title: str, organiser_kind: str, organiser, starts_at: datetime, ends_at: datetime,
                    location: str, shifts: list[ShiftInput] | None = None, capacity: int | None = None,
                    description: str = "", series: ActivitySeries | None = None, now: datetime | None = None,
                    code: str = "") -> Activity:
    """A new activity, open for sign-up, with its shifts (one shift "志愿者" over the whole time with `capacity`
    places when no shifts are given)."""
    check_actor(actor)
    if actor is not SYSTEM and not policies.may_create(actor):
        raise Forbidden()
    now = now or timezone.now()
    if shifts is None:
        shifts = [ShiftInput(_("Volunteer"), starts_at, ends_at, capacity)]
    _check(title, location, starts_at, ends_at, shifts)
    fields = resolve_organiser(actor, organiser_kind, organiser)
    with transaction.atomic():
        made = Activity(code=code or new_code(now), title=title.strip()[:120], description=(description or "").strip(),
                        series=series, starts_at=starts_at, ends_at=ends_at, location=location.strip()[:120],
                        created_by=user_of(actor), created_at=now, **fields)
        made._history_user = user_of(actor)
        made.save()
        for i, s in enumerate(shifts):
            shift = Shift(activity=made, name=s.name.strip()[:60], starts_at=s.starts_at, ends_at=s.ends_at,
                          capacity=int(s.capacity), position=i)
            shift._history_user = user_of(actor)
            shift.save()
        record_creation(made, ActivityAction.PUBLISH, workflow=ACTIVITY_FLOW, actor=actor, now=now)
    return made


def update_activity(activity: Activity, *, actor, title: str, organiser_kind: str, organiser, starts_at: datetime,
                    ends_at: datetime, location: str, shifts: list[ShiftInput], description: str = "",
                    shift_ids: list[int | None] | None = None) -> Activity:
    """Change an open or closed activity: its fields and shifts (`shift_ids[i]`: the shift the i-th input edits,
    None for a new one; a shift left out is removed, unless it has sign-ups). A shift's places cannot go below
    the places it has given."""
    check_actor(actor)
    _check(title, location, starts_at, ends_at, shifts)
    fields = resolve_organiser(actor, organiser_kind, organiser)
    shift_ids = shift_ids if shift_ids is not None else [None] * len(shifts)
    with transaction.atomic():
        locked = Activity.objects.select_for_update(of=("self",)).select_related("region").filter(
            pk=activity.pk).first()
        if locked is None or (is_user(actor) and not policies.may_see(actor, locked)):
            raise NotFound()
        if not policies.may_edit(actor, locked):
            raise Forbidden() if locked.state in (ActivityState.OPEN, ActivityState.CLOSED) else InvalidTransition(
                _("A finished or cancelled activity cannot be changed."))
        before = snapshot(locked)
        for name, value in {"title": title.strip()[:120], "description": (description or "").strip(),
                            "starts_at": starts_at, "ends_at": ends_at, "location": location.strip()[:120],
                            **fields}.items():
            setattr(locked, name, value)
        existing = {s.pk: s for s in locked.shifts.all()}
        changed = snapshot(locked) != before
        kept = set()
        for i, (s, pk) in enumerate(zip(shifts, shift_ids, strict=False)):
            shift = existing.get(pk) if pk else None
            if shift is None:
                shift = Shift(activity=locked)
            else:
                kept.add(shift.pk)
                held = SignUp.objects.filter(shift=shift, state__in=HOLDING).count()
                if int(s.capacity) < held:
                    raise ValidationFailed.on("shifts", _("Shift %(n)s already has %(held)s volunteers: its places "
                                                          "cannot be fewer.") % {"n": i + 1, "held": held})
            old = snapshot(shift) if shift.pk else None
            shift.name, shift.starts_at, shift.ends_at = s.name.strip()[:60], s.starts_at, s.ends_at
            shift.capacity, shift.position = int(s.capacity), i
            if old is None or snapshot(shift) != old:
                shift._history_user = user_of(actor)
                shift.save()
                changed = True
        for pk, shift in existing.items():
            if pk in kept:
                continue
            if shift.signups.exists():
                raise ValidationFailed.on("shifts", _("The shift “%(name)s” has sign-ups: it cannot be removed.")
                                          % {"name": shift.name})
            shift.delete()
            changed = True
        refuse_unchanged(locked, before, also_changed=changed)
        locked._history_user = user_of(actor)
        locked.save()
    return locked


# --- Series -----------------------------------------------------------------------------------------------------

def series_dates(recurrence: str, *, starts_on: date, ends_on: date, weekday: int | None = None,
                 day_of_month: int | None = None) -> list[date]:
    """The dates of a series between two dates (a month without the day, e.g. the 31st, is skipped)."""
    out: list[date] = []
    if recurrence == Recurrence.WEEKLY:
        day = starts_on + timedelta(days=(weekday - 1 - starts_on.weekday()) % 7)
        while day <= ends_on:
            out.append(day)
            day += timedelta(days=7)
    else:
        y, m = starts_on.year, starts_on.month
        while date(y, m, 1) <= ends_on:
            if day_of_month <= monthrange(y, m)[1]:
                d = date(y, m, day_of_month)
                if starts_on <= d <= ends_on:
                    out.append(d)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _at(day: date, t: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, t))


def create_series(*, actor, title: str, organiser_kind: str, organiser, recurrence: str, starts_on: date,
                  ends_on: date, start_time: time, end_time: time, location: str, capacity: int,
                  weekday: int | None = None, day_of_month: int | None = None, description: str = "",
                  shift_names: list[str] | None = None, now: datetime | None = None) -> ActivitySeries:
    """A recurring activity and its generated dates, each an open activity with one shift per name in
    `shift_names` (default one "志愿者" shift) of `capacity` places over the series' time."""
    check_actor(actor)
    if actor is not SYSTEM and not policies.may_create(actor):
        raise Forbidden()
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("Enter the title.")]
    if not (location or "").strip():
        errors["location"] = [_("Enter the place.")]
    if recurrence not in Recurrence.values:
        errors["recurrence"] = [_("Choose how the activity repeats.")]
    elif recurrence == Recurrence.WEEKLY and weekday not in range(1, 8):
        errors["weekday"] = [_("Choose the weekday.")]
    elif recurrence == Recurrence.MONTHLY and day_of_month not in range(1, 32):
        errors["day_of_month"] = [_("Choose a day of the month from 1 to 31.")]
    if starts_on is None or ends_on is None or ends_on < starts_on:
        errors["ends_on"] = [_("The last date must not be before the first.")]
    if start_time is None or end_time is None or end_time <= start_time:
        errors["end_time"] = [_("The end must be after the start.")]
    if capacity is None or int(capacity) < 1:
        errors["capacity"] = [_("The places must be at least 1.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), field_errors=errors)
    dates = series_dates(recurrence, starts_on=starts_on, ends_on=ends_on, weekday=weekday,
                         day_of_month=day_of_month)
    if not dates:
        raise ValidationFailed.on("ends_on", _("No date of the series falls between the two dates."))
    if len(dates) > MAX_SERIES_DATES:
        raise ValidationFailed.on("ends_on", _("A series has at most %(n)s dates: choose a shorter period.")
                                  % {"n": MAX_SERIES_DATES})
    fields = resolve_organiser(actor, organiser_kind, organiser)
    names = [n.strip() for n in (shift_names or []) if n.strip()] or [_("Volunteer")]
    with transaction.atomic():
        series = ActivitySeries(title=title.strip()[:120], description=(description or "").strip(),
                                recurrence=recurrence, weekday=weekday if recurrence == Recurrence.WEEKLY else None,
                                day_of_month=day_of_month if recurrence == Recurrence.MONTHLY else None,
                                starts_on=starts_on, ends_on=ends_on, start_time=start_time, end_time=end_time,
                                location=location.strip()[:120], capacity=int(capacity), created_by=user_of(actor),
                                created_at=now, **fields)
        series._history_user = user_of(actor)
        series.save()
        for day in dates:
            starts, ends = _at(day, start_time), _at(day, end_time)
            create_activity(actor=actor, title=series.title, organiser_kind=organiser_kind,
                            organiser=series.organiser, starts_at=starts, ends_at=ends, location=series.location,
                            description=series.description, series=series, now=now,
                            shifts=[ShiftInput(n, starts, ends, int(capacity)) for n in names])
    return series


# --- The activity's workflow ------------------------------------------------------------------------------------

def _authorize(actor, action: str):
    def check(locked: Activity) -> None:
        if actor is SYSTEM:
            return
        if not policies.may_see(actor, locked):
            raise NotFound()
        if not policies.may_organise(actor, locked):
            raise Forbidden()
    return check


def _activity_step(activity, action: str, *, actor, note: str = "", now: datetime | None = None) -> Activity:
    return transition(activity, action, workflow=ACTIVITY_FLOW, actor=actor, note=note, now=now,
                      authorize=_authorize(actor, action), related=("region",))


def close_signup(activity, *, actor, now: datetime | None = None) -> Activity:
    return _activity_step(activity, ActivityAction.CLOSE, actor=actor, now=now)


def reopen_signup(activity, *, actor, now: datetime | None = None) -> Activity:
    return _activity_step(activity, ActivityAction.REOPEN, actor=actor, now=now)


def finish_activity(activity, *, actor, now: datetime | None = None) -> Activity:
    """Finish: the sign-ups still confirmed (never checked in) are marked absent, the waiting list is cancelled;
    volunteers checked in may still be checked out."""
    now = now or timezone.now()
    with transaction.atomic():
        done = _activity_step(activity, ActivityAction.FINISH, actor=actor, now=now)
        for s in SignUp.objects.filter(shift__activity=done, state=SignUpState.CONFIRMED).order_by("pk"):
            transition(s, SignUpAction.MARK_ABSENT, workflow=SIGNUP_FLOW, actor=actor, now=now)
        for s in SignUp.objects.filter(shift__activity=done, state=SignUpState.WAITING).order_by("pk"):
            transition(s, SignUpAction.CANCEL, workflow=SIGNUP_FLOW, actor=actor, now=now,
                       note=_("The activity is finished."))
    return done


def cancel_activity(activity, *, actor, reason: str, now: datetime | None = None) -> Activity:
    """Cancel with a reason: every live sign-up is cancelled and its volunteer told (inbox and SMS)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.on("note", _("Give a reason."))
    with transaction.atomic():
        done = _activity_step(activity, ActivityAction.CANCEL, actor=actor, note=reason, now=now)
        for s in (SignUp.objects.filter(shift__activity=done, state__in=LIVE).exclude(state=SignUpState.ATTENDED)
                  .select_related("volunteer").order_by("pk")):
            if SIGNUP_FLOW.target(s.state, SignUpAction.CANCEL) is None:
                continue  # checked in: their place stays on the record
            transition(s, SignUpAction.CANCEL, workflow=SIGNUP_FLOW, actor=actor, now=now, note=reason)
            tell(s.volunteer, _("The activity “%(title)s” on %(time)s is cancelled: %(reason)s") % {
                "title": done.title, "time": _local(done.starts_at), "reason": reason},
                link=reverse("volunteering:my"))
    return done


# --- Notifications ----------------------------------------------------------------------------------------------

def tell(volunteer, text: str, link: str = "") -> None:
    """Tell a volunteer, after commit: the inbox of their account (or their party member's), else an SMS."""
    from gongzhi.demands.notify import notify_users, send_sms

    user = volunteer.user
    if user is None and volunteer.party_member_id:
        user = volunteer.party_member.user
    if user is not None:
        transaction.on_commit(partial(notify_users, [user], None, text, link), robust=True)
    elif volunteer.phone:
        transaction.on_commit(partial(send_sms, [volunteer.phone], text), robust=True)


# --- Sign-up ----------------------------------------------------------------------------------------------------

def sign_up(shift, *, actor, consent: bool = False, wait: bool = False, now: datetime | None = None) -> SignUp:
    """Sign the logged-in user up for `shift` (their volunteer found, or made with their consent). Refused, writing
    nothing: an activity not open or already started, a second live sign-up for the shift, a full shift (unless
    `wait`: then a place on its waiting list)."""
    check_actor(actor)
    if not is_user(actor):
        raise Forbidden()
    now = now or timezone.now()
    with transaction.atomic():
        locked = Shift.objects.select_for_update(of=("self",)).select_related("activity").filter(
            pk=getattr(shift, "pk", shift)).first()
        if locked is None:
            raise NotFound()
        activity = locked.activity
        if activity.state == ActivityState.CANCELLED:
            raise Conflict(_("This activity is cancelled."), code="activity_cancelled")
        if activity.state != ActivityState.OPEN:
            raise Conflict(_("Sign-up for this activity is closed."), code="signup_closed")
        if locked.starts_at <= now or activity.starts_at <= now:
            raise Conflict(_("This activity has already started: sign-up is over."), code="activity_past")
        vol = get_or_create_volunteer_for(actor, actor=actor, consent=consent)
        if not vol.active:
            raise Conflict(_("Your volunteer registration is not active."), code="volunteer_inactive")
        if SignUp.objects.filter(shift=locked, volunteer=vol, state__in=LIVE).exists():
            raise Conflict(_("You have already signed up for this shift."), code="already_signed_up")
        full = SignUp.objects.filter(shift=locked, state__in=HOLDING).count() >= locked.capacity
        if full and not wait:
            raise Conflict(_("This shift is full. You may join its waiting list."), code="shift_full")
        made = SignUp(shift=locked, volunteer=vol, created_at=now,
                      state=SignUpState.WAITING if full else SignUpState.CONFIRMED,
                      waiting_since=now if full else None)
        made._history_user = user_of(actor)
        try:
            with transaction.atomic():
                made.save()
        except IntegrityError:
            raise Conflict(_("You have already signed up for this shift."), code="already_signed_up") from None
        record_creation(made, SignUpAction.SIGN_UP, workflow=SIGNUP_FLOW, actor=actor, now=now)
    return made


def _promote_first(shift: Shift, *, actor, now: datetime) -> SignUp | None:
    """Move the first waiting volunteer of `shift` up when a place is free (the shift's row is locked)."""
    if SignUp.objects.filter(shift=shift, state__in=HOLDING).count() >= shift.capacity:
        return None
    first = SignUp.objects.filter(shift=shift, state=SignUpState.WAITING).select_related("volunteer").order_by(
        "waiting_since", "created_at", "pk").first()
    if first is None:
        return None
    moved = transition(first, SignUpAction.PROMOTE, workflow=SIGNUP_FLOW, actor=actor, now=now)
    activity = shift.activity
    tell(first.volunteer, _("A place is free: you are now signed up for “%(title)s” (%(shift)s), %(time)s.") % {
        "title": activity.title, "shift": shift.name, "time": _local(shift.starts_at)},
        link=reverse("volunteering:h5_activity", args=[activity.pk]))
    return moved


def cancel_signup(signup, *, actor, note: str = "", now: datetime | None = None) -> SignUp:
    """The volunteer (or the organiser) cancels a confirmed or waiting sign-up; a released place goes to the first
    volunteer waiting, in the same transaction."""
    check_actor(actor)
    now = now or timezone.now()
    with transaction.atomic():
        current = SignUp.objects.select_related("shift__activity__region", "volunteer").filter(
            pk=getattr(signup, "pk", signup)).first()
        if current is None:
            raise NotFound()
        shift = Shift.objects.select_for_update(of=("self",)).select_related("activity").get(pk=current.shift_id)

        def check(locked: SignUp) -> None:
            if actor is SYSTEM:
                return
            locked.shift = shift
            if not (policies.owns(actor, locked) or policies.may_see(actor, shift.activity)):
                raise NotFound()
            if shift.activity.state not in (ActivityState.OPEN, ActivityState.CLOSED):
                raise Conflict(_("This activity is over: its sign-ups cannot be cancelled."), code="activity_over")
            if not policies.owns(actor, locked) and not policies.may_organise(actor, shift.activity):
                raise Forbidden()

        done = transition(current, SignUpAction.CANCEL, workflow=SIGNUP_FLOW, actor=actor, now=now, note=note,
                          authorize=check)
        if current.state in HOLDING:
            _promote_first(shift, actor=actor, now=now)
    return done


# --- Check-in and check-out -------------------------------------------------------------------------------------

def _roster_check(actor, action: str, now: datetime):
    def check(locked: SignUp) -> None:
        activity = locked.shift.activity
        if actor is SYSTEM:
            return
        if not policies.may_see(actor, activity):
            raise NotFound()
        if not policies.may_organise(actor, activity):
            raise Forbidden()
        if action != SignUpAction.CHECK_OUT and activity.state not in (ActivityState.OPEN, ActivityState.CLOSED):
            raise InvalidTransition(_("This activity is finished or cancelled."))
        if action == SignUpAction.CHECK_IN and not policies.on_or_after_the_day(locked, now):
            raise Conflict(_("Check-in opens on the day of the activity."), code="not_yet")
    return check


def check_in(signup, *, actor, now: datetime | None = None) -> SignUp:
    now = now or timezone.now()
    return transition(signup, SignUpAction.CHECK_IN, workflow=SIGNUP_FLOW, actor=actor, now=now,
                      authorize=_roster_check(actor, SignUpAction.CHECK_IN, now),
                      related=("shift__activity__region",), checked_in_at=now)


def mark_absent(signup, *, actor, now: datetime | None = None) -> SignUp:
    now = now or timezone.now()
    return transition(signup, SignUpAction.MARK_ABSENT, workflow=SIGNUP_FLOW, actor=actor, now=now,
                      authorize=_roster_check(actor, SignUpAction.MARK_ABSENT, now),
                      related=("shift__activity__region",))


def shift_hours(shift: Shift) -> Decimal:
    seconds = (shift.ends_at - shift.starts_at).total_seconds()
    return min(Decimal(24), (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01")))


def check_out(signup, *, actor, hours=None, now: datetime | None = None) -> SignUp:
    """Check a present volunteer out and credit their hours, once: the shift's length, or `hours` the organiser
    enters (at most 24). A second check-out, or one before the check-in, is refused (InvalidTransition) and
    credits nothing; the ledger's unique sign-up is the second guard."""
    now = now or timezone.now()
    value = to_hours(hours) if hours not in (None, "") else None
    with transaction.atomic():
        done = transition(signup, SignUpAction.CHECK_OUT, workflow=SIGNUP_FLOW, actor=actor, now=now,
                          authorize=_roster_check(actor, SignUpAction.CHECK_OUT, now),
                          related=("shift__activity__region", "volunteer"), checked_out_at=now)
        shift = done.shift
        activity = shift.activity
        credited = value if value is not None else shift_hours(shift)
        served_on = min(timezone.localtime(shift.starts_at).date(), timezone.localtime(now).date())
        credit_hours(done.volunteer, actor=actor, hours=credited, served_on=served_on, activity=activity,
                     signup=done, organiser=organiser_label(activity))
    return done


def organiser_label(activity: Activity) -> str:
    org = activity.organiser
    return getattr(org, "name", "") or ""


# --- Bulk history (the demo) --------------------------------------------------------------------------------------

def bulk_record(model, rows: list, batch_size: int | None = None) -> list:
    """Past rows of the activities part written in bulk as the caller built them (the demo's two years of
    activities, sign-ups, their logs and the hours credited; no check, no audit row: SYSTEM data only)."""
    from gongzhi.volunteering.models import ActivityTransition, HoursEntry, SignUpTransition, Volunteer

    if model not in (Volunteer, Activity, Shift, ActivityTransition, SignUp, SignUpTransition, HoursEntry):
        raise ValueError(f"bulk_record does not write {model.__name__}")
    return model.objects.bulk_create(rows, batch_size=batch_size)
