"""Authorization-test fixtures of the wishes part (see gongzhi.volunteering.authz)."""


def build(world) -> dict:
    return {}
