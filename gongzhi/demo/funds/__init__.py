"""Demo funds: each part's seeder in order (the ledger first: calls grant from its funds, delivery spends the
grants)."""

from gongzhi.funds.apps import parts


def seed(ctx) -> None:
    parts.seed(ctx)
