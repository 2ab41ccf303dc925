"""Authorization-test fixtures of doorstep services: each part's `build(world)`, in order, sharing what earlier
parts made (later parts find the catalogue part's item in `world`)."""

from gongzhi.services.apps import parts


def build(world) -> dict:
    return parts.build_authz(world)
