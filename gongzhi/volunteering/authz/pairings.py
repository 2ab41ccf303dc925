"""Authorization-test fixtures of the pairings part (see gongzhi.volunteering.authz)."""


def build(world) -> dict:
    return {}
