"""Seed step: two years of resident demands on the demo street, with their timelines, reviews and "me too"s.

Every demand is planned in memory by replaying the workflow's transition table (`workflow.TRANSITIONS`) the way
the services would, with plausible actors (grid leaders, party members claiming with a promise, professional
teams, area secretaries, the sub-district, the building liaisons) and the deadline policies; the hourly overdue
check is replayed too (escalating one tier, or, at the sub-district, only marking the demand overdue). The history is
dated relative to the day of seeding (`anchor`): it ends at the start of that day, so the newest demands are from
yesterday; steps later than NOW are not taken, so recent demands are caught in every open state. Everything is then written
with a few bulk inserts: the demands with a creation record in their history (dated at submission; it holds the
demand as seeded, i.e. its current state), the timeline, the supports and the followers of merged duplicates.
Hot spots — one building, one problem, many residents within three weeks — are planted for hot-issue mining.
Then the sub-district's triage model is trained on this history (so new demands get suggested categories), and
every demo account finds a few unread messages in its inbox.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache

from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.workflow import SUBMITTER, SYSTEM, PseudoActor, is_user
from gongzhi.demands.calendar import add_working_days, db_overrides
from gongzhi.demands.models import (
    Category,
    Channel,
    Demand,
    Kind,
    Priority,
)
from gongzhi.demands.services import (
    REDO_DAYS,
    TRACKING_ALPHABET,
    HistoricalDemand,
    HistoryStep,
    deadline_limits,
    import_history,
    stamp,
)
from gongzhi.demands.workflow import OPEN_STATES, TRANSITIONS, Action, State
from gongzhi.demo import SEED
from gongzhi.demo import demand_templates as T
from gongzhi.demo.names import CBD_AREA_INDEX, Names
from gongzhi.registry.models import Liaison, MemberUnitKind

A, S = Action, State


def anchor() -> tuple[date, datetime]:
    """The demands' "today" (the last full day: yesterday) and "now" (naive local time: the start of the day of
    seeding). The demo looks fresh whenever it is seeded, and two seeds on one day are identical."""
    now = datetime.combine(timezone.localdate(), time())
    return now.date() - timedelta(days=1), now


DAYS = 730
N_DEMANDS = 5400  # plus the hot spots
ENTERPRISE_SHARE = 0.025
REASON = "demo seed"
HOT_CODES = ("cooking_fumes", "construction_noise", "stairwell_clutter", "ebike_charging", "parking", "roof_leak",
             "drains", "sorting_points", "street_lights", "tree_pruning", "elevator_works", "living_noise", "pipes",
             "bulky_waste")
PATROL_PARENTS = {"stairwell", "sanitation", "illegal_build", "traffic", "facilities", "greenery", "safety",
                  "waste_sorting"}
CHANNELS = ((Channel.WALK_IN, 20), (Channel.PHONE, 8), (Channel.HOTLINE_12345, 25), (Channel.WEB, 22),
            (Channel.GRID_PATROL, 15), (Channel.HOME_VISIT, 10))
URGENT_CODES = {"pipes", "drains", "fire_hazard", "manholes", "stray_dogs", "wall_damage", "fire_passage"}


def aware(dt: datetime) -> datetime:
    return timezone.make_aware(dt)


def seed(ctx) -> None:
    world = World(ctx)
    plans = world.plan()
    _write(plans)
    ctx.extra["demands"] = len(plans)
    _train_triage(ctx)
    _unread_messages(ctx)


TRIAGE_TRAINING_ROWS = 1500  # the newest labelled demands: enough for the demo, and quick to seed


def _train_triage(ctx) -> None:
    """Train the sub-district's triage model on the seeded history, so a demand taken in on the demo street gets a
    suggested category at once (rather than after the first periodic retraining)."""
    from gongzhi.triage.services import retrain_model

    retrain_model(ctx.subdistrict, max_rows=TRIAGE_TRAINING_ROWS)


def _unread_messages(ctx, per_user: int = 3) -> None:
    """A few unread messages in every demo account's inbox: the newest demands it may see, else a welcome. Written
    as inbox rows (no e-mail is sent for a seeded street)."""
    from gongzhi.core.workflow import SYSTEM
    from gongzhi.demands.selectors import visible_demands
    from gongzhi.demands.services import import_notifications

    rows = []
    for user in ctx.users.values():
        recent = list(visible_demands(user).order_by("-created_at", "-pk")[:per_user])
        rows += [(user, d, f"诉求 {d.tracking_code}「{d.title}」有新进展，请查看。") for d in recent]
        if not recent:
            rows.append((user, None, "欢迎来到梧桐街道演示环境：菜单中列出了您的角色可以办理的事项。"))
    import_notifications(rows, actor=SYSTEM)


# --------------------------------------------------------------------------- the world the demands happen in


class World:
    def __init__(self, ctx):
        # Its own generator: the demands stay the same when other steps draw more or fewer random numbers.
        self.ctx, self.rng = ctx, random.Random(f"{SEED}-demands")
        self.names = Names(self.rng)
        today, now = anchor()
        self.today, self.now = today, aware(now)
        self.overrides = db_overrides()
        self.categories = {c.code: c for c in Category.objects.filter(subdistrict=None).select_related("parent")}
        users = ctx.users
        self.street = users.get("street")
        self.area_of = {g.pk: a for a in ctx.areas for g in ctx.grids_by_area[a.pk]}
        self.secretary = {a.pk: users.get(f"secretary{i}") for i, a in enumerate(ctx.areas, start=1)}
        # Grid leaders: the demo accounts of the first area, invented names elsewhere.
        self.leader_user, self.leader_name = {}, {}
        for g, grid in enumerate(ctx.grids_by_area[ctx.areas[0].pk], start=1):
            if user := users.get(f"gridleader{g}"):
                self.leader_user[grid.pk], self.leader_name[grid.pk] = user, user.display_name
        for grid in ctx.grids:
            self.leader_name.setdefault(grid.pk, self.names.name())
        self.members = defaultdict(list)  # grid pk -> party members serving there
        for m in ctx.members:
            if m.grid_id:
                self.members[m.grid_id].append(m)
        demo_member = ctx.extra.get("demo_member")
        self.member_user = {demo_member.pk: users["member1"]} if demo_member and "member1" in users else {}
        self.buildings = defaultdict(list)
        for b in ctx.buildings:
            self.buildings[b.region_id].append(b)
        self.grid_weights = [max(g.households, 1) for g in ctx.grids]
        self.stations = {p.region_id: p for p in ctx.service_places if p.building_id is None}
        self.teams = {}  # (grid pk, team kind) -> team
        for team in ctx.extra.get("professional_teams", []):
            for grid_pk in team.grids.values_list("pk", flat=True):
                self.teams[(grid_pk, team.kind)] = team
        self.firms = [u for u in ctx.units if u.kind == MemberUnitKind.ENTERPRISE and u.building_id]
        self.tower_liaison = {}
        links = Liaison.buildings.through.objects.order_by("liaison__is_chief", "liaison_id")
        by_pk = {x.pk: x for x in ctx.liaisons}
        for liaison_id, building_id in links.values_list("liaison_id", "building_id"):
            self.tower_liaison.setdefault(building_id, by_pk[liaison_id])
        self.resident1 = users.get("resident1")
        self.first_grid = ctx.grids[0]
        self.residents = defaultdict(list)  # grid pk -> [(name, phone)]
        self.codes: set[str] = set()
        self._month_weights: dict = {}

    # ---- choices

    def child_weights(self, day: date) -> tuple[list[str], list[float]]:
        key = (day.year, day.month)
        if key not in self._month_weights:
            codes, weights = [], []
            for parent, pw in T.PARENT_WEIGHTS.items():
                kids = [c for c in T.CHILDREN if self.categories[c].parent.code == parent]
                total = sum(T.CHILDREN[c][0] for c in kids)
                factor = T.SEASONS.get(parent, {}).get(day.month, 1) * T.POLICY_MONTHS.get(parent, {}).get(key, 1)
                for c in kids:
                    codes.append(c)
                    weights.append(pw * factor * T.CHILDREN[c][0] / total)
            self._month_weights[key] = (codes, weights)
        return self._month_weights[key]

    def resident(self, grid) -> tuple[str, str]:
        pool = self.residents[grid.pk]
        if pool and self.rng.random() < 0.25:
            return self.rng.choice(pool)
        person = (self.names.name(), self.names.mobile())
        pool.append(person)
        return person

    def tracking_code(self, when: datetime) -> str:
        while True:
            code = f"GZ{timezone.localtime(when):%y%m%d}" + "".join(self.rng.choices(TRACKING_ALPHABET, k=6))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def at(self, day: date, lo: float = 8.5, hi: float = 18.0) -> datetime:
        hour = self.rng.uniform(lo, hi)
        return aware(datetime.combine(day, time(int(hour), int(hour % 1 * 60), self.rng.randrange(60))))

    def later(self, t: datetime, lo_h: float, hi_h: float) -> datetime:
        """lo_h to hi_h hours after t; at night, the next morning instead."""
        t = timezone.localtime(t + timedelta(minutes=self.rng.uniform(lo_h * 60, hi_h * 60)))
        if t.hour >= 21:
            t = self.at(t.date() + timedelta(days=1), 8, 10)
        elif t.hour < 8:
            t = self.at(t.date(), 8, 10)
        return t

    def by(self, t: datetime, day: date, share: float = 1.0) -> datetime:
        """A time after t, before the end of working day `day` (within `share` of the room left)."""
        end = aware(datetime.combine(day, time(17, 30)))
        if end <= t + timedelta(minutes=30):
            return self.later(t, 0.2, 1.5)
        return t + (end - t) * self.rng.uniform(0.05, share)

    def working_day_after(self, t: datetime, lo: int, hi: int) -> datetime:
        day = add_working_days(timezone.localdate(t), self.rng.randint(lo, hi), self.overrides)
        return max(self.at(day), self.later(t, 0.5, 2))

    @cache  # noqa: B019 - one World per seed
    def limits(self, category_pk: int, kind: str, priority: str) -> tuple[int, int]:
        return deadline_limits(self.categories_by_pk[category_pk], kind, priority)

    @property
    def categories_by_pk(self):
        return {c.pk: c for c in self.categories.values()}

    # ---- planning

    def plan(self) -> list[Plan]:
        rng = self.rng
        start = self.today - timedelta(days=DAYS)
        days = [start + timedelta(days=i) for i in range(1, DAYS + 1)]
        # Slowly growing use of the platform, fewer demands at weekends.
        weights = [(0.75 + 0.5 * i / DAYS) * (0.6 if d.weekday() >= 5 else 1) for i, d in enumerate(days)]
        plans = [self.demand(day) for day in sorted(rng.choices(days, weights=weights, k=N_DEMANDS))]
        plans += self.hot_spots(days)
        plans.sort(key=lambda p: (p.d.created_at, p.d.tracking_code))
        return plans

    def demand(self, day: date, *, grid=None, building=None, code=None, hot=None) -> Plan:
        rng = self.rng
        unit = None
        if hot is None and rng.random() < ENTERPRISE_SHARE:
            unit = rng.choice(self.firms)
            building, code = unit.building, rng.choices(list(T.ENTERPRISE_CODES), T.ENTERPRISE_CODES.values())[0]
            grid = building.region
            channel = Channel.ENTERPRISE
        else:
            grid = grid or rng.choices(self.ctx.grids, self.grid_weights)[0]
            if code is None:
                codes, weights = self.child_weights(day)
                code = rng.choices(codes, weights)[0]
            building = building or rng.choice(self.buildings[grid.pk])
            channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
            if channel == Channel.GRID_PATROL and self.categories[code].parent.code not in PATROL_PARENTS:
                channel = Channel.HOTLINE_12345
        weight, kind, team_kind, titles, details, resolutions = T.CHILDREN[code]
        if kind in (Kind.HELP, Kind.COMPLAINT) and rng.random() < 0.15:
            kind = Kind.COMPLAINT if kind == Kind.HELP else Kind.HELP
        urgent = 0.35 if code in URGENT_CODES else 0.1
        roll = rng.random()
        priority = Priority.EMERGENCY if roll < urgent / 8 else Priority.URGENT if roll < urgent else Priority.NORMAL
        hours = {Channel.WALK_IN: (8.5, 17), Channel.GRID_PATROL: (9, 16.5), Channel.WEB: (7, 23.5)}.get(channel,
                                                                                                       (8, 21))
        created = min(self.at(day, *hours), self.now - timedelta(minutes=rng.randint(5, 600)))
        area = self.area_of[grid.pk]
        place = unit.name if unit else building.name
        room = (f"{rng.randint(2, max(building.floors or 3, 3))}{rng.randint(1, 8):02d}室" if unit
                else f"{rng.randint(1, max(building.floors or 2, 2))}0{rng.randint(1, 4)}室")
        slots = {"place": place, "room": room, "when": rng.choice(T.WHEN), "n": rng.randint(2, 9)}
        detail = rng.choice(details).format(**slots)
        opening = rng.choice(T.OPENINGS).format(**slots)
        if opening == place and detail.startswith(place):
            opening = ""
        description = opening + detail + rng.choice(T.IMPACTS[kind]) + rng.choice(T.ASKS)
        title = rng.choice(titles).format(**slots)[:120]

        d = Demand(
            tracking_code=self.tracking_code(created), title=title, description=description,
            category=self.categories[code], kind=kind, priority=priority, address=building.address,
            building=building, grid=grid, region=grid, channel=channel, source=channel, created_at=created,
            latitude=_jitter(building.latitude, rng), longitude=_jitter(building.longitude, rng),
        )
        if channel == Channel.GRID_PATROL:
            d.submitter_name, d.recorded_by = self.leader_name[grid.pk], self.leader_user.get(grid.pk)
        else:
            if unit:
                d.member_unit, d.submitter_name, d.submitter_phone = unit, unit.contact_name, unit.contact_phone
                liaison = self.tower_liaison.get(building.pk)
                d.recorded_by = liaison.user if liaison else None
            else:
                d.submitter_name, d.submitter_phone = self.resident(grid)
                if grid.pk == self.first_grid.pk and channel == Channel.WEB and rng.random() < 0.3:
                    d.submitter_user = self.resident1
        if channel == Channel.WALK_IN:
            d.service_place, d.recorded_by = self.stations.get(area.pk), self.secretary.get(area.pk)
        elif channel == Channel.HOME_VISIT:
            visitor = rng.choice(self.members[grid.pk]) if self.members[grid.pk] else None
            d.recorded_by = self.member_user.get(visitor.pk) if visitor else None
        response, resolution = self.limits(d.category_id, kind, priority)
        d.response_due_on = add_working_days(day, response, self.overrides)
        d.due_on = add_working_days(day, resolution, self.overrides)
        plan = Plan(d=d, world=self, area=area, team_kind=team_kind, resolutions=resolutions, hot=hot,
                    slots=slots)
        plan.do(A.SUBMIT, created, actor=d.recorded_by or d.submitter_user,
                label=SUBMITTER.key, note=str(Channel(channel).label))
        return plan

    def hot_spots(self, days: list[date]) -> list[Plan]:
        rng, plans = self.rng, []
        starts = [self.today - timedelta(days=rng.randint(5, 40)) for _ in range(4)]
        starts += [rng.choice(days[:-60]) for _ in range(10)]
        residential = [g for g in self.ctx.grids if g not in self.ctx.grids_by_area[self.ctx.areas[CBD_AREA_INDEX].pk]]
        for k, first_day in enumerate(starts):
            code = HOT_CODES[k % len(HOT_CODES)]
            grid = rng.choice(residential)
            building = rng.choice(self.buildings[grid.pk])
            spread = sorted(min(first_day + timedelta(days=rng.randint(0, 20)), self.today)
                            for _ in range(rng.randint(10, 24)))
            primary = self.demand(first_day, grid=grid, building=building, code=code, hot=k)
            primary.route("escalate")  # a problem many share needs the area (or more) to solve
            primary.supports = rng.randint(8, 40)
            plans.append(primary)
            for day in spread:
                p = self.demand(day, grid=grid, building=building, code=code, hot=k)
                merge_at = self.later(p.d.created_at, 1, 20)
                if rng.random() < 0.55 and primary.state_at(merge_at) in OPEN_STATES - {S.REOPENED}:
                    p.merge(primary, merge_at)
                else:
                    p.route()
                plans.append(p)
        return plans


def _jitter(value, rng) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value) + Decimal(f"{rng.uniform(-0.0002, 0.0002):.6f}")).quantize(Decimal("0.000001"))


# --------------------------------------------------------------------------- one demand's life


@dataclass(eq=False)
class Plan:
    d: Demand
    world: World
    area: object
    team_kind: str | None
    resolutions: list
    hot: int | None = None
    slots: dict = field(default_factory=dict)
    steps: list = field(default_factory=list)
    state: str = ""
    t: datetime | None = None
    stopped: bool = False
    supports: int = 0
    merged_from: list = field(default_factory=list)
    routed: bool = False
    unhappy: bool = False  # the first review will be unsatisfied

    @property
    def rng(self):
        return self.world.rng

    # ---- the mechanics: one transition, the hourly overdue check

    def do(self, action: str, when: datetime, *, actor=None, label: str = "", note: str = "", **changes) -> bool:
        """Append one timeline step (as `apply_transition` would); steps after NOW are not taken."""
        if self.stopped:
            return False
        if self.t is not None:
            when = max(when, self.t + timedelta(minutes=self.rng.randint(1, 9)))
        if when > self.world.now:
            self.stopped = True
            return False
        to = TRANSITIONS[(self.state, action)] if self.state else S.SUBMITTED
        d = self.d
        for name, value in changes.items():
            setattr(d, name, value)
        stamp(d, action, to, when)  # the simulation needs the response time as it goes (overdue checks)
        # someone without an account (a member, a team) acts under their name, as a pseudo actor
        who = actor if actor is not None else (
            SUBMITTER if label == SUBMITTER.key else PseudoActor(label, label) if label else SYSTEM)
        self.steps.append(HistoryStep(action, self.state, to, who, note, d.escalation_level, when))
        self.state = d.state = to
        self.t = when
        return True

    def settle(self, until: datetime, once: bool = False) -> None:
        """Replay the hourly overdue check up to `until`: mark, and escalate one tier, never above the sub-district
        (`once`: stop after one escalation, to let the new tier act)."""
        d = self.d
        while not self.stopped and self.state in OPEN_STATES and d.overdue_since is None:
            deadline = d.due_on if d.first_response_at else min(d.due_on, d.response_due_on)
            fire = aware(datetime.combine(deadline + timedelta(days=1), time(1, 0)))
            if fire > min(until, self.world.now) or (self.t and fire <= self.t):
                return
            d.is_overdue = True
            if d.escalation_level >= 2:
                d.overdue_since = fire.date()
                return
            if not self.escalate(fire, None, _("Overdue: escalated automatically.")) or once:
                return

    def state_at(self, when: datetime) -> str:
        return next((s.to_state for s in reversed(self.steps) if s.created_at <= when), "")

    # ---- who acts at the current tier

    def dispatcher(self) -> tuple:
        if self.d.escalation_level >= 2 or self.d.is_enterprise:
            return self.world.street, "街道管理员"
        return self.world.secretary.get(self.area.pk), f"{self.area.name}书记"

    def handler(self) -> tuple:
        d, w = self.d, self.world
        if d.is_enterprise and d.escalation_level <= 1:
            liaison = w.tower_liaison.get(d.building_id)
            if liaison and d.escalation_level == 1:
                liaison = liaison.chief or liaison
            return (liaison.user, f"楼宇联络员{liaison.name}") if liaison else (None, "楼宇联络员")
        if d.escalation_level == 0:
            return w.leader_user.get(d.grid_id), f"网格长{w.leader_name[d.grid_id]}"
        if d.escalation_level == 1:
            return w.secretary.get(self.area.pk), f"{self.area.name}书记"
        return w.street, "街道管理员"

    def team(self):
        if self.team_kind is None:
            return None
        return self.world.teams.get((self.d.grid_id, self.team_kind))

    # ---- the actions

    def escalate(self, when: datetime, actor, note: str, label: str = "") -> bool:
        d, w = self.d, self.world
        if d.escalation_level >= 2:  # escalation stops at the sub-district; only a leader refers it higher
            return False
        level = d.escalation_level + 1
        region, assignee = d.region, None
        if level == 1 and d.is_enterprise:
            liaison = w.tower_liaison.get(d.building_id)
            chief = liaison if liaison and liaison.is_chief else (liaison.chief if liaison else None)
            if chief is not None and chief.user is not None:
                assignee = chief.user
            else:
                level = 2
        elif level == 1:
            region = self.area
        if level >= 2:
            region = w.ctx.subdistrict
        day = timezone.localdate(when)
        response, resolution = w.limits(d.category_id, d.kind, d.priority)
        changes = {
            "escalation_level": level, "region": region, "assignee": assignee, "team": None, "claimed_by": None,
            "promise": "", "due_on": add_working_days(day, resolution, w.overrides), "overdue_since": None,
        }
        if d.first_response_at is None:
            changes["response_due_on"] = add_working_days(day, response, w.overrides)
        if self.stopped or when > w.now:
            self.stopped = True
            return False
        return self.do(A.ESCALATE, when, actor=actor, label=label, note=note, **changes)

    def take_on(self, when: datetime) -> None:
        """The current tier's handler claims (and starts): after an assignment or an escalation."""
        actor, label = self.handler()
        team = self.team() if self.d.escalation_level >= 2 and self.rng.random() < 0.5 else None
        note = f"会同{team.name}处置" if team else ""
        self.do(A.CLAIM, when, actor=actor, label=label, note=note, claimed_by=actor,
                **({"team": team} if team else {}))

    def work(self, *, quick: bool = False) -> None:
        """From claimed: start, then resolve within the deadline."""
        d, rng = self.d, self.rng
        actor, label = self.claimer()
        self.do(A.START, self.later_or_due(0.3, 20, share=0.4), actor=actor, label=label,
                note=rng.choice(["已上门查看", "已现场查看", "已联系诉求人", "已协调相关方", ""]))
        resolution = rng.choice(self.resolutions).format(**self.slots)
        self.do(A.RESOLVE, self.later_or_due(0.5, 3 if quick else 60), actor=actor, label=label, note=resolution,
                resolution=resolution, resolved_at=None)
        if self.state == S.RESOLVED:
            d.resolved_at = self.t

    def claimer(self) -> tuple:
        """Who works on it: the team, else whoever claimed it last, else the current tier's handler."""
        if self.d.team is not None:
            return None, self.d.team.name
        claim = next((s for s in reversed(self.steps) if s.action == A.CLAIM), None)
        if claim is None:
            return self.handler()
        return (claim.actor, "") if is_user(claim.actor) else (None, claim.actor.key)

    def later_or_due(self, lo_h: float, hi_h: float, share: float = 0.9) -> datetime:
        t = self.world.later(self.t, lo_h, hi_h * (4 if self.hot is not None else 1))
        end = aware(datetime.combine(self.d.due_on, time(17, 30)))
        return t if t < end else self.world.by(self.t, self.d.due_on, share)

    def merge(self, primary: Plan, when: datetime) -> None:
        self.routed = True
        actor, label = primary.dispatcher()
        if self.do(A.MERGE, when, actor=actor, label=label, merged_into=primary.d,
                   note=_("Merged into %(code)s.") % {"code": primary.d.tracking_code}):
            primary.merged_from.append(self)
        else:
            self.settle(self.world.now)

    def route(self, path: str = "") -> None:
        """The life of a demand after intake, as far as NOW."""
        d, w, rng = self.d, self.world, self.rng
        self.routed = True
        if self.stopped:
            return
        respond_by = self.world.by(self.t, d.response_due_on, 0.7)
        if d.is_enterprise:
            liaison = w.tower_liaison.get(d.building_id)
            if liaison and liaison.user:
                self.do(A.ASSIGN, self.world.later(self.t, 0, 0.02), assignee=liaison.user,
                        note=_("Routed to the building liaison."))
            else:
                self.do(A.ASSIGN, respond_by, actor=w.street, label="街道管理员", assignee=None,
                        note=f"派至楼宇联络员{liaison.name}" if liaison else "")
            path = path if path in ("escalate", "stall") else rng.choices(["normal", "escalate", "stall"], [91, 6, 3])[0]
        else:
            path = path or rng.choices(["member", "assign", "direct", "return", "reject", "escalate", "stall"],
                                       [24, 47, 9, 5, 4, 8, 3] if w.members[d.grid_id] else [0, 61, 15, 6, 5, 9, 4])[0]
        quick = d.kind == Kind.CONSULTATION
        if path == "reject":
            actor, label = self.dispatcher()
            self.do(A.REJECT, respond_by, actor=actor, label=label, note=rng.choice(T.REJECT_REASONS))
            self.do(A.CLOSE, w.working_day_after(self.t, 2, 8), actor=actor, label=label, note="不予受理，已归档")
            return self.settle(w.now)
        if path == "member":
            member = rng.choice(w.members[d.grid_id])
            user, promise = w.member_user.get(member.pk), rng.choice(T.PROMISES)
            self.do(A.CLAIM, respond_by, actor=user, label=f"党员{member.name}", note=promise,
                    claimed_by=user, promise=promise)
        elif path == "direct":
            actor, label = self.handler()
            self.do(A.CLAIM, respond_by, actor=actor, label=label, claimed_by=actor)
        elif not d.is_enterprise:
            self.assign(self.world.later(self.t, 0.2, 4) if self.t < respond_by else respond_by)
            if path == "return":
                actor, label = self.claimer_of_assignment()
                self.do(A.RETURN, self.world.later(self.t, 0.5, 6), actor=actor, label=label,
                        note=rng.choice(T.RETURN_REASONS), assignee=None, team=None, claimed_by=None, promise="")
                self.assign(self.world.working_day_after(self.t, 1, 3), avoid_team=True)
            if path != "stall":
                actor, label = self.claimer_of_assignment()
                self.do(A.CLAIM, self.world.by(self.t, d.response_due_on), actor=actor, label=label,
                        claimed_by=actor)
        if d.is_enterprise and path != "stall":
            actor, label = self.handler()
            self.do(A.CLAIM, self.world.by(self.t, d.response_due_on), actor=actor, label=label, claimed_by=actor)
        if path == "stall":  # nobody acts: the overdue check escalates it; the tier above usually takes it on
            for _tier in range(2):  # up to the sub-district, the top of the ladder
                self.settle(w.now, once=True)
                recent = self.t > w.now - timedelta(days=30)
                if self.state != S.ESCALATED or (recent and rng.random() < 0.3):
                    break
                self.take_on(self.world.later(self.t, 2, 30))
                if not recent or rng.random() < 0.85:
                    self.work(quick=quick)
                    return self.review()
            return self.settle(w.now)
        if path == "escalate":
            self.do(A.START, self.later_or_due(0.5, 24, share=0.3), actor=self.claimer()[0], label=self.claimer()[1])
            levels = 1 + (rng.random() < 0.3) * (1 + (rng.random() < 0.25))
            for _tier in range(levels):
                actor, label = self.handler() if self.steps[-1].action != A.ESCALATE else self.dispatcher()
                if not self.escalate(self.later_or_due(1, 30, share=0.6), actor, rng.choice(T.ESCALATE_NOTES[min(self.d.escalation_level + 1, 2)]),
                                     label=label):
                    break
                if self.d.escalation_level >= 2 and self.t > w.now - timedelta(days=45):
                    # with the sub-district's leaders, who have not acted yet (they may refer it to a joint meeting)
                    return self.settle(w.now)
                self.take_on(self.world.later(self.t, 1, 20))
            self.work(quick=quick)
            return self.review()
        self.work(quick=quick)
        self.review()

    def assign(self, when: datetime, avoid_team: bool = False) -> None:
        d = self.d
        actor, label = self.dispatcher()
        team = None if avoid_team else self.team()
        if team is not None and self.rng.random() < 0.6:
            self.do(A.ASSIGN, when, actor=actor, label=label, note=f"派至{team.name}", team=team, assignee=None)
        else:
            user, name = self.handler()
            self.do(A.ASSIGN, when, actor=actor, label=label, note=f"派至{name}", assignee=user, team=None)
        d.claimed_by, d.promise = None, ""

    def claimer_of_assignment(self) -> tuple:
        if self.d.team is not None:
            return None, self.d.team.name
        return self.handler()

    def review(self, second: bool = False) -> None:
        d, w, rng = self.d, self.world, self.rng
        if self.state != S.RESOLVED:
            return self.settle(w.now)
        if not d.submitter_phone or rng.random() < 0.12:  # no review: archived after five working days
            self.do(A.CLOSE, w.working_day_after(self.t, 5, 6), note="未在期限内评价，自动归档")
            return
        score = rng.choices([5, 4, 3, 2, 1], [62, 24, 5, 6, 3])[0] if not self.unhappy or second else rng.randint(1, 3)
        if second and score < 4 and rng.random() < 0.6:
            score = 4
        comment = rng.choice(T.GOOD_COMMENTS if score >= 4 else T.BAD_COMMENTS)
        when = self.world.later(self.t, 2, 96)
        note = _("Satisfaction %(score)s/5. %(comment)s") % {"score": score, "comment": comment}
        record = {"satisfaction": score, "review_comment": comment, "reviewed_at": when}
        if score >= 4:
            if self.do(A.REVIEW, when, label=SUBMITTER.key, note=note, **record):
                d.reviewed_at = self.t
                later = self.t if rng.random() < 0.8 else w.working_day_after(self.t, 1, 3)
                self.do(A.CLOSE, later, note=_("Archived after a satisfied review."))
            return
        if d.reopen_count == 0 or d.escalation_level >= 2:  # redone once; at the top tier redone again
            day = timezone.localdate(when)
            if self.do(A.REOPEN, when, label=SUBMITTER.key, note=note, reopen_count=d.reopen_count + 1,
                       due_on=add_working_days(day, REDO_DAYS, w.overrides), overdue_since=None, **record):
                d.reviewed_at = self.t
                if self.t > w.now - timedelta(days=4) and rng.random() < 0.5:
                    return self.settle(w.now)  # sent back days ago: the handler has not started again yet
                actor, label = self.claimer()
                self.do(A.START, w.working_day_after(self.t, 0, 1), actor=actor, label=label, note="重新处理")
                self.work_again(actor, label)
                return self.review(second=True)
            return
        if self.escalate(when, None, note, label=SUBMITTER.key):
            d.satisfaction, d.review_comment, d.reviewed_at = score, comment, self.t
            self.take_on(self.world.later(self.t, 2, 30))
            self.work(quick=False)
            self.review(second=True)
        else:
            self.settle(w.now)

    def work_again(self, actor, label) -> None:
        resolution = self.rng.choice(self.resolutions).format(**self.slots)
        if self.do(A.RESOLVE, self.later_or_due(2, 48), actor=actor, label=label, note=resolution,
                   resolution=resolution):
            self.d.resolved_at = self.t


