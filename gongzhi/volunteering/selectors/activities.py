"""Reads of the activities part: the organisers' scoped lists (upcoming / past, filters, search), an activity with
its shifts and free places, the roster, the H5 board of open activities, my sign-ups and my hours, the certificate
rows, the workbench card. Staff reads are scoped by `gongzhi.accounts.scope`; the H5 board shows every open,
upcoming activity to any logged-in user (they are published for sign-up), the user's own region's first."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts.scope import scope_for
from gongzhi.core.errors import NotFound
from gongzhi.core.workbench import card
from gongzhi.core.workflow import is_user
from gongzhi.registry.models import MemberUnit, PartyOrg, ServicePlace, VolunteerTeam
from gongzhi.volunteering.models import Activity, HoursEntry, Shift, SignUp, Volunteer
from gongzhi.volunteering.policies.activities import ORGANISE, STAFF, VIEW
from gongzhi.volunteering.workflow import (
    SIGNUP_HOLDING_STATES,
    SIGNUP_LIVE_STATES,
    ActivityState,
    SignUpState,
)

HOLDING = sorted(s.value for s in SIGNUP_HOLDING_STATES)
LIVE = sorted(s.value for s in SIGNUP_LIVE_STATES)


def _staff_q(user, model) -> Q | None:
    """The rows of `model` the user sees with any staff capability (view or organise); None: nothing."""
    qs = [scope_for(user, c) for c in STAFF]
    if any(s.everything for s in qs):
        return Q()
    parts = [s.q(model) for s in qs if not s.is_empty]
    if not parts:
        return None
    out = parts[0]
    for p in parts[1:]:
        out |= p
    return out


def activities_for(user):
    if not is_user(user):
        return Activity.objects.none()
    q = _staff_q(user, Activity)
    if q is None:
        return Activity.objects.none()
    return Activity.objects.filter(q).select_related("region", "team", "unit", "place", "organization")


def organised_by(user):
    """The activities the user may organise."""
    return scope_for(user, ORGANISE).filter(Activity.objects.all()).select_related(
        "region", "team", "unit", "place", "organization")


def activity(user, pk) -> Activity:
    try:
        return activities_for(user).get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise NotFound()


def filter_activities(qs, params, now: datetime | None = None):
    now = now or timezone.now()
    when = params.get("when") or ""
    if when == "past":
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    elif when == "all":
        qs = qs.order_by("-starts_at", "-pk")
    else:
        qs = qs.filter(ends_at__gte=now).order_by("starts_at", "pk")
    if (state := params.get("state")) in ActivityState.values:
        qs = qs.filter(state=state)
    if q := (params.get("q") or "").strip()[:60]:
        qs = qs.filter(Q(title__icontains=q) | Q(location__icontains=q) | Q(code__icontains=q)
                       | Q(team__name__icontains=q) | Q(unit__name__icontains=q) | Q(place__name__icontains=q)
                       | Q(organization__name__icontains=q))
    if kind := params.get("organiser_kind"):
        qs = qs.filter(organiser_kind=kind)
    return qs


def with_counts(qs):
    """`total_places` (the sum of its shifts' places: a subquery, since a distinct sum would count two shifts of equal
    size once), `taken` and `waiting`."""
    places = Shift.objects.filter(activity=OuterRef("pk")).values("activity").annotate(n=Sum("capacity")).values("n")
    return qs.annotate(
        total_places=Subquery(places, output_field=IntegerField()),
        taken=Count("shifts__signups", filter=Q(shifts__signups__state__in=HOLDING), distinct=True),
        waiting=Count("shifts__signups", filter=Q(shifts__signups__state=SignUpState.WAITING), distinct=True),
    )


def shifts_of(activity_: Activity) -> list[Shift]:
    """The activity's shifts, each with `taken`, `waiting` and `free` places."""
    shifts = list(activity_.shifts.annotate(
        taken=Count("signups", filter=Q(signups__state__in=HOLDING)),
        waiting=Count("signups", filter=Q(signups__state=SignUpState.WAITING))).order_by("position", "starts_at",
                                                                                         "pk"))
    for s in shifts:
        s.free = max(0, s.capacity - s.taken)
    return shifts


