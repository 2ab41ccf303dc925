"""Workflow-walk subjects of the votes part (see tests/deliberation/subjects.py), and the small world the votes
tests share: an estate of area A with households whose phones are known, a topic, votes and conventions made
straight in a given state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models import (
    ConventionVersion,
    ResidentConvention,
    Topic,
    Vote,
    VoteKind,
    VoteScope,
)
from gongzhi.deliberation.services import votes as services
from gongzhi.registry.models import Building, Estate, Household
from tests import factories


def phone(n: int) -> str:
    return f"1381234{n:04d}"


@dataclass
class Estates:
    """Estate A (area A, two buildings in grid A1 and A2) and estate B (area B), with households."""

    street: object
    estate_a: Estate
    estate_b: Estate
    homes_a: list  # estate A's households; homes_a[i] has phone(i)
    homes_b: list
    topic: Topic  # a topic of estate A
    extra: dict = field(default_factory=dict)


def estate(area, grids, name: str, homes_per_building: int, first_phone: int) -> tuple[Estate, list]:
    n = factories.seq()
    made = Estate.objects.create(code=f"E{n:05d}", name=name, area=area)
    homes = []
    for b, grid in enumerate(grids):
        building = Building.objects.create(code=f"EB{n:05d}-{b}", name=f"{name}{b + 1}号楼", region=grid, estate=made)
        for i in range(homes_per_building):
            k = first_phone + len(homes)
            homes.append(Household.objects.create(building=building, room=f"{101 + i}", head_name=f"住户{k}",
                                                  phone=phone(k)))
    return made, homes


def estates(street, homes_per_building: int = 3) -> Estates:
    a, homes_a = estate(street.area_a, [street.grid_a1, street.grid_a2], "梧桐花园", homes_per_building, 0)
    b, homes_b = estate(street.area_b, [street.grid_b1], "石库门里", homes_per_building, 500)
    topic = Topic.objects.create(title="小区停车管理办法", area=street.area_a, estate=a, state="hearing")
    return Estates(street, a, b, homes_a, homes_b, topic)


def vote(topic: Topic, *, scope: str = VoteScope.ESTATE, state: str = "draft", secret: bool = False,
         kind: str = VoteKind.YES_NO, alternatives=(), days_ago: int = 0, meeting=None, **kw) -> Vote:
    """A vote on `topic` through the services, then opened (`state="open"`) at its opening time."""
    start = timezone.now() - timedelta(days=days_ago, hours=1)
    made = services.create_vote(
        topic, actor=SYSTEM, title=kw.pop("title", "停车收费标准表决"), scope=scope, kind=kind,
        alternatives=alternatives, is_secret=secret, opens_at=start,
        closes_at=kw.pop("closes_at", start + timedelta(days=7)), meeting=meeting, now=start - timedelta(minutes=1),
        **kw)
    if state in ("open", "closed"):
        made = services.open_vote(made, actor=SYSTEM, now=start)
    return made


# --- the workflow walk's subjects ----------------------------------------------------------------------------

def vote_subject(street, state: str = "draft") -> Vote:
    topic = Topic.objects.create(title=f"议题{factories.seq()}", area=street.area_a, grid=street.grid_a1)
    start = timezone.now()
    return Vote.objects.create(topic=topic, title="停车收费标准表决", area=street.area_a, scope=VoteScope.GRID,
                               grid=street.grid_a1, opens_at=start, closes_at=start + timedelta(days=3), state=state)


def convention_subject(street, state: str = "draft") -> ResidentConvention:
    topic = Topic.objects.create(title=f"议题{factories.seq()}", area=street.area_a)
    made = ResidentConvention.objects.create(title="居民公约", topic=topic, area=street.area_a, state=state)
    ConventionVersion.objects.create(convention=made, number=1, text="一、爱护公共环境。")
    return made


def excel_rows(street) -> None:
    """One row of each of the votes part's Excel lists (a closed vote, a signature), for tests/core/test_excel.py."""
    world = estates(street, homes_per_building=1)
    convention = services.create_convention(world.topic, actor=SYSTEM, title="梧桐花园居民公约", text="一、文明停车。")
    ballot = vote(world.topic, state="open", days_ago=10, closes_at=timezone.now() - timedelta(days=2),
                  convention_version=convention.latest_version())
    for home in world.homes_a:
        services.cast_ballot(ballot, actor=SYSTEM, option="yes", household=home, now=ballot.opens_at)
    services.close_vote(ballot, actor=SYSTEM)
    services.adopt_convention(convention, actor=SYSTEM, vote=ballot, effective_on=timezone.localdate())
    services.sign_convention(convention, actor=SYSTEM, household=world.homes_a[0])


SUBJECTS: dict = {
    "deliberation.Vote": vote_subject,
    "deliberation.ResidentConvention": convention_subject,
}

