"""Authorization-test fixtures of volunteering: each part's `build(world)`, in order, sharing what earlier
parts made (later parts find the volunteers part's volunteer in `world`)."""

from gongzhi.volunteering.apps import parts


def build(world) -> dict:
    return parts.build_authz(world)
