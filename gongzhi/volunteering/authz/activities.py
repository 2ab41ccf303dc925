"""Authorization-test fixtures of the activities part (see gongzhi.core.authz): in area A an open, upcoming
activity ``activity_a`` of a volunteer team with its shift ``shift_a`` and a confirmed sign-up ``signup_a``, and a
volunteer with hours ``hours_volunteer_a`` (a finished activity, checked out). In each zone the same, marked; the
zones' activities are finished (in the past): open, upcoming activities are published on H5 to every account by
design, so only those never carry a mark."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.registry.models import VolunteerTeam
from gongzhi.volunteering.models import HoursEntry, SignUp, Volunteer
from gongzhi.volunteering.services import activities as services
from gongzhi.volunteering.workflow import SignUpState


def _activity(region, *, title: str, team_name: str, starts_at, hours: int = 2):
    team = VolunteerTeam.objects.create(name=team_name, region=region)
    return services.create_activity(actor=SYSTEM, title=title, organiser_kind="team", organiser=team,
                                    starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
                                    location=title + "地点", capacity=5)


def _attended(activity, vol):
    shift = activity.shifts.get()
    s = SignUp.objects.create(shift=shift, volunteer=vol, state=SignUpState.PRESENT, checked_in_at=shift.starts_at)
    services.check_out(s, actor=SYSTEM)
    return s


def build(world) -> dict:
    now = timezone.now().replace(microsecond=0)
    area = world["area_a"]
    activity = _activity(area, title="滨江步道巡护", team_name="滨江志愿服务队", starts_at=now + timedelta(days=3))
    vol = Volunteer.objects.create(region=area, name="王志愿", phone="13900000777", consented_at=now)
    signup = SignUp.objects.create(shift=activity.shifts.get(), volunteer=vol)
    past = _activity(area, title="文化进楼宇", team_name="文化志愿服务队", starts_at=now - timedelta(days=5))
    _attended(past, vol)
    made = {"activity_a": activity, "shift_a": activity.shifts.get(), "signup_a": signup,
            "hours_volunteer_a": vol}
    for zone in ZONES:
        region = world.area(zone)
        other = _activity(region, title=world.mark(zone, "活动"), team_name=world.mark(zone, "队"),
                          starts_at=now - timedelta(days=4))
        v = Volunteer.objects.create(region=region, name=world.mark(zone, "志愿者", private=True),
                                     phone="13900000888", consented_at=now)
        s = _attended(other, v)
        services.finish_activity(other, actor=SYSTEM)
        made[f"activity_a@{zone}"] = other
        made[f"shift_a@{zone}"] = other.shifts.get()
        made[f"signup_a@{zone}"] = s
        made[f"hours_volunteer_a@{zone}"] = v
    assert HoursEntry.objects.filter(volunteer=vol).count() == 1
    return made
