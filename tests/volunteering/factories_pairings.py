"""Factories of the pairings part on the factories' street: pairings of any kind (through the service, as SYSTEM),
households in hardship, contacts, a cohort with the default checklist."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.registry.models import Household
from gongzhi.volunteering.models import ContactKind, PairingKind
from gongzhi.volunteering.services import pairings as services
from gongzhi.volunteering.workflow import PairingState
from tests import factories
from tests.volunteering import factories as vf


def household(building, hardship: bool = True, **kw) -> Household:
    return Household.objects.create(building=building, room=kw.pop("room", f"{factories.seq()}"),
                                    head_name=kw.pop("head_name", f"住户{factories.seq()}"), hardship=hardship, **kw)


def shop_pairing(street, member=None, *, name: str | None = None, days_ago: int = 0, region=None):
    return services.pair(actor=SYSTEM, kind=PairingKind.MEMBER_SHOP, region=region or street.area_a,
                         member=member or street.member_a, shop_name=name or f"商户{factories.seq()}",
                         shop_address="豫园路1号", started_on=timezone.localdate() - timedelta(days=days_ago))


def youth_pairing(street, member=None, volunteer=None, *, days_ago: int = 0):
    return services.pair(actor=SYSTEM, kind=PairingKind.YOUTH, region=street.area_a, member=member or street.member_a,
                         volunteer=volunteer or vf.volunteer(street.area_a),
                         started_on=timezone.localdate() - timedelta(days=days_ago))


def unit_pairing(street, unit=None, *, days_ago: int = 0):
    return services.pair(actor=SYSTEM, kind=PairingKind.UNIT_HOUSEHOLD, region=street.area_a, unit=unit or street.unit_a,
                         household=household(street.building_a1),
                         started_on=timezone.localdate() - timedelta(days=days_ago))


def contact(pairing, days_ago: int = 0, kind: str = ContactKind.VISIT):
    return services.record_contact(pairing, actor=SYSTEM, contacted_on=timezone.localdate() - timedelta(days=days_ago),
                                   kind=kind, note="走访")


def pairing_in(street, state: str):
    made = shop_pairing(street)
    if state == PairingState.ENDED:
        made = services.end_pairing(made, actor=SYSTEM, reason="商户歇业")
    return made


def cohort(street, **kw):
    today = timezone.localdate()
    return services.create_cohort(street.subdistrict, actor=SYSTEM, name=kw.pop("name", "V.I.P 青年孵化营"),
                                  starts_on=today - timedelta(days=60), ends_on=today + timedelta(days=60),
                                  organiser="楼宇青年联盟", **kw)


def excel_rows(street):
    """One row of each of the part's Excel lists (tests/core/test_excel.py): a shop pairing with a contact, and a
    cohort participant with progress."""
    made = shop_pairing(street, days_ago=3)
    contact(made, days_ago=1)
    group = cohort(street)
    part = services.add_participant(group, actor=SYSTEM, name="小陈", phone="13912340000", workplace="滨江大厦")
    services.record_progress(part, group.requirements.first(), actor=SYSTEM, done_on=timezone.localdate())
    return made, group
