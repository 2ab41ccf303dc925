"""Demo volunteering: the volunteers part. About 600 volunteers of the street, each with their consent date:

* most are party members of the residential areas (linked to their party member, named and reachable as in the
  registry), the demo member `member1` among them (linked to the account too, so the activities part signs them
  up);
* residents known by name and phone, the demo resident `resident1` linked to their account;
* staff of member units, linked to their unit (and its team when it has one).

Each joins their area's party volunteer team or a riverside (滨江) team, some both, some none; skills from the
registry's specialities and the crafts residents offer; availability. Written in bulk through
`import_volunteer_records`. The list is ctx.extra["volunteers"] (the activities part reads it).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.demo.names import CBD_AREA_INDEX, VOLUNTEER_SPECIALITIES
from gongzhi.volunteering.models import Volunteer
from gongzhi.volunteering.services.volunteers import import_volunteer_records

MEMBERS = 380  # party members of the areas
RESIDENTS = 150
UNIT_STAFF = 70
CRAFTS = ("理发", "家电维修", "缝补", "书法", "摄影", "心理疏导", "手语", "急救", "电脑维修", "英语翻译", "太极拳教学",
          "钢琴", "插花", "中医推拿")
AVAILABILITY = ("周末", "周四下午", "工作日晚上", "周六上午", "每月第一个周日", "节假日", "工作日白天", "周三下午",
                "随叫随到", "周二、周四上午")


def _skills(rng) -> str:
    picks = rng.sample(VOLUNTEER_SPECIALITIES, rng.choice((1, 1, 2)))
    if rng.random() < 0.45:
        picks.append(rng.choice(CRAFTS))
    return "、".join(picks)


def _consent(rng, today: date) -> datetime:
    day = today - timedelta(days=rng.randint(20, 3 * 365))
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 19), rng.choice((0, 15, 30, 45)))))


def _born(rng, young: bool = False) -> date:
    return date(rng.randint(1975, 2002) if young else rng.randint(1948, 1995), rng.randint(1, 12), rng.randint(1, 28))


def seed(ctx) -> None:
    rng, names = ctx.rng, ctx.names
    today = timezone.localdate()
    teams = ctx.extra.get("volunteer_teams", [])
    area_of_grid = {g.pk: a for a in ctx.areas for g in ctx.grids_by_area.get(a.pk, ())}
    areas = {a.pk: a for a in ctx.areas}
    area_team = {t.region_id: t for t in teams if t.member_unit_id is None and not t.name.startswith("滨江")}
    riverside = [t for t in teams if t.member_unit_id is None and t.name.startswith("滨江")]
    unit_team = {t.member_unit_id: t for t in teams if t.member_unit_id}
    cbd = ctx.areas[CBD_AREA_INDEX] if len(ctx.areas) > CBD_AREA_INDEX else None

    def area_of(region):
        return areas.get(region.pk) or area_of_grid.get(region.pk) or region

    def teams_in(area) -> list:
        chosen = []
        if (t := area_team.get(area.pk)) and rng.random() < 0.7:
            chosen.append(t)
        if riverside and rng.random() < (0.6 if cbd is not None and area.pk == cbd.pk else 0.12):
            chosen.append(rng.choice(riverside))
        return chosen

    records: list[tuple[Volunteer, list]] = []
    users = ctx.users
    member_user = users.get("member1")
    demo_member = ctx.extra.get("demo_member")

    # party members of the residential areas (the demo member first)
    def member_area(m):
        region = m.grid or m.registered_area or m.organization.region
        return area_of(region) if region is not None else None

    eligible = sorted((m for m in ctx.members if member_area(m) is not None and member_area(m).pk in areas),
                      key=lambda m: (m.organization.code, m.name, m.phone))
    chosen = rng.sample(eligible, min(MEMBERS, len(eligible)))
    if demo_member is not None and demo_member not in chosen:
        chosen[0:0] = [demo_member]
    for m in chosen:
        area = member_area(m) or ctx.areas[0]
        records.append((Volunteer(
            region=area, name=m.name, phone=m.phone or "", party_member=m,
            user=member_user if m is demo_member else None, skills=_skills(rng),
            availability=rng.choice(AVAILABILITY), born_on=_born(rng), consented_at=_consent(rng, today),
        ), teams_in(area)))

    # residents (the demo resident first)
    resident_user = users.get("resident1")
    for k in range(RESIDENTS):
        if k == 0 and resident_user is not None:
            grid = ctx.grids[0]
            name = resident_user.display_name or names.name()
        else:
            grid = rng.choice(ctx.grids)
            name = names.name()
        area = area_of(grid)
        records.append((Volunteer(
            region=area, name=name, phone=names.mobile(), user=resident_user if k == 0 else None,
            skills=_skills(rng), availability=rng.choice(AVAILABILITY), born_on=_born(rng),
            consented_at=_consent(rng, today),
        ), teams_in(area)))

    # staff of member units, the units with a volunteer team first
    units = sorted(ctx.units, key=lambda u: (u.pk not in unit_team, u.code))
    with_team = [u for u in units if u.pk in unit_team]
    others = [u for u in units if u.pk not in unit_team]
    for k in range(UNIT_STAFF):
        unit = with_team[k % len(with_team)] if with_team and k < UNIT_STAFF // 3 else rng.choice(others or units)
        joined = [unit_team[unit.pk]] if unit.pk in unit_team else []
        if riverside and unit.region_id and rng.random() < 0.25:
            joined.append(rng.choice(riverside))
        records.append((Volunteer(
            region=area_of(unit.region), name=names.name(), phone=names.mobile(), member_unit=unit,
            skills=_skills(rng), availability=rng.choice(("工作日午休", "周四下午", "周末", "工作日晚上")),
            born_on=_born(rng, young=True), consented_at=_consent(rng, today),
        ), joined))

    ctx.extra["volunteers"] = import_volunteer_records(records, actor=SYSTEM, reason="演示数据")
