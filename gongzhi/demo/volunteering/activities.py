"""Demo volunteering: the activities part. Two years up to today of volunteer activities with their sign-ups,
check-ins and check-outs and one hours-ledger row per attended sign-up:

* every Thursday's 党员专家在行动 at a building station (楼宇党群服务站), 14:00–16:30, two shifts;
* the monthly 文化进楼宇 of a joint party committee, on the 15th;
* the riverside teams' 滨江步道巡护 patrols, every Saturday morning;
* waste-sorting patrols (垃圾分类督导) by a party branch's retired and working members (seed 004), on the 1st and
  16th of each month, 7:00–9:00;
* the area teams' monthly services (their speciality) on the 10th.

Past dates are finished (most volunteers attended, a few were absent or cancelled); the next three weeks are open,
and one of them has places left for the demo member ``member1``. The volunteers come from the volunteers part
(``ctx.extra["volunteers"]``); alone, this part registers a few dozen party members as volunteers. Past rows are
bulk-created for volume (with their workflow logs); upcoming activities go through the services."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.registry.models import PartyOrgKind
from gongzhi.volunteering.models import (
    Activity,
    ActivityTransition,
    HoursEntry,
    OrganiserKind,
    Shift,
    SignUp,
    SignUpTransition,
    Volunteer,
)
from gongzhi.volunteering.services import activities as services
from gongzhi.volunteering.workflow import ActivityState, SignUpState

DAYS_BACK = 730


def _at(day: date, t: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, t))


def _volunteers(ctx) -> list[Volunteer]:
    vols = list(ctx.extra.get("volunteers") or [])
    if vols:
        return vols
    members = sorted(ctx.members, key=lambda m: m.name)
    picked = ctx.rng.sample(members, min(48, len(members)))
    now = timezone.now()
    made = [Volunteer(region=m.grid or m.registered_area or m.organization.region, name=m.name, party_member=m,
                      consented_at=now - timedelta(days=DAYS_BACK + 30), created_at=now - timedelta(days=DAYS_BACK + 30))
            for m in picked if m.user_id is None]
    vols = services.bulk_record(Volunteer, made)
    ctx.extra["volunteers"] = vols
    return vols


def _plans(ctx, today: date):
    """(title, organiser kind, organiser, region, location, dates, start, end, [(shift name, places)])."""
    places = [p for p in ctx.service_places if getattr(p, "building_id", None)]
    station = places[0] if places else ctx.service_places[-1]
    teams = list(ctx.extra.get("volunteer_teams") or [])
    riverside = [t for t in teams if "滨江" in t.name] or teams[:2]
    area_teams = [t for t in teams if t not in riverside and not t.member_unit_id][:6]
    orgs = sorted(ctx.orgs.values(), key=lambda o: o.code)
    joint = next((o for o in orgs if o.kind == PartyOrgKind.JOINT_COMMITTEE), orgs[0])
    branch = next((o for o in orgs if o.kind == PartyOrgKind.BRANCH and o.member_unit_id), orgs[-1])
    start = today - timedelta(days=DAYS_BACK)
    days = [start + timedelta(days=i) for i in range(DAYS_BACK + 21)]
    plans = [("党员专家在行动", OrganiserKind.PLACE, station, station.region, station.name,
              [d for d in days if d.weekday() == 3], time(14), time(16, 30), [("法律咨询", 3), ("健康咨询", 3)]),
             ("文化进楼宇", OrganiserKind.ORGANIZATION, joint, joint.region, "楼宇大堂",
              [d for d in days if d.day == 15], time(12), time(13, 30), [("活动引导", 4)]),
             ("垃圾分类督导", OrganiserKind.ORGANIZATION, branch, branch.region, "小区垃圾厢房",
              [d for d in days if d.day in (1, 16)], time(7), time(9), [("早班督导", 4)])]
    for k, team in enumerate(riverside):
        plans.append(("滨江步道巡护", OrganiserKind.TEAM, team, team.region, "滨江步道",
                      [d for d in days if d.weekday() == 5 and (d.toordinal() // 7) % len(riverside) == k],
                      time(8, 30), time(11, 30), [("巡护", 6)]))
    for team in area_teams:
        plans.append((team.speciality.split("、")[0][:20] or "志愿服务", OrganiserKind.TEAM, team, team.region,
                      f"{team.region.name}活动室", [d for d in days if d.day == 10], time(9), time(11),
                      [("志愿者", 5)]))
    return plans


def seed(ctx) -> None:
    rng = ctx.rng
    vols = _volunteers(ctx)
    if not vols:
        return
    now = timezone.now()
    today = timezone.localdate()
    past, upcoming = [], []
    n = 0
    for title, kind, org, region, location, dates, t0, t1, shifts in _plans(ctx, today):
        for d in dates:
            if _at(d, t1) < now:
                n += 1
                field = {OrganiserKind.PLACE: "place", OrganiserKind.ORGANIZATION: "organization",
                         OrganiserKind.TEAM: "team", OrganiserKind.UNIT: "unit"}[kind]
                past.append((Activity(code=f"HD{d:%y%m%d}{n:04d}", title=title, region=region, organiser_kind=kind,
                                      location=location, starts_at=_at(d, t0), ends_at=_at(d, t1),
                                      state=ActivityState.FINISHED, created_at=_at(d, t0) - timedelta(days=10),
                                      **{field: org}), shifts, org.name))
            elif d <= today + timedelta(days=21):
                upcoming.append((title, kind, org, location, d, t0, t1, shifts))
    activities = services.bulk_record(Activity, [a for a, _s, _o in past], batch_size=500)
    shift_rows = []
    for a, (_a, shifts, _o) in zip(activities, past, strict=True):
        for i, (name, cap) in enumerate(shifts):
            shift_rows.append(Shift(activity=a, name=name, starts_at=a.starts_at, ends_at=a.ends_at, capacity=cap,
                                    position=i))
    shift_rows = services.bulk_record(Shift, shift_rows, batch_size=1000)
    organiser_of = {a.pk: o for a, (_a, _s, o) in zip(activities, past, strict=True)}
    services.bulk_record(ActivityTransition,
        [ActivityTransition(activity=a, action="publish", from_state="", to_state="open", actor_label=SYSTEM.key,
                            created_at=a.created_at) for a in activities]
        + [ActivityTransition(activity=a, action="finish", from_state="open", to_state="finished",
                              actor_label=SYSTEM.key, created_at=a.ends_at) for a in activities], batch_size=1000)
    signups, plan = [], []
    for shift in shift_rows:
        for vol in rng.sample(vols, min(len(vols), rng.randint(max(1, shift.capacity - 2), shift.capacity))):
            roll = rng.random()
            state = (SignUpState.ATTENDED if roll < 0.82 else SignUpState.ABSENT if roll < 0.92
                     else SignUpState.CANCELLED)
            created = shift.starts_at - timedelta(days=rng.randint(1, 9), minutes=rng.randint(0, 600))
            s = SignUp(shift=shift, volunteer=vol, state=state, created_at=created)
            if state == SignUpState.ATTENDED:
                s.checked_in_at = shift.starts_at + timedelta(minutes=rng.randint(-15, 10))
                s.checked_out_at = shift.ends_at + timedelta(minutes=rng.randint(-5, 15))
            signups.append(s)
            plan.append(shift)
    signups = services.bulk_record(SignUp, signups, batch_size=2000)
    logs, hours = [], []
    for s, shift in zip(signups, plan, strict=True):
        logs.append(SignUpTransition(signup=s, action="sign_up", from_state="", to_state="confirmed",
                                     actor_label=SYSTEM.key, created_at=s.created_at))
        if s.state == SignUpState.ATTENDED:
            logs.append(SignUpTransition(signup=s, action="check_in", from_state="confirmed", to_state="present",
                                         actor_label=SYSTEM.key, created_at=s.checked_in_at))
            logs.append(SignUpTransition(signup=s, action="check_out", from_state="present", to_state="attended",
                                         actor_label=SYSTEM.key, created_at=s.checked_out_at))
            length = Decimal((shift.ends_at - shift.starts_at).total_seconds()) / Decimal(3600)
            hours.append(HoursEntry(volunteer=s.volunteer, hours=length.quantize(Decimal("0.01")),
                                    served_on=timezone.localtime(shift.starts_at).date(), activity_id=shift.activity_id,
                                    signup=s, organiser=organiser_of[shift.activity_id],
                                    recorded_at=s.checked_out_at))
        elif s.state == SignUpState.ABSENT:
            logs.append(SignUpTransition(signup=s, action="mark_absent", from_state="confirmed", to_state="absent",
                                         actor_label=SYSTEM.key, created_at=shift.ends_at))
        else:
            logs.append(SignUpTransition(signup=s, action="cancel", from_state="confirmed", to_state="cancelled",
                                         actor_label=SYSTEM.key, created_at=s.created_at + timedelta(hours=5)))
    services.bulk_record(SignUpTransition, logs, batch_size=2000)
    services.bulk_record(HoursEntry, hours, batch_size=2000)
    made = []
    for title, kind, org, location, d, t0, t1, shifts in upcoming:
        a0, a1 = _at(d, t0), _at(d, t1)
        made.append(services.create_activity(
            actor=SYSTEM, title=title, organiser_kind=kind, organiser=org, starts_at=a0, ends_at=a1,
            location=location, shifts=[services.ShiftInput(name, a0, a1, cap) for name, cap in shifts]))
    live = []
    for activity in made:
        for shift in activity.shifts.all():
            take = rng.randint(0, max(0, shift.capacity - 2))  # always at least one place left (member1's)
            live += [SignUp(shift=shift, volunteer=vol, created_at=now - timedelta(hours=rng.randint(1, 72)))
                     for vol in rng.sample(vols, min(take, len(vols)))]
    live = services.bulk_record(SignUp, live, batch_size=1000)
    services.bulk_record(SignUpTransition, [
        SignUpTransition(signup=s, action="sign_up", from_state="", to_state="confirmed", actor_label=SYSTEM.key,
                         created_at=s.created_at) for s in live], batch_size=1000)
    ctx.extra["volunteer_activities"] = len(activities) + len(made)
    ctx.extra["volunteer_hours_rows"] = len(hours)
