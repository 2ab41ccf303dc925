"""Authorization-test fixtures of the votes part (see gongzhi.core.authz and gongzhi.deliberation.authz), written
through the votes services: in area A an estate of its own (a building in grid A1 with three households), a
residents' proposal, an open vote of grid A1 with one ballot, a draft vote, a closed vote, and a convention adopted
by an estate vote and signed by a household; in each zone the same estate, proposal, vote and adopted convention,
every text carrying the zone's mark (the head of household's name privately: no public page may show it)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models import Topic, TopicSource, VoteKind, VoteScope
from gongzhi.deliberation.services import votes as services
from gongzhi.registry.models import Building, Estate, Household


def _estate(area, grid, code: str, name: str, building_name: str, heads: list[str]) -> tuple[Estate, list]:
    estate = Estate.objects.create(code=code, name=name, area=area)
    building = Building.objects.create(code=f"{code}-B1", name=building_name, region=grid, estate=estate)
    households = [Household.objects.create(building=building, room=f"{101 + i}", head_name=head,
                                           phone=f"1390000{i:04d}") for i, head in enumerate(heads)]
    return estate, households


def _vote(topic, *, title: str, scope: str, grid=None, estate=None, description: str = "", version=None,
          secret: bool = False, days_ago: int = 0):
    """A vote in draft; with `days_ago`, its period lies in the past (to be opened and counted at those times)."""
    now = timezone.now() - timedelta(days=days_ago)
    return services.create_vote(
        topic, actor=SYSTEM, title=title, description=description, scope=scope, grid=grid, estate=estate,
        kind=VoteKind.YES_NO, opens_at=now, closes_at=now + timedelta(days=2 if days_ago else 7),
        convention_version=version, is_secret=secret, now=now - timedelta(minutes=5))


def _held(vote, ballots: list[tuple], *, close: bool = True):
    """Open `vote` (at its opening time), cast `ballots` [(household, option)] and count it (after its period)."""
    services.open_vote(vote, actor=SYSTEM, now=vote.opens_at)
    for household, option in ballots:
        services.cast_ballot(vote, actor=SYSTEM, option=option, household=household,
                             now=vote.opens_at + timedelta(minutes=1))
    if close:
        services.close_vote(vote, actor=SYSTEM, now=vote.closes_at + timedelta(minutes=1))
    vote.refresh_from_db()
    return vote


def _adopted(topic, estate, households, *, title: str, text: str, vote_title: str, description: str = ""):
    """A convention drafted from `topic`, adopted by a closed estate vote, signed by the first household."""
    convention = services.create_convention(topic, actor=SYSTEM, title=title, text=text, estate=estate)
    vote = _vote(topic, title=vote_title, scope=VoteScope.ESTATE, estate=estate, description=description,
                 version=convention.latest_version(), days_ago=12)
    vote = _held(vote, [(h, "yes") for h in households])
    services.adopt_convention(convention, actor=SYSTEM, vote=vote, effective_on=timezone.localdate())
    services.sign_convention(convention, actor=SYSTEM, household=households[0])
    return convention, vote


def build(world) -> dict:
    area, grid = world["area_a"], world["grid_a1"]
    estate, homes = _estate(area, grid, "VOTES-EA", "梧桐花园", "梧桐花园1号楼", ["王梧桐", "李梧桐", "赵梧桐"])
    topic = Topic.objects.create(title="加装电梯居民提议", description="梧桐花园1号楼加装电梯", area=area, grid=grid,
                                 estate=estate, source=TopicSource.RESIDENTS, cosigns_needed=2)
    services.cosign_topic(topic, actor=SYSTEM, household=homes[0])
    open_vote = _held(_vote(topic, title="加装电梯方案表决", scope=VoteScope.GRID, grid=grid,
                            description="梧桐一网格住户表决"), [(homes[0], "yes")], close=False)
    closed = _held(_vote(topic, title="楼道堆物清理表决", scope=VoteScope.GRID, grid=grid, secret=True, days_ago=20),
                   [(homes[0], "yes"), (homes[1], "no")])
    convention, _adopting = _adopted(topic, estate, homes, title="梧桐花园居民公约", text="一、爱护公共环境。\n二、文明停车。",
                                     vote_title="通过梧桐花园居民公约")
    made = {
        "votes_estate_a": estate, "votes_topic_a": topic, "votes_vote_a": open_vote, "votes_vote_closed_a": closed,
        "votes_vote_draft_a": _vote(topic, title="垃圾分类时间表决", scope=VoteScope.GRID, grid=grid),
        "votes_convention_a": convention,
    }
    for zone in ZONES:
        made.update(_zone(world, zone))
    return made


def _zone(world, zone: str) -> dict:
    def mark(label):
        return world.mark(zone, label)

    area, grid = world.area(zone), world.grid(zone)
    estate, homes = _estate(area, grid, world.code(zone, "VE"), mark("小区"), mark("楼"),
                            [world.mark(zone, "户主", private=True)])
    topic = Topic.objects.create(title=mark("居民提议"), description=mark("提议说明"), area=area, grid=grid,
                                 estate=estate, source=TopicSource.RESIDENTS, cosigns_needed=3)
    services.cosign_topic(topic, actor=SYSTEM, household=homes[0])
    convention, vote = _adopted(topic, estate, homes, title=mark("居民公约"), text=mark("公约条文"),
                                vote_title=mark("公约表决"), description=mark("表决说明"))
    return {f"votes_estate_a@{zone}": estate, f"votes_topic_a@{zone}": topic, f"votes_vote_a@{zone}": vote,
            f"votes_convention_a@{zone}": convention}
