"""The demo street: `gongzhi demo` seeds a realistic, invented sub-district, deterministically.

Seeding runs each module's demo seeder (its manifest's `demo_seeder`, in `demo_order`) in one transaction, each
called with the same SeedContext. A later module adds its own step in its own manifest; a step reads what earlier steps made from the context (regions, units, members, users …) and uses ctx.rng
for every random choice, so the whole street stays reproducible.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

SEED = 2026


@dataclass
class SeedContext:
    rng: random.Random
    district: Any = None
    subdistrict: Any = None
    areas: list = field(default_factory=list)  # residential areas, in order
    grids: list = field(default_factory=list)  # all micro-grids, area by area
    grids_by_area: dict = field(default_factory=dict)  # area pk -> [grid, …]
    buildings: list = field(default_factory=list)  # residential buildings (楼栋)
    towers: list = field(default_factory=list)  # office towers (楼宇)
    units: list = field(default_factory=list)  # member units (共建单位)
    orgs: dict = field(default_factory=dict)  # party org code -> PartyOrg
    members: list = field(default_factory=list)  # party members
    liaisons: list = field(default_factory=list)
    service_places: list = field(default_factory=list)
    users: dict = field(default_factory=dict)  # demo username -> User
    extra: dict = field(default_factory=dict)  # free room for later steps
    timings: dict = field(default_factory=dict)  # step -> seconds

    @property
    def names(self):
        if "names" not in self.extra:
            from gongzhi.demo.names import Names

            self.extra["names"] = Names(self.rng)
        return self.extra["names"]


def run_seed(steps: list[str] | None = None) -> SeedContext:
    """Run the modules' demo seeders (or only the app labels in `steps`) in one transaction and return the
    context (with per-step timings)."""
    from gongzhi.core.modules import demo_seeders

    ctx = SeedContext(rng=random.Random(SEED))
    with transaction.atomic():
        for label, seeder in demo_seeders():
            if steps is not None and label not in steps:
                continue
            started = time.perf_counter()
            seeder(ctx)
            ctx.timings[label] = time.perf_counter() - started
    return ctx