# --------------------------------------------------------------------------- writing


def _write(plans: list[Plan]) -> None:
    """Hand the planned demands to the demands service that takes in past history (checked against the
    transition table, all or nothing)."""
    rng = plans[0].world.rng if plans else None
    records = []
    for p in plans:
        if not p.routed:
            # The ordinary demands live their lives here, in submission order; a few of the latest ones are
            # given the rarer turns, so that the street shows every state on the day.
            recent = p.d.created_at > p.world.now - timedelta(days=20) and rng.random() < 0.12
            p.unhappy = recent and rng.random() < 0.3
            p.route(rng.choice(["reject", "return", "escalate", "stall"]) if recent and not p.unhappy else "")
        if p.hot is None and p.state not in (S.MERGED, S.REJECTED):
            p.supports = rng.choice((0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3))
    for p in plans:  # a second pass: the random draws stay in the order the street was first seeded with
        supports = []
        for k in range(p.supports):
            key = f"phone:{p.world.names.mobile()}" if k % 3 else f"session:{rng.getrandbits(64):016x}"
            supports.append((key, min(p.world.later(p.d.created_at, 1, 24 * 20), p.world.now)))
        records.append(HistoricalDemand(p.d, p.steps, supports, [(dup.d, dup.t) for dup in p.merged_from]))
    import_history(records, actor=SYSTEM, change_reason=REASON)
