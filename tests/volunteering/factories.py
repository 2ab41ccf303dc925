"""Factories of volunteering on the factories' street: volunteers of area A, an activity organised by a volunteer
team of area A with one shift, sign-ups in any state. Each part adds its own (wishes, pairings …) below or in a
module of its own."""

from datetime import timedelta

from django.utils import timezone

from gongzhi.registry.models import VolunteerTeam
from gongzhi.volunteering.models import Activity, OrganiserKind, Shift, SignUp, Volunteer
from gongzhi.volunteering.workflow import ActivityState, SignUpState
from tests import factories


def team(region, name: str | None = None, **kw) -> VolunteerTeam:
    return VolunteerTeam.objects.create(name=name or f"志愿服务队{factories.seq()}", region=region, **kw)


def volunteer(region, name: str | None = None, **kw) -> Volunteer:
    kw.setdefault("consented_at", timezone.now())
    return Volunteer.objects.create(region=region, name=name or f"志愿者{factories.seq()}", **kw)


def activity(region, *, title: str | None = None, capacity: int = 10, starts_in=timedelta(days=2),
             hours: int = 2, state: str = ActivityState.OPEN, organiser_team=None, **kw) -> Activity:
    """An activity of a team of `region` starting `starts_in` from now, with one shift of `capacity` places."""
    n = factories.seq()
    starts = (timezone.now() + starts_in).replace(microsecond=0)
    if not any(k in kw for k in ("unit", "place", "organization")):
        kw.setdefault("organiser_kind", OrganiserKind.TEAM)
        kw["team"] = organiser_team or team(region)
    made = Activity.objects.create(code=f"VA{n}", title=title or f"志愿服务活动{n}", region=region,
                                   starts_at=starts, ends_at=starts + timedelta(hours=hours),
                                   location="梧桐居民区活动室", state=state, **kw)
    Shift.objects.create(activity=made, name="志愿者", starts_at=made.starts_at, ends_at=made.ends_at,
                         capacity=capacity)
    return made


def signup(shift, vol=None, state: str = SignUpState.CONFIRMED) -> SignUp:
    vol = vol or volunteer(shift.activity.region)
    now = timezone.now()
    extra = {}
    if state == SignUpState.WAITING:
        extra["waiting_since"] = now
    if state in (SignUpState.PRESENT, SignUpState.ATTENDED):
        extra["checked_in_at"] = now
    if state == SignUpState.ATTENDED:
        extra["checked_out_at"] = now
    return SignUp.objects.create(shift=shift, volunteer=vol, state=state, **extra)


def activity_in(street, state: str) -> Activity:
    return activity(street.area_a, state=state)


def signup_in(street, state: str) -> SignUp:
    return signup(activity(street.area_a).shifts.get(), state=state)
