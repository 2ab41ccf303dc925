"""Authorization-test fixtures of funds: each part's `build(world)`, in order, sharing what earlier parts made (the
calls part finds the ledger part's fund in `world`)."""

from gongzhi.funds.apps import parts


def build(world) -> dict:
    return parts.build_authz(world)
