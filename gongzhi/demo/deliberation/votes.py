"""Demo data of the votes part of deliberation, written through its services:

* the parking rules of seed 003 (小区停车管理办法, "火热商议中" under the 议事八则 and the 三会制度): a topic at its
  hearing, and an OPEN household vote of its estate with about two households in five voted so far (on their phones);
* a resident convention like seed 004's 《大西别墅居民公约》, drafted after the after-work 居民代表会议 against
  hallway clutter, green space taken, illegal building and thefts in an estate without a gate guard: two versions,
  adopted by a closed household vote that passed, in force, signed by about half of the households.

The estates are the registry's when the street has them (the smallest with households); otherwise the first grid
of an area becomes an estate with a few households per building. The demo resident (`resident1`) gets the verified
phone of a parking-estate household that has not voted yet, to try the H5 ballot without an SMS."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from gongzhi.core.workflow import SYSTEM, record_creation, transition
from gongzhi.deliberation.models import Topic, TopicSource, VoteKind, VoteScope
from gongzhi.deliberation.services import votes as services
from gongzhi.deliberation.workflow import TOPIC_FLOW, TopicAction
from gongzhi.registry.models import Building, BuildingKind, Estate, Household
from gongzhi.registry.services import import_changes

HOMES_PER_BUILDING, MAX_BUILDINGS = 8, 4

PARKING_RULES = (
    "一、小区内机动车一律停放在划线车位内，不占消防通道，不占绿地。\n"
    "二、居民车辆登记后凭证进出；外来车辆临时停放按小时收费，收入用于小区公共设施维护，每季度公示。\n"
    "三、电动自行车集中停放、集中充电，不进楼道，不飞线充电。\n"
    "四、夜间（22:00至次日6:00）小区内禁止鸣笛。\n"
    "五、本办法经住户表决通过后试行一年，由事后评议会评议后修订。"
)
CONVENTION_V1 = (
    "第一条 为建设整洁、安全、和睦的家园，经居民代表会议协商，制定本公约。\n"
    "第二条 爱护公共绿化，不占绿、不毁绿，不在绿地种菜、堆物。\n"
    "第三条 不违章搭建；已有违建的，党员带头先拆。\n"
    "第四条 楼道和公共部位不堆放杂物，衣物不晾出公共通道。\n"
    "第五条 邻里互相提醒、互相监督，分歧提交居民代表会议协商解决。"
)
CONVENTION_V2 = (
    "第一条 为建设整洁、安全、和睦的家园，经居民代表会议协商，制定本公约。\n"
    "第二条 爱护公共绿化，不占绿、不毁绿，不在绿地种菜、堆物。\n"
    "第三条 不违章搭建；已有违建的，党员带头先拆。\n"
    "第四条 楼道和公共部位不堆放杂物，衣物不晾出公共通道。\n"
    "第五条 小区没有门卫，居民自治巡逻队轮流值守；见到可疑人员主动询问，及时报告。\n"
    "第六条 生活垃圾按时分类投放。\n"
    "第七条 邻里互相提醒、互相监督，分歧提交居民代表会议协商解决。"
)


def seed(ctx) -> None:
    if len(ctx.areas) < 2:
        return
    now = timezone.now().replace(second=0, microsecond=0)
    parking_estate, parking_homes = _estate(ctx, ctx.areas[0])
    convention_estate, convention_homes = _estate(ctx, ctx.areas[1])
    _parking_vote(ctx, parking_estate, parking_homes, now)
    _convention(ctx, convention_estate, convention_homes, now)


# --- estates and households ----------------------------------------------------------------------------------

def _estate_name(building: Building) -> str:
    return re.sub(r"\d+号楼?$", "", building.name) or building.name


def _estate(ctx, area) -> tuple[Estate, list[Household]]:
    """The area's smallest estate with households, or its first grid made an estate with a few households."""
    existing = (Estate.objects.filter(area=area).annotate(n=Count("buildings__household_rows")).filter(n__gt=0)
                .order_by("n", "code").first())
    if existing is not None:
        return existing, list(Household.objects.filter(building__estate=existing).order_by("building__code", "room"))
    grid = ctx.grids_by_area[area.pk][0]
    buildings = list(grid.buildings.filter(kind=BuildingKind.RESIDENTIAL).order_by("code")[:MAX_BUILDINGS])
    estate = Estate.objects.filter(code=f"{grid.code}-E").first() or Estate.objects.create(
        code=f"{grid.code}-E", name=_estate_name(buildings[0]), area=area, address=grid.address,
        property_company=f"{_estate_name(buildings[0])}物业服务有限公司", built_year=ctx.rng.randint(1985, 2005))
    for b in buildings:
        b.estate = estate
    import_changes(buildings, ["estate"], actor=SYSTEM, reason="demo")
    homes = []
    for b in buildings:
        if b.household_rows.exists():
            homes += list(b.household_rows.order_by("room"))
            continue
        for i in range(HOMES_PER_BUILDING):
            floor, door = divmod(i, 2)
            homes.append(Household.objects.create(
                building=b, room=f"{floor + 1}0{door + 1}", size=ctx.rng.randint(1, 5), head_name=ctx.names.name(),
                phone=ctx.names.mobile(), elderly_living_alone=ctx.rng.random() < 0.08,
                is_owner_occupied=ctx.rng.random() < 0.8))
    return estate, homes


