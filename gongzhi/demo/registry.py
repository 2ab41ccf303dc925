"""Seed step: the registry of the invented 梧桐街道 — regions, buildings and towers with their liaisons, member
units, the party-organization tree with members, professional and volunteer teams, the 1+N service places and
one demo account per role.

Shape taken from published practice in central Shanghai: 11 residential areas in 35 micro-grids with a branch
built on each grid, ~40 key office towers each served by one or two liaisons under chief liaisons, 103 member
units in the regional co-building pattern, joint committees in towers, a service centre with 16 stations.
"""

from __future__ import annotations

import math
import random
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from gongzhi.accounts.roles import Role
from gongzhi.core.workflow import SYSTEM
from gongzhi.demo import SEED
from gongzhi.demo.accounts import create_demo_user
from gongzhi.demo.names import (
    AREAS,
    CBD_AREA_INDEX,
    CN_NUM,
    TOWER_PREFIXES,
    TOWER_SUFFIXES,
    VOLUNTEER_SPECIALITIES,
    Names,
)
from gongzhi.registry.models import (
    Building,
    BuildingKind,
    Estate,
    Household,
    Liaison,
    MemberStatus,
    MemberUnit,
    MemberUnitKind,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    ProfessionalTeam,
    ProfessionalTeamKind,
    Region,
    RegionKind,
    ServicePlace,
    ServicePlaceKind,
    VolunteerTeam,
)
from gongzhi.registry.services import import_changes, import_records

REASON = "demo seed"
TODAY = date(2026, 9, 1)  # the demo's fixed "today", so dates do not depend on when it is seeded
ORIGIN = (31.2200, 121.4400)  # south-west corner of the invented street (lat, lon)
AREA_SIZE = (0.0060, 0.0080)  # degrees (lat, lon)
SUB = "WT"  # code prefix of the sub-district


def seed(ctx) -> None:
    _regions_and_buildings(ctx)
    _towers_and_liaisons(ctx)
    _member_units(ctx)
    _party(ctx)
    _teams(ctx)
    _service_places(ctx)
    _accounts(ctx)
    _estates_and_households(ctx)


# --------------------------------------------------------------------------- helpers


def _bulk(objs, **links):
    return import_records(objs, actor=SYSTEM, reason=REASON, links=links)


def _region(**kw) -> Region:
    return _bulk([Region(**kw)])[0]


def _coord(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def _box(south: float, west: float, north: float, east: float) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def _point_in(ctx, box: dict) -> tuple[Decimal, Decimal]:
    (west, south), _, (east, north), *_ = box["coordinates"][0]
    margin_lat, margin_lon = (north - south) * 0.1, (east - west) * 0.1
    lat = ctx.rng.uniform(south + margin_lat, north - margin_lat)
    lon = ctx.rng.uniform(west + margin_lon, east - margin_lon)
    return _coord(lat), _coord(lon)


def _chunks(items: list, n: int) -> list[list]:
    size, rest = divmod(len(items), n)
    out, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < rest else 0)
        out.append(items[start:end])
        start = end
    return out


# --------------------------------------------------------------------------- regions and buildings

BUILDING_TYPES = {  # floors, households per building
    "lane": ((2, 3), (18, 45)),
    "walkup": ((5, 7), (36, 84)),
    "highrise": ((14, 32), (84, 220)),
}
STYLE_MIX = {"lane": ("lane", "lane", "walkup"), "mixed": ("walkup", "highrise"), "highrise": ("highrise", "highrise", "walkup")}
ESTATE_SUFFIXES = ("花园", "新村", "公寓", "苑", "小区")


