"""Authorization-test fixtures of the awards part (see gongzhi.orglife.authz)."""


def build(world) -> dict:
    return {}