def _topic(ctx, title: str, description: str, estate: Estate, actions: list[str], when) -> Topic:
    topic = Topic.objects.create(title=title, description=description, area=estate.area, estate=estate,
                                 source=TopicSource.COUNCIL, created_at=when)
    record_creation(topic, TopicAction.PROPOSE, workflow=TOPIC_FLOW, actor=SYSTEM, now=when)
    for i, action in enumerate(actions, start=1):
        topic = transition(topic, action, workflow=TOPIC_FLOW, actor=SYSTEM, now=when + timedelta(days=i))
    return topic


def _choice(ctx, weights: dict[str, float]) -> str:
    return ctx.rng.choices(list(weights), weights=list(weights.values()))[0]


# --- 003: the parking rules, an open household vote ------------------------------------------------------------

def _parking_vote(ctx, estate: Estate, homes: list[Household], now) -> None:
    topic = _topic(ctx, f"{estate.name}停车管理办法", "按照议事八则和三会制度，党总支、居委会、业委会、物业“1+3+N”共同商议小区停车"
                   "管理办法：事前听证、事中协调、事后评议。", estate, [TopicAction.ACCEPT, TopicAction.HEAR],
                   now - timedelta(days=20))
    opens = now - timedelta(days=3)
    vote = services.create_vote(
        topic, actor=SYSTEM, title=f"《{estate.name}停车管理办法（试行）》住户表决", description=PARKING_RULES,
        scope=VoteScope.ESTATE, estate=estate, kind=VoteKind.YES_NO, opens_at=opens, closes_at=now + timedelta(days=4),
        now=opens - timedelta(hours=2))
    services.open_vote(vote, actor=SYSTEM, now=opens)
    voters = [h for h in homes if h.phone and ctx.rng.random() < 0.4]
    for n, home in enumerate(voters):
        services.cast_ballot(vote, actor=services.RESIDENT, proven_phone=home.phone, household=home,
                             option=_choice(ctx, {"yes": 0.62, "no": 0.28, "abstain": 0.1}),
                             now=opens + timedelta(minutes=37 * (n + 1)))
    proposal = Topic.objects.create(
        title="增设电动自行车集中充电棚", description="楼道飞线充电有火灾隐患，住户提议在小区东侧空地增设集中充电棚。", area=estate.area,
        estate=estate, source=TopicSource.RESIDENTS, cosigns_needed=10, proposer_household=homes[0],
        created_at=now - timedelta(days=2))
    record_creation(proposal, TopicAction.PROPOSE, workflow=TOPIC_FLOW, actor=SYSTEM, now=now - timedelta(days=2))
    for home in homes[:4]:
        services.cosign_topic(proposal, actor=services.RESIDENT, proven_phone=home.phone, household=home)
    waiting = next((h for h in homes if h.phone and h not in voters), None)
    resident = ctx.users.get("resident1")
    if waiting is not None and resident is not None and not resident.phone_verified_at:
        from gongzhi.accounts import services as account_services

        account_services.verify_phone(resident, actor=resident, phone=waiting.phone, now=now)


# --- 004: a resident convention, adopted by a closed vote and signed ---------------------------------------------

def _convention(ctx, estate: Estate, homes: list[Household], now) -> None:
    start = now - timedelta(days=60)
    topic = _topic(ctx, f"{estate.name}环境整治和自治管理", "乱堆物、乱晾晒、违章搭建、占绿毁绿频发，小区没有门卫常有失窃。居民区党总支和居委会"
                   "利用下班后居民易于集中的时间召开居民代表会议，共同商讨解决办法。", estate,
                   [TopicAction.ACCEPT, TopicAction.HEAR, TopicAction.COORDINATE, TopicAction.DECIDE], start)
    convention = services.create_convention(topic, actor=SYSTEM, title=f"{estate.name}居民公约", text=CONVENTION_V1,
                                            estate=estate, note="居民代表会议讨论稿", now=start + timedelta(days=5))
    services.revise_convention(convention, actor=SYSTEM, text=CONVENTION_V2, note="根据第二次居民代表会议意见，增加自治巡逻、"
                               "垃圾分类两条", now=start + timedelta(days=12))
    opens = start + timedelta(days=16)
    vote = services.create_vote(
        topic, actor=SYSTEM, title=f"通过《{estate.name}居民公约》", description="对居民公约第2版进行住户表决。",
        scope=VoteScope.ESTATE, estate=estate, kind=VoteKind.YES_NO, opens_at=opens,
        closes_at=opens + timedelta(days=7), convention_version=convention.latest_version(),
        now=opens - timedelta(hours=2))
    services.open_vote(vote, actor=SYSTEM, now=opens)
    voters = [h for h in homes if ctx.rng.random() < 0.75] or homes
    for n, home in enumerate(voters):
        services.cast_ballot(vote, actor=services.RESIDENT if home.phone else SYSTEM, proven_phone=home.phone,
                             household=home, option=_choice(ctx, {"yes": 0.84, "no": 0.08, "abstain": 0.08}),
                             now=opens + timedelta(hours=3 * (n + 1) % 160))
    vote = services.close_vote(vote, actor=SYSTEM, now=vote.closes_at + timedelta(minutes=5))
    if vote.result != "passed":
        return
    adopted_at = vote.closes_at + timedelta(days=1)
    services.adopt_convention(convention, actor=SYSTEM, vote=vote,
                              effective_on=timezone.localdate(adopted_at) + timedelta(days=7), now=adopted_at)
    for n, home in enumerate(h for h in homes if ctx.rng.random() < 0.5):
        services.sign_convention(convention, actor=services.RESIDENT if home.phone else SYSTEM,
                                 proven_phone=home.phone, household=home, now=adopted_at + timedelta(hours=5 * n + 1))
