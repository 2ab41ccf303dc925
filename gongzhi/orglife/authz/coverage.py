"""Authorization-test fixtures of the coverage part (see gongzhi.orglife.authz)."""


def build(world) -> dict:
    return {}
