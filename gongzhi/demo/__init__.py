"""The demo street: `gongzhi demo` seeds a realistic, invented sub-district, deterministically.

Seeding runs the steps in SEED_STEPS in order, in one transaction, each called with the same SeedContext.
A later module adds its own step by appending its dotted path here (e.g. "gongzhi.demands.demo.seed");
a step reads what earlier steps made from the context (regions, units, members, users …) and uses ctx.rng
for every random choice, so the whole street stays reproducible.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string

SEED = 2026
SEED_STEPS: list[str] = [
    "gongzhi.demo.registry.seed",
    "gongzhi.demo.open311.seed",
    "gongzhi.demo.matching.seed",
    "gongzhi.demo.demands.seed",
]


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
    """Run every seed step in one transaction and return the context (with per-step timings)."""
    ctx = SeedContext(rng=random.Random(SEED))
    with transaction.atomic():
        for dotted in steps or SEED_STEPS:
            started = time.perf_counter()
            import_string(dotted)(ctx)
            ctx.timings[dotted] = time.perf_counter() - started
    return ctx