def _regions_and_buildings(ctx) -> None:
    rng = ctx.rng
    ctx.district = _region(kind=RegionKind.DISTRICT, code="SFQ", name="示范区", address="示范区人民大道100号")
    ctx.subdistrict = _region(
        kind=RegionKind.SUBDISTRICT, code=SUB, name="梧桐街道", parent=ctx.district, address="示范区梧桐路88号",
        boundary=_box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + 3 * AREA_SIZE[0], ORIGIN[1] + 4 * AREA_SIZE[1]),
    )
    # 35 grids in 11 areas: two areas have four grids (always the CBD-like one), the others three.
    four = {CBD_AREA_INDEX, rng.choice([i for i in range(len(AREAS)) if i != CBD_AREA_INDEX])}
    buildings: list[Building] = []
    for i, (short, road, style) in enumerate(AREAS):
        row, col = divmod(i, 4)
        south, west = ORIGIN[0] + row * AREA_SIZE[0], ORIGIN[1] + col * AREA_SIZE[1]
        n_grids = 4 if i in four else 3
        # Plan the grids' buildings first so the area and grid totals add up.
        plans = []
        for _ in range(n_grids):
            if style == "lane":
                estate, number = f"{road}{rng.randrange(100, 900, 2)}弄", None
            else:
                estate, number = f"{short}{rng.choice(ESTATE_SUFFIXES)}", rng.randrange(1, 1200)
            count = rng.randint(4, 6) if i == CBD_AREA_INDEX else rng.randint(4, 10)
            blds = []
            for b in range(1, count + 1):
                (f_lo, f_hi), (h_lo, h_hi) = BUILDING_TYPES[rng.choice(STYLE_MIX[style])]
                blds.append((b, rng.randint(f_lo, f_hi), rng.randint(h_lo, h_hi)))
            plans.append((estate, number, blds))
        households = sum(h for _, _, blds in plans for *_, h in blds)
        area = _region(
            kind=RegionKind.RESIDENTIAL_AREA, code=f"{SUB}{i + 1:02d}", name=f"{short}居民区", parent=ctx.subdistrict,
            residents_committee=f"{short}居民委员会", households=households,
            population=round(households * rng.uniform(2.2, 2.8)), address=f"{road}{rng.randint(10, 400)}号",
            boundary=_box(south, west, south + AREA_SIZE[0], west + AREA_SIZE[1]),
        )
        ctx.areas.append(area)
        ctx.grids_by_area[area.pk] = []
        width = AREA_SIZE[1] / n_grids
        for g, (estate, number, blds) in enumerate(plans):
            grid_households = sum(h for *_, h in blds)
            box = _box(south, west + g * width, south + AREA_SIZE[0], west + (g + 1) * width)
            grid_address = f"{road}{number}号{estate}" if number else estate
            grid = _region(
                kind=RegionKind.GRID, code=f"{area.code}-G{g + 1}", name=f"{short}第{CN_NUM[g]}网格", parent=area,
                households=grid_households, population=round(grid_households * rng.uniform(2.2, 2.8)),
                address=grid_address, boundary=box,
            )
            ctx.grids.append(grid)
            ctx.grids_by_area[area.pk].append(grid)
            for b, floors, hh in blds:
                lat, lon = _point_in(ctx, box)
                buildings.append(Building(
                    kind=BuildingKind.RESIDENTIAL, code=f"{grid.code}-B{b:02d}", region=grid,
                    name=f"{estate}{b}号" if not number else f"{estate}{b}号楼",
                    address=f"{grid_address}{b}号" if not number else f"{grid_address}{b}号楼",
                    floors=floors, households=hh, latitude=lat, longitude=lon,
                ))
    ctx.buildings = _bulk(buildings)


# --------------------------------------------------------------------------- towers and liaisons

N_TOWERS, N_LIAISONS, N_CHIEFS = 40, 20, 3


