"""Authorization-test fixtures of joint building: each part's `build(world)`, in order, sharing what earlier parts
made (the sessions part finds the platforms part's platform in `world`)."""

from gongzhi.joint.apps import parts


def build(world) -> dict:
    return parts.build_authz(world)
