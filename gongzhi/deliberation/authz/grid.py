"""Authorization-test fixtures of the grid part (see gongzhi.core.authz and gongzhi.deliberation.authz)."""


def build(world) -> dict:
    return {}
