"""Authorization-test fixtures of deliberation: each part's `build(world)`, in order, sharing what earlier parts
made (a later part finds the topic of the topics part in `world`)."""

from gongzhi.deliberation.apps import parts


def build(world) -> dict:
    return parts.build_authz(world)
