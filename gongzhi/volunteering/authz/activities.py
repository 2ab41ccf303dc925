"""Authorization-test fixtures of the activities part (see gongzhi.core.authz): in area A an open, upcoming
activity ``activity_a`` of a volunteer team with its shift ``shift_a`` and a confirmed sign-up ``signup_a``, and a
volunteer with hours ``hours_volunteer_a`` (a finished activity, checked out). In each zone the same, marked: in
zone x (another sub-district) an ordinary open, upcoming activity with a confirmed sign-up; in zones a and b (the
personas' own sub-district, whose open activities every account sees on H5 by design) finished ones."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.registry.models import VolunteerTeam
from gongzhi.volunteering.models import HoursEntry, SignUp, Volunteer
from gongzhi.volunteering.services import activities as services
from gongzhi.volunteering.workflow import SignUpState

# The zones in another sub-district than every persona's (gongzhi.core.authz): an H5 board shows the open
# activities of the user's own sub-district only, so there an open, upcoming activity is out of everyone's sight.
# Zones a and b lie in the personas' sub-district, where every account sees the open activities by design: there
# the out-of-scope activities are finished ones.
OTHER_SUBDISTRICT = ("x",)


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
        v = Volunteer.objects.create(region=region, name=world.mark(zone, "志愿者", private=True),
                                     phone="13900000888", consented_at=now)
        past = _activity(region, title=world.mark(zone, "活动"), team_name=world.mark(zone, "队"),
                         starts_at=now - timedelta(days=4))
        s = _attended(past, v)
        services.finish_activity(past, actor=SYSTEM)
        if zone in OTHER_SUBDISTRICT:  # an ordinary open, upcoming activity: off every persona's board
            other = _activity(region, title=world.mark(zone, "开放活动"), team_name=world.mark(zone, "服务队"),
                              starts_at=now + timedelta(days=3))
            s = SignUp.objects.create(shift=other.shifts.get(), volunteer=v)
        else:
            other = past
        made[f"activity_a@{zone}"] = other
        made[f"shift_a@{zone}"] = other.shifts.get()
        made[f"signup_a@{zone}"] = s
        made[f"hours_volunteer_a@{zone}"] = v
    assert HoursEntry.objects.filter(volunteer=vol).count() == 1
    return made
