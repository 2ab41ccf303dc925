"""Authorization-test fixtures of the records part (see gongzhi.orglife.authz)."""


def build(world) -> dict:
    return {}
