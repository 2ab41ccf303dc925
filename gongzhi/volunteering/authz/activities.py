"""Authorization-test fixtures of the activities part (see gongzhi.volunteering.authz)."""


def build(world) -> dict:
    return {}
