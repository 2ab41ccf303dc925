"""Authorization-test fixtures of the volunteers part (see gongzhi.volunteering.authz)."""


def build(world) -> dict:
    return {}
