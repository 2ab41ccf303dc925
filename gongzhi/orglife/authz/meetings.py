"""Authorization-test fixtures of the meetings part (see gongzhi.orglife.authz)."""


def build(world) -> dict:
    return {}
