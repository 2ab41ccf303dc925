"""Authorization-test fixtures of the wishes part (see gongzhi.core.authz and gongzhi.volunteering.authz), written
through the wish services: the matrix's open wish of area A (`wish_a`), and in each zone a wish waiting for
approval whose every text carries the zone's mark (the beneficiary's name and phone, the description's private
detail and the timeline note private). A waiting wish is on no public board: only the staff of its area see it."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.volunteering.services import wishes as services


def build(world) -> dict:
    wanted = timezone.localdate() + timedelta(days=30)
    wish = services.post_wish(actor=SYSTEM, region=world["area_a"], title="给孩子买一个新书包",
                              description="三年级学生，旧书包已经破损", hardship="child", value=Decimal("120.00"),
                              wanted_by=wanted, beneficiary_name="张小明", beneficiary_phone="13800138000",
                              notify=False)
    made = {"wish_a": services.approve_wish(wish, actor=SYSTEM, note="情况属实")}
    for zone in ZONES:
        def mark(label, private=False, zone=zone):
            return world.mark(zone, label, private=private)

        made[f"wish_a@{zone}"] = services.post_wish(
            actor=SYSTEM, region=world.area(zone), title=mark("心愿")[:120], description=mark("说明"),
            hardship="elderly_alone", value=Decimal("80.00"), wanted_by=wanted,
            beneficiary_name=mark("受助人", private=True)[:40], beneficiary_phone="13900139000", notify=False)
    return made
