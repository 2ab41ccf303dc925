"""Authorization-test fixtures of the cases part (see gongzhi.core.authz), written through the cases services: at
the registry's station of area A (``place_a``), a case forwarded to the back office (``service_case_a``) and one
missing materials (``service_case_incomplete_a``); in each zone the same at the zone's station, every text
carrying the zone's mark (the applicant, notes and results privately: no public page may show them), with a
remote session.

The item is the catalogue part's (the first `ServiceItem` it built); until that part is in, a city-wide item is
added through the registry's generic import."""

from __future__ import annotations

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.services.models import ServiceCategory, ServiceItem, ServiceMaterial
from gongzhi.services.services import cases as services
from gongzhi.services.workflow import CaseAction

PHONE = "13700000001"


def _item(world) -> ServiceItem:
    found = next((o for o in world.objects.values() if isinstance(o, ServiceItem)), None)
    found = found or ServiceItem.objects.filter(active=True).order_by("code").first()
    if found is not None and found.materials.filter(required=True).exists():
        return found
    from gongzhi.registry.services import import_records

    category = import_records([ServiceCategory(code="authz-cases", name="社会保障")], actor=SYSTEM)[0]
    item = import_records([ServiceItem(code="authz-case-item", name="居民医保参保登记", category=category,
                                       time_limit_days=5)], actor=SYSTEM)[0]
    import_records([ServiceMaterial(item=item, name="身份证", position=0),
                    ServiceMaterial(item=item, name="户口簿", position=1)], actor=SYSTEM)
    return item


def _cases(place, item, *, name: str, note: str, back_office: str, outcome: str) -> tuple:
    every = list(item.materials.values_list("pk", flat=True))
    forwarded, _missing = services.open_case(place, actor=SYSTEM, item=item, applicant_name=name,
                                             applicant_phone=PHONE, provided=every, note=note)
    forwarded = services.act_on_case(forwarded, CaseAction.FORWARD, actor=SYSTEM, back_office=back_office,
                                     note=note)
    services.log_remote_session(forwarded, actor=SYSTEM, kind="video", duration_minutes=12, outcome=outcome)
    incomplete, _missing = services.open_case(place, actor=SYSTEM, item=item, applicant_name=name,
                                              applicant_phone=PHONE, provided=[], note=note)
    return forwarded, incomplete


def build(world) -> dict:
    item = _item(world)
    forwarded, incomplete = _cases(world["place_a"], item, name="王阿姨", note="材料已核对",
                                   back_office="区社保中心", outcome="视频指导打印账单")
    made = {"service_case_a": forwarded, "service_case_incomplete_a": incomplete}
    for zone in ZONES:
        def mark(label, private=True, zone=zone):
            return world.mark(zone, label, private)

        forwarded, incomplete = _cases(world[f"place_a@{zone}"], item, name=mark("申请人")[:40], note=mark("备注"),
                                       back_office=mark("后台", private=False)[:80], outcome=mark("结果"))
        made[f"service_case_a@{zone}"] = forwarded
        made[f"service_case_incomplete_a@{zone}"] = incomplete
    return made
