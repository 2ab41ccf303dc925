"""Authorization-test fixtures of the awards part (see gongzhi.core.authz): a round of the sub-district's 金银奖
under review ``round_a`` with the entry of area A's organization ``entry_a`` (one indicator and one self-assessed
criterion, evidence given), and a draft round ``draft_round_a`` of the same scheme with the same entry. In each
zone a round of a scheme of the zone's sub-district (zones a and b: the personas' own; x: another) whose one entry is
the zone's marked organization, with a marked name, statement and score comment; no zone round is published (the
honour roll is public)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gongzhi.core.authz import ZONES
from gongzhi.orglife.models import (
    AwardEntry,
    AwardRound,
    AwardScheme,
    AwardTier,
    Criterion,
    CriterionSource,
    Evidence,
    Indicator,
    SchemeKind,
)
from gongzhi.orglife.workflow import RoundState


def _round(region, *, code: str, name: str, org, state: str, statement: str, number: int = 7):
    scheme = AwardScheme.objects.filter(code=code).first() or AwardScheme.objects.create(
        code=code, name=name + "金银奖", kind=SchemeKind.GOLD_SILVER, region=region)
    year = timezone.localdate().year - 1
    r = AwardRound.objects.create(scheme=scheme, number=number, name=name, period_start=dt.date(year, 1, 1),
                                  period_end=dt.date(year, 12, 31), state=state)
    Criterion.objects.create(round=r, name="诉求按时办结", weight=60, source=CriterionSource.INDICATOR,
                             indicator=Indicator.DEMANDS_ON_TIME, target=Decimal("0.95"), order=1)
    self_c = Criterion.objects.create(round=r, name="党员四先", weight=40, source=CriterionSource.SELF, order=2)
    AwardTier.objects.create(round=r, name="金奖", min_score=Decimal(80))
    entry = AwardEntry.objects.create(round=r, org=org)
    Evidence.objects.create(entry=entry, criterion=self_c, statement=statement)
    return r, entry


def build(world) -> dict:
    r, entry = _round(world["subdistrict"], code="AW-A", name="第七轮评选", org=world["org_a"],
                      state=RoundState.REVIEWING, statement="四先记录")
    draft, _e = _round(world["subdistrict"], code="AW-A", name="第八轮评选", org=world["org_a"],
                       state=RoundState.DRAFT, statement="四先记录", number=8)
    made = {"round_a": r, "entry_a": entry, "draft_round_a": draft}
    for zone in ZONES:
        region = world["subdistrict@x"] if zone == "x" else world["subdistrict"]
        zr, ze = _round(region, code=world.code(zone, "AW"), name=world.mark(zone, "评选"), org=world[f"org_a@{zone}"],
                        state=RoundState.REVIEWING, statement=world.mark(zone, "自评"))
        made[f"round_a@{zone}"], made[f"entry_a@{zone}"] = zr, ze
        made[f"draft_round_a@{zone}"] = zr
    return made