def taken(shift) -> int:
    return SignUp.objects.filter(shift=shift, state__in=HOLDING).count()


def roster(activity_: Activity):
    return (SignUp.objects.filter(shift__activity=activity_).exclude(state=SignUpState.CANCELLED)
            .select_related("volunteer", "shift", "shift__activity__region", "hours_entry")
            .order_by("shift__position", "shift__starts_at", "state", "waiting_since", "created_at", "pk"))


def signup_for_organiser(user, pk) -> SignUp:
    found = SignUp.objects.select_related("shift__activity__region", "volunteer").filter(pk=pk).first()
    if found is None or not activities_for(user).filter(pk=found.shift.activity_id).exists():
        raise NotFound()
    return found


def organiser_name(activity_: Activity) -> str:
    org = activity_.organiser
    return getattr(org, "name", "") or ""


def organiser_choices(user) -> dict[str, list]:
    """What the user may name as organiser: teams, units, places and party organizations in their organise scope
    (a unit's liaison: their own unit and its teams and organizations)."""
    scope = scope_for(user, ORGANISE)
    if scope.is_empty:
        return {"team": [], "unit": [], "place": [], "organization": []}

    def pick(model, unit_field):
        qs = model.objects.select_related("region")
        if scope.everything:
            return qs
        q = Q(pk__in=[])
        for p in scope.region_paths:
            q |= Q(region__path__startswith=p)
        if scope.unit_ids and unit_field:
            q |= Q(**{f"{unit_field}__in": scope.unit_ids})
        return qs.filter(q)

    return {"team": list(pick(VolunteerTeam, "member_unit_id").order_by("name")[:500]),
            "unit": list(pick(MemberUnit, "pk").order_by("name")[:500]),
            "place": list(pick(ServicePlace, None).order_by("name")[:500]),
            "organization": list(pick(PartyOrg, "member_unit_id").order_by("name")[:500])}


# --- H5 ---------------------------------------------------------------------------------------------------------

def home_region(user):
    vol = volunteer_of(user)
    if vol is not None:
        return vol.region
    a = user.role_assignments.select_related("region").exclude(region=None).order_by("pk").first()
    return a.region if a else None


def board_q(user) -> Q | None:
    """Where the user's H5 board looks: the sub-district above their volunteer's region and above each region of
    their role assignments, and for staff their volunteering scope too. None: nowhere (no region at all)."""
    if not is_user(user):
        return None
    regions = [a.region for a in user.role_assignments.select_related("region").exclude(region=None)]
    vol = volunteer_of(user)
    if vol is not None:
        regions.append(vol.region)
    paths = {r.subdistrict().path for r in regions}
    q = Q(pk__in=[])
    for capability in STAFF:
        scope = scope_for(user, capability)
        if scope.everything:
            return Q()
        paths.update(scope.region_paths)
        if scope.unit_ids:
            q |= Q(unit_id__in=scope.unit_ids)
    for path in paths:
        q |= Q(region__path__startswith=path)
    return q


def open_activities(user, now: datetime | None = None):
    """The open, upcoming activities (published for sign-up) of the user's sub-district (see `board_q`)."""
    now = now or timezone.now()
    where = board_q(user)
    if where is None:
        return Activity.objects.none()
    return (Activity.objects.filter(where, state=ActivityState.OPEN, starts_at__gt=now)
            .select_related("region", "team", "unit", "place", "organization").order_by("starts_at", "pk"))


