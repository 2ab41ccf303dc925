"""Authorization-test fixtures of the councils part (see gongzhi.core.authz and gongzhi.deliberation.authz)."""


def build(world) -> dict:
    return {}
