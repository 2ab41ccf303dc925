"""Demo volunteering: the pairings part, from the seeds' figures.

* 000: the youth club pairs community youth with firms' party members one to one (young volunteers of the areas,
  made here when the volunteers part has none, with working members of the firms' organizations); a "V.I.P"
  incubation cohort of young building workers with the "五个一" and partial progress.
* 002: in a market area 54 party members each link about 50 shops (invented names, business addresses).
* Units pair with households in hardship, retired members link households of their area.
Contacts over the past year, some pairings overdue. Every choice through ctx.rng; volume through
`import_past_pairings` (bulk)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.registry.models import Household, MemberUnitKind, PartyOrgKind
from gongzhi.registry.services import import_records
from gongzhi.volunteering.models import ContactKind, PairingKind, Volunteer
from gongzhi.volunteering.services import pairings as services

MARKET_MEMBERS = 54
SHOP_TRADES = ("五香豆", "梨膏糖", "南翔小笼", "绸布庄", "茶叶铺", "扇庄", "玉器行", "筷子店", "剪纸坊", "糕团店",
               "酱园", "银楼", "书画社", "紫砂壶", "旗袍店", "中药房", "糖果行", "眼镜店", "鞋帽店", "文具店")
SHOP_PREFIX = "老城隍福禄寿永宝顺源兴隆德昌华泰丰裕和春晓豫园湖心九曲"
NOTES = {ContactKind.VISIT: ("上门走访，了解经营情况", "走访宣传消防安全", "上门慰问，听取意见"),
         ContactKind.PHONE: ("电话问候", "电话了解近况"), ContactKind.ONLINE: ("微信联系，转发惠企政策",),
         ContactKind.ACTIVITY: ("一起参加社区活动", "结对共建活动")}
YOUTH_COUNT = 24
COHORT_SIZE = 18


def _contacts(rng, started: date, today: date, overdue: bool) -> list[tuple[date, str, str]]:
    """Contacts from the start (at most a year back) to today every 10-40 days; an overdue pairing stops 35-90
    days ago."""
    end = today - timedelta(days=rng.randint(35, 90)) if overdue else today
    day, rows = max(started, today - timedelta(days=365)) + timedelta(days=rng.randint(3, 20)), []
    while day <= end:
        kind = rng.choice((ContactKind.VISIT, ContactKind.VISIT, ContactKind.PHONE, ContactKind.ONLINE,
                           ContactKind.ACTIVITY))
        rows.append((day, kind, rng.choice(NOTES[kind])))
        day += timedelta(days=rng.randint(10, 40))
    return rows


def _youth(ctx, today: date) -> list[Volunteer]:
    made = [v for v in ctx.extra.get("volunteers", []) if v.born_on and v.born_on.year >= today.year - 35]
    if len(made) >= YOUTH_COUNT:
        return made[:YOUTH_COUNT]
    rng, rows = ctx.rng, []
    for _i in range(YOUTH_COUNT - len(made)):
        name, _gender = ctx.names.person()
        rows.append(Volunteer(region=rng.choice(ctx.areas), name=name, phone=ctx.names.mobile(),
                              born_on=date(today.year - rng.randint(18, 32), rng.randint(1, 12), rng.randint(1, 28)),
                              skills=rng.choice(("摄影", "编程", "英语", "急救", "书法", "")),
                              consented_at=timezone.now() - timedelta(days=rng.randint(30, 400))))
    return made + import_records(rows, actor=SYSTEM, reason="demo")


def seed(ctx) -> None:
    rng, today = ctx.rng, timezone.localdate()
    rows: list[services.PastPairing] = []

    def add(kind, region, started, **kw):
        overdue = rng.random() < 0.12
        rows.append(services.PastPairing(code=f"JD{len(rows) + 1:06d}", kind=kind, region=region, started_on=started,
                                         contacts=_contacts(rng, started, today, overdue), **kw))

    def started_on(days_back: int = 900) -> date:
        return today - timedelta(days=rng.randint(40, days_back))

    # 002: the market area, 54 members × about 50 shops
    area_of = {a.path: a for a in ctx.areas}

    def area_for(m):
        region = m.registered_area or m.organization.region
        return next((a for p, a in area_of.items() if region.path.startswith(p)), None)

    residents = [m for m in ctx.members if not m.organization.member_unit_id and area_for(m) is not None]
    by_area: dict[int, list] = {}
    for m in residents:
        by_area.setdefault(area_for(m).pk, []).append(m)
    market = max(ctx.areas, key=lambda a: (len(by_area.get(a.pk, [])), a.code))
    market_members = by_area.get(market.pk, [])[:MARKET_MEMBERS]
    others = [m for m in residents if m not in market_members]
    while len(market_members) < MARKET_MEMBERS and others:
        market_members.append(others.pop(rng.randrange(len(others))))
    shop_names: set[str] = set()
    for m in market_members:
        for _i in range(rng.randint(44, 50)):
            while True:
                name = rng.choice(SHOP_PREFIX) + rng.choice(SHOP_PREFIX) + rng.choice(SHOP_TRADES)
                if name not in shop_names:
                    shop_names.add(name)
                    break
            add(PairingKind.MEMBER_SHOP, market, started_on(), member=m, shop_name=name,
                shop_address=f"豫园商城{rng.choice('东西南北中')}区{rng.randint(1, 300)}号")
    # member ↔ households: retired members of the other areas link 3-10 households of their area
    households = list(Household.objects.filter(building__region__path__startswith=ctx.subdistrict.path)
                      .select_related("building__region").order_by("building__code", "room"))
    by_area_households: dict[int, list] = {}
    for h in households:
        area = next((a for p, a in area_of.items() if h.building.region.path.startswith(p)), None)
        if area is not None:
            by_area_households.setdefault(area.pk, []).append(h)
    linkers = [m for m in residents if m not in market_members]
    for m in rng.sample(linkers, min(40, len(linkers))):
        pool = by_area_households.get(area_for(m).pk, [])
        for h in rng.sample(pool, min(len(pool), rng.randint(3, 10))):
            add(PairingKind.MEMBER_HOUSEHOLD, area_for(m), started_on(), member=m, household=h)
    # unit ↔ households in hardship
    hardship = [h for h in households if h.hardship]
    rng.shuffle(hardship)
    units = sorted((u for u in ctx.units if u.has_party_org), key=lambda u: u.code)
    for u in rng.sample(units, min(12, len(units))):
        for _i in range(rng.randint(1, 4)):
            if not hardship:
                break
            h = hardship.pop()
            area = next((a for p, a in area_of.items() if h.building.region.path.startswith(p)), market)
            add(PairingKind.UNIT_HOUSEHOLD, area, started_on(), unit=u, household=h)
    # 000: community youth ↔ firms' party members, one to one
    firm_members = [m for m in ctx.members if m.organization.member_unit_id
                    and m.organization.member_unit.kind == MemberUnitKind.ENTERPRISE]
    youth = _youth(ctx, today)
    for v, m in zip(youth, rng.sample(firm_members, min(len(youth), len(firm_members))), strict=False):
        add(PairingKind.YOUTH, v.region, started_on(600), member=m, volunteer=v)
    # a few ended pairings
    for r in rng.sample(rows, min(20, len(rows))):
        if r.kind != PairingKind.YOUTH:
            r.ended_on = today - timedelta(days=rng.randint(1, 30))
            r.ended_on = max(r.ended_on, r.started_on)
            r.contacts = [c for c in r.contacts if c[0] <= r.ended_on]
            r.end_reason = rng.choice(("商户歇业", "住户搬离", "结对调整"))
    services.import_past_pairings(rows, actor=SYSTEM)
    ctx.extra["pairings"] = len(rows)
    _cohort(ctx, today)


def _cohort(ctx, today: date) -> None:
    """The "V.I.P" incubation programme of young building workers with the "五个一"."""
    rng = ctx.rng
    joint = next((o for o in sorted(ctx.orgs.values(), key=lambda o: o.code)
                  if o.kind == PartyOrgKind.JOINT_COMMITTEE), None)
    cohort = services.create_cohort(
        ctx.subdistrict, actor=SYSTEM, name=f"“V.I.P”楼宇青年孵化营 {today.year}", organiser="楼宇青年联盟",
        organization=joint, starts_on=today - timedelta(days=120), ends_on=today + timedelta(days=60))
    requirements = list(cohort.requirements.order_by("position"))
    firms = sorted((u for u in ctx.units if u.kind == MemberUnitKind.ENTERPRISE), key=lambda u: u.code)
    for _i in range(COHORT_SIZE):
        name, _gender = ctx.names.person()
        part = services.add_participant(cohort, actor=SYSTEM, name=name, phone=ctx.names.mobile(),
                                        workplace=rng.choice(firms).name[:80] if firms else "")
        for i, req in enumerate(requirements):
            if rng.random() < 0.9 - 0.15 * i:
                services.record_progress(part, req, actor=SYSTEM, note=rng.choice(("", "表现优秀", "已提交心得")),
                                         done_on=cohort.starts_on + timedelta(days=20 * i + rng.randint(0, 15)))
