"""Demo data of the funds ledger part, written through its services:

* an autonomy fund (自治金) for every residential area, last year and this year, each with its allocation from
  the sub-district budget (¥150,000–¥200,000, varied) and, for some, a top-up later in the year;
* the sub-district's community foundation (社区公益基金会, 003) with donations from a few member units;
* the foundation's charity night (003: 16 auction lots raising ¥49,028.10 in all) and ¥50,000 from a member unit
  standing for the art museum, which together set up an art-education special fund under the foundation.

What the calls part needs is left in ``ctx.extra["funds"]``: ``{"autonomy": {(area_pk, year): fund},
"foundation": fund, "special": fund}``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.funds.models import DonorKind, FundKind
from gongzhi.funds.services import donations as services
from gongzhi.registry.models import MemberUnit, MemberUnitKind

CHARITY_NIGHT_TOTAL = Decimal("49028.10")
# 16 lots given by caring firms and people (003); the last one's price makes the night's total exact.
LOTS = (
    ("手工“阳光钻石果盘”", "阳光基地学员"), ("百岁老人书法作品", "敬老院百岁老人"), ("江景油画《渡口》", "社区画家"),
    ("紫砂茶具一套", "爱心企业"), ("篆刻闲章", "书法协会"), ("刺绣团扇", "社区巧手坊"), ("儿童画集", "社区幼儿园"),
    ("青花瓷瓶", "爱心企业"), ("摄影作品《老弄堂》", "摄影爱好者"), ("剪纸长卷", "非遗传承人"), ("红木镇纸", "爱心企业"),
    ("国画《春江》", "社区画家"), ("手作皮具", "白领志愿者"), ("定制钢笔", "爱心企业"), ("葫芦烙画", "非遗传承人"),
    ("沙画作品", "青年志愿者"),
)
FOUNDATION_DONORS = 4


def _day(year: int, month: int, day: int, today: date) -> date:
    return min(date(year, month, day), today)


def _lot_prices(rng) -> list[Decimal]:
    """16 prices (whole yuan but one) adding up to exactly ¥49,028.10."""
    prices = [Decimal(rng.randrange(1200, 3600, 50)) for _lot in LOTS[:-1]]
    prices.append(CHARITY_NIGHT_TOTAL - sum(prices))
    return prices


def _museum(ctx) -> MemberUnit:
    """The art museum that gave ¥50,000: a public institution among the street's member units."""
    found = [u for u in ctx.units if "美术" in u.name or "博物" in u.name]
    found = found or [u for u in ctx.units if u.kind == MemberUnitKind.PUBLIC_INSTITUTION] or list(ctx.units)
    return found[0]


def seed(ctx) -> None:
    rng = ctx.rng
    today = timezone.localdate()
    this_year = today.year
    autonomy: dict = {}
    for area in ctx.areas:
        for year in (this_year - 1, this_year):
            fund = services.open_fund(actor=SYSTEM, name=f"{area.name}{year}年自治金", kind=FundKind.AUTONOMY,
                                      region=area, year=year, purpose="居民区自治项目经费，按项目拨付。")
            amount = Decimal(rng.randrange(150000, 200001, 500))
            services.allocate(fund, actor=SYSTEM, amount=amount, occurred_on=_day(year, 1, 15, today),
                              note=f"{year}年度自治金下拨", receipt_no=f"JD-{year}-{area.pk:03d}")
            if year < this_year and rng.random() < 0.3:
                services.allocate(fund, actor=SYSTEM, amount=Decimal(rng.randrange(10000, 30001, 1000)),
                                  occurred_on=date(year, 7, 1), note="年中追加")
            autonomy[(area.pk, year)] = fund

    foundation = services.open_fund(actor=SYSTEM, name=f"{ctx.subdistrict.name}社区公益基金会",
                                     kind=FundKind.FOUNDATION, region=ctx.subdistrict,
                                     purpose="汇聚爱心企业与居民的善款，支持社区公益与自治项目。")
    donors = [u for u in ctx.units if u.kind == MemberUnitKind.ENTERPRISE][:FOUNDATION_DONORS] or ctx.units[:4]
    for i, unit in enumerate(donors):
        services.record_donation(foundation, actor=SYSTEM, donor_kind=DonorKind.UNIT, donor_unit=unit,
                                 amount=Decimal(rng.randrange(10000, 60001, 1000)),
                                 donated_on=_day(this_year - 1, 3 + i * 2, 10, today), purpose="社区公益",
                                 receipt_no=f"JJH-{this_year - 1}-{i + 1:03d}")

    special = services.open_fund(actor=SYSTEM, name="美术教育专项基金", kind=FundKind.SPECIAL, parent=foundation,
                                 purpose="让艺术走进社区：把美术馆的艺术教育资源带给居民。")
    night = _day(this_year - 1, 11, 29, today)
    event = services.create_charity_event(special, actor=SYSTEM, name=f"{this_year - 1}社区慈善之夜", held_on=night,
                                          place="社区美术馆", note="慈善拍卖与公益市集，拍品均由爱心企业或个人捐赠。")
    buyers = [u for u in ctx.units if u not in donors][:6]
    for i, ((title, giver), price) in enumerate(zip(LOTS, _lot_prices(rng), strict=True)):
        lot = services.add_lot(event, actor=SYSTEM, title=title, donated_by=giver)
        buyer = {"buyer_unit": buyers[i % len(buyers)]} if buyers and i % 3 == 0 else {"buyer_name": ctx.names.name()}
        services.sell_lot(lot, actor=SYSTEM, price=price, sold_on=night, receipt_no=f"CS-{i + 1:02d}", **buyer)
    services.record_donation(special, actor=SYSTEM, donor_kind=DonorKind.UNIT, donor_unit=_museum(ctx),
                             amount=Decimal("50000"), donated_on=night, purpose="设立美术教育专项基金",
                             receipt_no=f"JJH-{this_year - 1}-MS")
    ctx.extra["funds"] = {"autonomy": autonomy, "foundation": foundation, "special": special}