def near_first(user, qs, limit: int = 100) -> list[Activity]:
    """`qs` with the activities of the user's residential area first, then of their sub-district."""
    region = home_region(user)
    rows = list(qs[:500])
    if region is not None:
        parts = region.path.strip("/").split("/")
        area, street = ("/" + "/".join(parts[:n]) + "/" for n in (3, 2))
        rows.sort(key=lambda a: 0 if a.region.path.startswith(area) else 1 if a.region.path.startswith(street) else 2)
    return rows[:limit]


def public_activity(user, pk) -> Activity:
    """An activity on H5: published, or one the user has (had) a sign-up for. NotFound otherwise."""
    found = Activity.objects.select_related("region", "team", "unit", "place", "organization").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    if found.state in (ActivityState.OPEN, ActivityState.CLOSED) and found.ends_at > timezone.now() \
            and Activity.objects.filter(board_q(user) or Q(pk__in=[]), pk=found.pk).exists():
        return found
    vol = volunteer_of(user)
    if vol is not None and SignUp.objects.filter(volunteer=vol, shift__activity=found).exists():
        return found
    raise NotFound()


def volunteer_of(user) -> Volunteer | None:
    """The user's volunteer: linked to the account, else to the user's party member."""
    if not is_user(user):
        return None
    vol = Volunteer.objects.select_related("region").filter(user=user).first()
    if vol is None:
        member = getattr(user, "party_member", None) if hasattr(user, "party_member") else None
        if member is not None:
            vol = Volunteer.objects.select_related("region").filter(party_member=member).first()
    return vol


def my_signups(vol: Volunteer | None, *, upcoming: bool, now: datetime | None = None):
    if vol is None:
        return SignUp.objects.none()
    now = now or timezone.now()
    qs = SignUp.objects.filter(volunteer=vol).select_related("shift__activity__region", "hours_entry")
    if upcoming:
        return qs.filter(state__in=LIVE, shift__ends_at__gte=now).exclude(state=SignUpState.ATTENDED).order_by(
            "shift__starts_at", "pk")
    return qs.filter(state=SignUpState.ATTENDED).order_by("-shift__starts_at", "-pk")


def my_live_signups(vol: Volunteer | None, activity_: Activity) -> dict[int, SignUp]:
    if vol is None:
        return {}
    return {s.shift_id: s for s in SignUp.objects.filter(volunteer=vol, shift__activity=activity_, state__in=LIVE)}


# --- Certificate ------------------------------------------------------------------------------------------------

def certificate_volunteer(user, pk) -> Volunteer:
    """The volunteer whose certificate the user may see: their own, or one in their volunteering.view scope."""
    vol = Volunteer.objects.select_related("region").filter(pk=pk).first()
    if vol is None:
        raise NotFound()
    own = volunteer_of(user)
    if own is not None and own.pk == vol.pk:
        return vol
    if scope_for(user, VIEW).filter(Volunteer.objects.filter(pk=vol.pk)).exists():
        return vol
    raise NotFound()


def certificate_rows(vol: Volunteer):
    return list(HoursEntry.objects.filter(volunteer=vol).select_related("activity").order_by("served_on", "pk"))


def rows_total(rows) -> Decimal:
    return sum((r.hours for r in rows), Decimal("0.00"))


# --- Workbench --------------------------------------------------------------------------------------------------

def week_card(user, now: datetime | None = None):
    """Workbench: the activities I organise this week (Monday to Sunday), not cancelled."""
    if not scope_for(user, ORGANISE).region_paths and not scope_for(user, ORGANISE).unit_ids \
            and not scope_for(user, ORGANISE).everything:
        return None
    now = timezone.localtime(now or timezone.now())
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    qs = organised_by(user).filter(starts_at__gte=monday, starts_at__lt=monday + timedelta(days=7)).exclude(
        state=ActivityState.CANCELLED).order_by("starts_at", "pk")
    return card(qs, reverse("volunteering:activities") + "?when=all",
                lambda a: {"text": f"{timezone.localtime(a.starts_at):%m-%d %H:%M} {a.title}",
                           "url": reverse("volunteering:activity", args=[a.pk])})
