"""Authorization-test fixtures of the load part (see gongzhi.core.authz), written through the load services: a
day's health-cabin tallies at the registry's place of area A (``place_a``, the matrix's target) and at each zone's
place (``place_a@<zone>``, whose name carries the zone's mark: the load and cabin pages must never list it to a
persona outside that zone)."""

from datetime import timedelta

from django.utils import timezone

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.services.services.load import record_tallies


def build(world) -> dict:
    yesterday = timezone.localdate() - timedelta(days=1)
    for name in ["place_a", *(f"place_a@{zone}" for zone in ZONES)]:
        record_tallies(world[name], actor=SYSTEM, day=yesterday, counts={"blood_pressure": 12, "blood_sugar": 4})
    return {}  # the targets are the registry's places
