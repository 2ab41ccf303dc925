"""Authorization-test fixtures of organization life: each part's `build(world)`, in order, sharing what earlier
parts made."""

from gongzhi.orglife.apps import parts


def build(world) -> dict:
    return parts.build_authz(world)