def _towers_and_liaisons(ctx) -> None:
    rng, names = ctx.rng, ctx.names
    cbd = ctx.areas[CBD_AREA_INDEX]
    grids = ctx.grids_by_area[cbd.pk]
    combos = [p + s for p in TOWER_PREFIXES for s in TOWER_SUFFIXES]
    tower_names = rng.sample(combos, N_TOWERS)
    towers, number = [], 100
    for t, name in enumerate(tower_names):
        grid = grids[t * len(grids) // N_TOWERS]
        number += rng.choice((2, 4, 6, 8, 18, 28))
        lat, lon = _point_in(ctx, grid.boundary)
        towers.append(Building(
            kind=BuildingKind.OFFICE, code=f"{SUB}-T{t + 1:02d}", name=name, region=grid, address=f"滨江大道{number}号",
            floors=rng.randint(18, 48), is_key_building=True, latitude=lat, longitude=lon,
        ))
    ctx.towers = _bulk(towers)

    chiefs = _bulk([
        Liaison(name=names.name(), phone=names.mobile(), region=ctx.subdistrict, is_chief=True) for _ in range(N_CHIEFS)
    ])
    liaisons = _bulk([
        Liaison(name=names.name(), phone=names.mobile(), region=ctx.subdistrict, chief=chiefs[j * N_CHIEFS // N_LIAISONS])
        for j in range(N_LIAISONS)
    ])
    # Each tower: its primary liaison (two towers per liaison), a third of them also a second one.
    served: dict[int, list[Building]] = {j: [] for j in range(N_LIAISONS)}
    for t, tower in enumerate(ctx.towers):
        primary = t * N_LIAISONS // N_TOWERS
        served[primary].append(tower)
        if rng.random() < 0.35:
            served[(primary + rng.randrange(1, N_LIAISONS)) % N_LIAISONS].append(tower)
    import_changes(liaisons, [], actor=SYSTEM, reason=REASON, links={"buildings": [served[j] for j in range(N_LIAISONS)]})
    ctx.liaisons = chiefs + liaisons


# --------------------------------------------------------------------------- member units

HOSPITALS = ("梧桐街道社区卫生服务中心", "示范区第二人民医院", "示范区中西医结合医院", "示范区口腔病防治所")
SCHOOLS = (
    "示范区梧桐小学", "枫林路小学", "示范区实验中学", "云锦中学", "新昌里幼儿园", "桂香幼儿园", "示范区职业技术学校",
    "锦绣小学", "康乐幼儿园",
)
SOCIAL_ORGS = (
    "梧桐街道社会组织联合会", "梧桐邻里互助服务社", "梧桐社区公益基金会", "枫林睦邻服务中心", "樱桃坊为老服务社",
    "云锦青少年成长服务中心", "康乐社区调解工作室", "石榴巷文体活动协会", "江畔白领发展促进会", "新昌里助残服务社",
    "永宁社区书香读书会", "锦绣家庭教育指导中心", "桂香环保志愿者协会", "梧桐社区法律服务社", "滨江文化促进会",
)
GOVERNMENT = (
    "示范区城市管理行政执法局梧桐中队", "示范区房屋管理局梧桐房管办", "示范区绿化和市容管理局梧桐市容所",
    "示范区公安分局梧桐派出所", "示范区消防救援支队梧桐消防站", "示范区市场监督管理局梧桐市场所",
    "示范区税务局梧桐税务所", "示范区司法局梧桐司法所", "示范区民政局梧桐社会救助所", "示范区生态环境局梧桐环保所",
)
PUBLIC_INSTITUTIONS = (
    "梧桐街道社区事务受理服务中心", "梧桐街道社区文化活动中心", "示范区图书馆梧桐分馆", "梧桐街道城市运行管理中心",
    "梧桐街道综合为老服务中心", "示范区青少年活动中心", "示范区妇幼保健所梧桐工作站", "梧桐街道社区就业服务站",
    "示范区档案馆梧桐查阅点", "梧桐街道网格化综合管理中心",
)
N_ENTERPRISES = 55


def _member_units(ctx) -> None:
    rng, names = ctx.rng, ctx.names
    homes = [g for g in ctx.grids if g not in ctx.grids_by_area[ctx.areas[CBD_AREA_INDEX].pk]]
    used: set[str] = set()
    units: list[MemberUnit] = []

    def add(name, kind, region, headcount, has_org, two_new, joint, building=None, address=""):
        units.append(MemberUnit(
            code=f"{SUB}-U{len(units) + 1:03d}", name=name, kind=kind, region=region, building=building,
            address=address or (region.address if region.kind == RegionKind.GRID else f"梧桐路{rng.randint(1, 400)}号"),
            headcount=headcount, has_party_org=has_org, is_two_new=two_new, in_joint_meeting=joint,
            contact_name=names.name(), contact_phone=names.mobile(), joined_on=names.day_between(date(2016, 3, 1), TODAY),
        ))

    # Enterprises: one in every tower, the rest in towers chosen at random.
    homes_of_firms = list(ctx.towers) + [rng.choice(ctx.towers) for _ in range(N_ENTERPRISES - len(ctx.towers))]
    for tower in homes_of_firms:
        size = rng.random()
        headcount = rng.randint(15, 49) if size < 0.3 else rng.randint(50, 300) if size < 0.8 else rng.randint(301, 1500)
        has_org = rng.random() < (0.9 if headcount >= 50 else 0.15)
        add(names.firm(used), MemberUnitKind.ENTERPRISE, tower.region, headcount, has_org, True,
            headcount > 300 or rng.random() < 0.2, building=tower, address=f"{tower.address}{rng.randint(2, tower.floors)}楼")
    for name in HOSPITALS:
        add(name, MemberUnitKind.HOSPITAL, rng.choice(homes), rng.randint(120, 1200), True, False, True)
    for name in SCHOOLS:
        add(name, MemberUnitKind.SCHOOL, rng.choice(homes), rng.randint(40, 200), True, False, rng.random() < 0.7)
    for k, name in enumerate(SOCIAL_ORGS):
        headcount = rng.randint(5, 60)
        add(name, MemberUnitKind.SOCIAL_ORGANIZATION, ctx.subdistrict if k == 0 else rng.choice(homes), headcount,
            k == 0 or headcount >= 30, True, k == 0 or rng.random() < 0.3)
    for name in GOVERNMENT:
        add(name, MemberUnitKind.GOVERNMENT_DEPARTMENT, ctx.subdistrict, rng.randint(20, 150), True, False, True)
    for name in PUBLIC_INSTITUTIONS:
        add(name, MemberUnitKind.PUBLIC_INSTITUTION, rng.choice(homes), rng.randint(10, 120), True, False,
            rng.random() < 0.6)
    ctx.units = _bulk(units)


# --------------------------------------------------------------------------- party organizations and members


def _party(ctx) -> None:
    rng = ctx.rng
    orgs: list[PartyOrg] = []  # every org, in creation order
    sizes: dict[str, int] = {}  # org code -> number of members to create

    def org(code, name, kind, region, parent=None, unit=None, founded=(1990, 2024), members=0):
        o = PartyOrg(code=code, name=name, kind=kind, region=region, parent=parent, member_unit=unit,
                     founded_on=ctx.names.day_between(date(founded[0], 1, 1), date(founded[1], 12, 31)))
        orgs.append(o)
        sizes[code] = members
        return o

    working = _bulk([org(f"{SUB}-DGW", "梧桐街道党工委", PartyOrgKind.WORKING_COMMITTEE, ctx.subdistrict,
                                   founded=(1996, 2002), members=7)])[0]

    # Residential areas: the three smallest have one branch; the others a general branch with a branch per grid.
    small = set(sorted(ctx.areas, key=lambda a: (a.households, a.code))[:3])
    level1, area_org = [], {}
    for area in ctx.areas:
        if area in small:
            o = org(f"{area.code}-DZB", f"{area.name}党支部", PartyOrgKind.BRANCH, area, working, members=rng.randint(8, 12))
        else:
            o = org(f"{area.code}-DZZ", f"{area.name}党总支", PartyOrgKind.GENERAL_BRANCH, area, working, members=2)
        area_org[area.pk] = o
        level1.append(o)
    # Joint committees in the six towers holding most firms with their own organization.
    firms_with_org = [u for u in ctx.units if u.kind == MemberUnitKind.ENTERPRISE and u.has_party_org]
    by_tower: dict[int, list[MemberUnit]] = {}
    for u in firms_with_org:
        by_tower.setdefault(u.building_id, []).append(u)
    joint_towers = sorted(ctx.towers, key=lambda t: (-len(by_tower.get(t.pk, [])), t.code))[:6]
    joint_of = {}
    for t in sorted(joint_towers, key=lambda t: t.code):
        joint_of[t.pk] = org(f"{t.code}-LHDW", f"{t.name}联合党委", PartyOrgKind.JOINT_COMMITTEE, t.region, working,
                             founded=(2015, 2024))
        level1.append(joint_of[t.pk])
    _bulk(level1)

    level2 = []
    for area in ctx.areas:
        parent = area_org[area.pk]
        if parent.kind == PartyOrgKind.GENERAL_BRANCH:
            for g, grid in enumerate(ctx.grids_by_area[area.pk]):
                level2.append(org(f"{grid.code}-DZB", f"{area.name}第{CN_NUM[g]}网格党支部", PartyOrgKind.BRANCH, grid,
                                  parent, founded=(2016, 2022), members=rng.randint(4, 7)))
    for u in ctx.units:
        if not u.has_party_org:
            continue
        committee = u.headcount >= 500
        if u.kind == MemberUnitKind.ENTERPRISE and u.building_id in joint_of:
            parent = joint_of[u.building_id]
        elif u.is_two_new:
            parent = working
        else:
            parent = None  # hospitals, schools and offices belong to their own system; they co-build here
        level2.append(org(
            f"{u.code}-{'DW' if committee else 'DZB'}", f"{u.name}{'党委' if committee else '党支部'}",
            PartyOrgKind.COMMITTEE if committee else PartyOrgKind.BRANCH, u.region, parent, unit=u,
            members=rng.randint(3, 5) if committee else rng.randint(1, 3),
        ))
    _bulk(level2)
    ctx.orgs = {o.code: o for o in orgs}

    # Members: residents (mostly retired) in the area organizations, working members in the unit organizations.
    members: list[PartyMember] = []
    by_org: dict[str, list[PartyMember]] = {}
    for o in orgs:
        for _ in range(sizes[o.code]):
            m = _member(ctx, o)
            members.append(m)
            by_org.setdefault(o.code, []).append(m)
    # The demo party member (first working member of a unit) serves the first grid of the first area.
    first_grid = ctx.grids[0]
    demo = next((m for m in members if m.grid_id == first_grid.pk and m.registered_area_id), None)
    if demo is None:
        demo = next(m for m in members if m.organization.member_unit_id)
        demo.registered_area, demo.grid, demo.registered_on = ctx.areas[0], first_grid, date(2021, 5, 10)
    ctx.extra["demo_member"] = demo
    ctx.members = _bulk(members)

    # Secretaries and committees.
    committees: dict[str, list[PartyMember]] = {}
    for o in orgs:
        own = by_org.get(o.code, [])
        if o.kind == PartyOrgKind.GENERAL_BRANCH:
            branch_secretaries = [by_org[c.code][0] for c in orgs if c.parent_id == o.pk and by_org.get(c.code)]
            o.secretary, committees[o.code] = own[0], own + branch_secretaries[:3]
        elif o.kind == PartyOrgKind.JOINT_COMMITTEE:
            inner = [c for c in orgs if c.parent_id == o.pk and by_org.get(c.code)]
            heads = [by_org[c.code][0] for c in sorted(inner, key=lambda c: -c.member_unit.headcount)]
            area_secretary = by_org[area_org[ctx.areas[CBD_AREA_INDEX].pk].code][0]
            o.secretary = heads[0] if heads else area_secretary
            committees[o.code] = heads[:5] + [area_secretary]  # the area's secretary serves as deputy
        elif own:
            o.secretary = own[0]
            if o.kind in (PartyOrgKind.WORKING_COMMITTEE, PartyOrgKind.COMMITTEE) or len(own) >= 7:
                committees[o.code] = own[:7] if o.kind == PartyOrgKind.WORKING_COMMITTEE else own[:5]
    import_changes(orgs, ["secretary"], actor=SYSTEM, reason=REASON)
    import_changes([ctx.orgs[code] for code in committees], [], actor=SYSTEM, reason=REASON,
                   links={"committee_members": list(committees.values())})


def _member(ctx, o: PartyOrg) -> PartyMember:
    rng, names = ctx.rng, ctx.names
    name, gender = names.person()
    working = o.member_unit_id is not None or o.kind == PartyOrgKind.WORKING_COMMITTEE
    if working:
        born = names.day_between(date(1966, 1, 1), date(2000, 12, 31))
    else:  # residents: mostly retired, some community workers
        born = names.day_between(date(1942, 1, 1), date(1990, 12, 31))
    probationary = rng.random() < (0.08 if working else 0.03)
    if probationary:
        joined = names.day_between(date(TODAY.year - 1, TODAY.month, 2), TODAY)
    else:
        joined = names.day_between(date(born.year + 19, 1, 1), min(date(born.year + 45, 12, 31), date(TODAY.year - 2, 1, 1)))
    m = PartyMember(
        name=name, gender=gender, organization=o, status=MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL,
        joined_on=joined, phone=names.mobile(), id_number=names.id_number(born, gender),
        is_mobile=rng.random() < 0.04,
    )
    if o.region.kind in (RegionKind.GRID, RegionKind.RESIDENTIAL_AREA) and not o.member_unit_id:
        grid = o.region if o.region.kind == RegionKind.GRID else rng.choice(ctx.grids_by_area[o.region.pk])
        m.grid, m.address = grid, f"{grid.address}{rng.randint(1, 10)}号{rng.randint(1, 6)}0{rng.randint(1, 4)}室"
    elif working and o.member_unit_id and rng.random() < 0.55:
        # A working member registered to serve where they live (在职党员报到).
        area = rng.choice(ctx.areas)
        grid = rng.choice(ctx.grids_by_area[area.pk])
        m.registered_area, m.grid = area, grid
        m.registered_on = names.day_between(max(joined, date(2015, 6, 1)), TODAY)
        m.address = f"{grid.address}{rng.randint(1, 10)}号{rng.randint(1, 6)}0{rng.randint(1, 4)}室"
    else:
        m.address = f"示范区东风路{rng.randint(1, 900)}弄{rng.randint(1, 60)}号"
    return m


# --------------------------------------------------------------------------- teams

PROFESSIONAL_TEAMS = (  # kind, how many teams share the 11 areas, name pattern
    (ProfessionalTeamKind.URBAN_MANAGEMENT, 3, "梧桐城管中队第{n}分队"),
    (ProfessionalTeamKind.HOUSING, 4, "梧桐房办第{n}片区工作组"),
    (ProfessionalTeamKind.CITY_APPEARANCE, 3, "梧桐市容所第{n}作业组"),
    (ProfessionalTeamKind.POLICE, 11, "{area}社区警务室"),
    (ProfessionalTeamKind.FIRE, 2, "梧桐消防站第{n}网格服务组"),
    (ProfessionalTeamKind.MARKET_SUPERVISION, 2, "梧桐市场所第{n}监管组"),
)


RIVERSIDE_TEAMS = 8  # 滨江一号 … 八号志愿服务队
UNIT_TEAMS = 2  # teams of member units; with one team per residential area, 11 + 8 + 2 = 21 volunteer teams
RIVERSIDE_SPECIALITIES = ("楼宇白领公益活动", "防汛防台巡查", "文明游览劝导", "垃圾分类宣传与值守")


def _teams(ctx) -> None:
    rng, names = ctx.rng, ctx.names
    teams, coverage = [], []
    for kind, n, pattern in PROFESSIONAL_TEAMS:
        for k, areas in enumerate(_chunks(ctx.areas, n)):
            teams.append(ProfessionalTeam(
                name=pattern.format(n=CN_NUM[k % len(CN_NUM)], area=areas[0].name), kind=kind, region=ctx.subdistrict,
                leader_name=names.name(), leader_phone=names.mobile(),
            ))
            coverage.append([g for a in areas for g in ctx.grids_by_area[a.pk]])
    _bulk(teams, grids=coverage)
    ctx.extra["professional_teams"] = teams

    volunteer = []
    for area in ctx.areas:
        volunteer.append(VolunteerTeam(
            name=f"{area.name}党员志愿服务队", region=area, speciality="、".join(rng.sample(VOLUNTEER_SPECIALITIES, 2)),
            leader_name=names.name(), leader_phone=names.mobile(), member_count=rng.randint(12, 60),
        ))
    cbd = ctx.areas[CBD_AREA_INDEX]
    for k in range(RIVERSIDE_TEAMS):  # the sub-district's 8 riverside teams (issue 16), based in the CBD area
        volunteer.append(VolunteerTeam(
            name=f"滨江{CN_NUM[k]}号志愿服务队", region=cbd,
            speciality="滨江步道巡护、" + RIVERSIDE_SPECIALITIES[k % len(RIVERSIDE_SPECIALITIES)],
            leader_name=names.name(), leader_phone=names.mobile(), member_count=rng.randint(20, 80),
        ))
    candidates = [u for u in ctx.units if u.has_party_org and u.kind != MemberUnitKind.GOVERNMENT_DEPARTMENT]
    for u in sorted(rng.sample(candidates, UNIT_TEAMS), key=lambda u: u.code):
        speciality = {
            MemberUnitKind.HOSPITAL: "义诊与健康讲座", MemberUnitKind.SCHOOL: "青少年课业辅导",
            MemberUnitKind.SOCIAL_ORGANIZATION: "为老助餐与陪护",
        }.get(u.kind) or rng.choice([s for s in VOLUNTEER_SPECIALITIES if s != "义诊与健康讲座"])
        volunteer.append(VolunteerTeam(
            name=f"{u.name}志愿服务队", region=u.region, member_unit=u, speciality=speciality,
            leader_name=u.contact_name, leader_phone=u.contact_phone, member_count=rng.randint(8, 40),
        ))
    ctx.extra["volunteer_teams"] = _bulk(volunteer)


# --------------------------------------------------------------------------- 1+N service places


def _service_places(ctx) -> None:
    names = ctx.names
    centre = _bulk([ServicePlace(
        code=f"{SUB}-SC", name="梧桐街道党建服务中心", kind=ServicePlaceKind.CENTRE, region=ctx.subdistrict,
        address="示范区梧桐路88号11楼", opening_hours="周一至周六 8:30-20:00", phone=names.landline(),
    )])[0]
    stations = [
        ServicePlace(code=f"{SUB}-SS{k + 1:02d}", name=f"{area.name}党群服务站", kind=ServicePlaceKind.STATION,
                     centre=centre, region=area, address=area.address, opening_hours="周一至周五 8:30-17:00，周六上午",
                     phone=names.landline())
        for k, area in enumerate(ctx.areas)
    ]
    towers_with_joint = sorted(
        {o.code.removesuffix("-LHDW") for o in ctx.orgs.values() if o.kind == PartyOrgKind.JOINT_COMMITTEE}
    )
    by_code = {t.code: t for t in ctx.towers}
    for code in towers_with_joint[:5]:
        tower = by_code[code]
        stations.append(ServicePlace(
            code=f"{SUB}-SS{len(stations) + 1:02d}", name=f"{tower.name}楼宇党群服务站", kind=ServicePlaceKind.STATION,
            centre=centre, region=tower.region, building=tower, address=f"{tower.address}1楼",
            opening_hours="工作日 8:30-18:00（周四党员专家服务）", phone=names.landline(),
        ))
    ctx.service_places = [centre, *_bulk(stations)]


# --------------------------------------------------------------------------- demo accounts


def _accounts(ctx) -> None:
    names = ctx.names
    first_area, first_grid = ctx.areas[0], ctx.grids[0]
    create_demo_user(ctx, "admin", "系统管理员", Role.SYSTEM_ADMIN, is_superuser=True, is_staff=True)
    create_demo_user(ctx, "district", names.name(), Role.DISTRICT_VIEWER, ctx.district)
    create_demo_user(ctx, "street", names.name(), Role.SUBDISTRICT_ADMIN, ctx.subdistrict)
    for i, area in enumerate(ctx.areas, start=1):
        org = next(o for o in ctx.orgs.values() if o.region_id == area.pk and o.member_unit_id is None
                   and o.kind in (PartyOrgKind.GENERAL_BRANCH, PartyOrgKind.BRANCH))
        user = create_demo_user(ctx, f"secretary{i}", org.secretary.name, Role.AREA_SECRETARY, area)
        _link(org.secretary, user)
    for g, grid in enumerate(ctx.grids_by_area[first_area.pk], start=1):
        create_demo_user(ctx, f"gridleader{g}", names.name(), Role.GRID_LEADER, grid)
    member = ctx.extra["demo_member"]
    _link(member, create_demo_user(ctx, "member1", member.name, Role.PARTY_MEMBER, member.grid))
    unit = next(u for u in ctx.units if u.kind == MemberUnitKind.HOSPITAL)
    create_demo_user(ctx, "unit1", unit.contact_name, Role.UNIT_LIAISON, unit=unit)
    chief = next(x for x in ctx.liaisons if x.is_chief)
    liaison = next(x for x in ctx.liaisons if not x.is_chief and x.chief_id == chief.pk)
    _link(liaison, create_demo_user(ctx, "liaison1", liaison.name, Role.BUILDING_LIAISON, ctx.subdistrict))
    _link(chief, create_demo_user(ctx, "chief1", chief.name, Role.BUILDING_LIAISON, ctx.subdistrict))
    create_demo_user(ctx, "resident1", names.name(), Role.RESIDENT, first_grid)


def _link(person, user) -> None:
    person.user = user
    import_changes([person], ["user"], actor=SYSTEM, reason=REASON)


# --------------------------------------------------------------------------- estates and households

PROPERTY_COMPANIES = (
    "梧桐物业管理有限公司", "锦城物业服务有限公司", "安居物业管理有限公司", "恒泰物业服务有限公司", "新业物业管理有限公司",
    "示范区房管所物业服务中心", "江畔置业物业服务有限公司",
)
BUILT = {"lane": (1918, 1949), "walkup": (1982, 1999), "highrise": (1998, 2016)}
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _estate_name(building: Building) -> str:
    return re.sub(r"\d+号楼?$", "", building.name)


def _estates_and_households(ctx) -> None:
    """Every residential area gets one to three estates (小区) covering its residential buildings, grid by grid,
    and every residential building its households: rooms floor by floor (101, 102 … 602), sizes, phones, and the
    flags later modules serve (elderly living alone, hardship); about a third have proven their phone by SMS.

    A random stream of its own (not ctx.rng), so adding households shifts no later step's draws."""
    rng = random.Random(SEED * 100 + 5)
    names = Names(rng)
    by_grid: dict[int, list[Building]] = {}
    for b in ctx.buildings:
        by_grid.setdefault(b.region_id, []).append(b)
    estates, members = [], []
    for area in ctx.areas:
        grids = [g for g in ctx.grids_by_area[area.pk] if by_grid.get(g.pk)]
        for j, chunk in enumerate(_chunks(grids, min(len(grids), rng.randint(1, 3))), start=1):
            blds = [b for g in chunk for b in by_grid[g.pk]]
            style = "lane" if "弄" in blds[0].name else "highrise" if (blds[0].floors or 0) > 10 else "walkup"
            estates.append(Estate(
                code=f"{area.code}-E{j}", name=_estate_name(blds[0]), area=area, address=chunk[0].address,
                property_company=rng.choice(PROPERTY_COMPANIES[:5] if style != "lane" else PROPERTY_COMPANIES[5:6]),
                property_contact=names.name(), property_phone=names.landline(), built_year=rng.randint(*BUILT[style]),
            ))
            members.append(blds)
    estates = _bulk(estates)
    for estate, blds in zip(estates, members, strict=True):
        for b in blds:
            b.estate = estate
    import_changes(ctx.buildings, ["estate"], actor=SYSTEM, reason=REASON)
    ctx.extra["estates"] = estates
    ctx.extra["estates_by_area"] = {}
    for e in estates:
        ctx.extra["estates_by_area"].setdefault(e.area_id, []).append(e)

    households = []
    verified_from = datetime.combine(date(2025, 3, 1), time(9), tzinfo=SHANGHAI)
    for b in ctx.buildings:
        floors = max(b.floors or 1, 1)
        per_floor = math.ceil((b.households or 0) / floors)
        lane = "弄" in b.name
        for n in range(b.households or 0):
            floor, k = divmod(n, per_floor)
            alone = rng.random() < (0.10 if lane else 0.05)
            phone = names.mobile() if rng.random() < 0.93 else ""
            households.append(Household(
                building=b, room=f"{floor + 1}{k + 1:02d}", size=1 if alone else rng.choice((1, 2, 2, 3, 3, 3, 4, 5)),
                head_name=names.name(), phone=phone, other_phone=names.mobile() if rng.random() < 0.2 else "",
                is_owner_occupied=rng.random() < 0.82, elderly_living_alone=alone, hardship=rng.random() < 0.03,
                phone_verified_at=(verified_from + timedelta(minutes=rng.randrange(0, 500 * 24 * 60)))
                if phone and rng.random() < 0.3 else None,
            ))
    ctx.extra["households"] = len(_bulk(households))
