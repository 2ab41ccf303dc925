"""Authorization-test fixtures of the votes part (see gongzhi.core.authz and gongzhi.deliberation.authz)."""


def build(world) -> dict:
    return {}
