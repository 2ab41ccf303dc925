"""Authorization-test fixtures of the funds ledger part (see gongzhi.core.authz), written through the services:

* in scope: ``fund_a``, area A's autonomy fund of this year (allocated, with a donation); ``foundation``, the
  sub-district's community foundation every area's staff see (with a unit's donation), its ``charity_event`` with
  a sold lot and an unsold ``charity_lot``;
* out of scope, every text carrying its zone's mark: ``fund_a@a`` (area A's fund of last year), ``fund_a@b``
  (area B's fund) with a charity event and lots, and in the other sub-district ``foundation@x`` with a special fund,
  donations and a charity event. Donors' and buyers' names are private marks (masked everywhere anyway).
"""

from datetime import timedelta

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.funds.models import DonorKind, FundKind
from gongzhi.funds.services import donations as services


def _money(fund, mark, *, unit=None, event: bool = False) -> dict:
    """An allocation, a person's donation, and (with `event`) a charity event with a sold and an unsold lot."""
    day = timezone.localdate() - timedelta(days=10)
    services.allocate(fund, actor=SYSTEM, amount="150000", occurred_on=day, note=mark("街道下拨"),
                      receipt_no=mark("BO")[:60])
    services.record_donation(fund, actor=SYSTEM, donor_kind=DonorKind.PERSON, amount="500", donated_on=day,
                             donor_name=mark("捐赠人", private=True)[:40], donor_phone="13900001111",
                             purpose=mark("助老"), receipt_no=mark("DR")[:60])
    if unit is not None:
        services.record_donation(fund, actor=SYSTEM, donor_kind=DonorKind.UNIT, donor_unit=unit, amount="20000",
                                 donated_on=day, purpose=mark("共建捐赠"))
    made = {}
    if event:
        charity = services.create_charity_event(fund, actor=SYSTEM, name=mark("慈善夜"), held_on=day,
                                                place=mark("社区中心"), note=mark("义拍"))
        sold = services.add_lot(charity, actor=SYSTEM, title=mark("书画"), donated_by=mark("书画家"))
        services.sell_lot(sold, actor=SYSTEM, price="1200.50", buyer_name=mark("买家", private=True)[:40])
        made = {"charity_event": charity,
                "charity_lot": services.add_lot(charity, actor=SYSTEM, title=mark("茶具"), donated_by=mark("茶社"))}
    return made


def build(world) -> dict:
    year = timezone.localdate().year
    fund_a = services.open_fund(actor=SYSTEM, name=f"梧桐居民区{year}年自治金", kind=FundKind.AUTONOMY,
                                region=world["area_a"], year=year, purpose="居民自治项目")
    _money(fund_a, lambda label, private=False: label)
    foundation = services.open_fund(actor=SYSTEM, name="示范街道社区基金会", kind=FundKind.FOUNDATION,
                                    region=world["subdistrict"])
    made = {"fund_a": fund_a, "foundation": foundation}
    made |= _money(foundation, lambda label, private=False: label, unit=world["unit_a"], event=True)
    for zone in ("a", "b"):
        def mark(label, private=False, zone=zone):
            return world.mark(zone, label, private=private)

        fund = services.open_fund(actor=SYSTEM, name=mark("自治金"), kind=FundKind.AUTONOMY, region=world.area(zone),
                                  year=year - 1 if zone == "a" else year, purpose=mark("用途"))
        made[f"fund_a@{zone}"] = fund
        made |= {f"{k}@{zone}": v for k, v in _money(fund, mark, event=zone == "b").items()}

    def mark_x(label, private=False):
        return world.mark("x", label, private=private)

    foundation_x = services.open_fund(actor=SYSTEM, name=mark_x("基金会"), kind=FundKind.FOUNDATION,
                                      region=world.subdistrict("x"), purpose=mark_x("用途"))
    special_x = services.open_fund(actor=SYSTEM, name=mark_x("专项基金"), kind=FundKind.SPECIAL, parent=foundation_x,
                                   purpose=mark_x("用途"))
    fund_x = services.open_fund(actor=SYSTEM, name=mark_x("自治金"), kind=FundKind.AUTONOMY, region=world.area("x"),
                                year=year)
    made |= {"foundation@x": foundation_x, "fund_a@x": fund_x}
    made |= {f"{k}@x": v for k, v in _money(foundation_x, mark_x, event=True).items()}
    _money(special_x, mark_x)
    _money(fund_x, mark_x)
    return made
