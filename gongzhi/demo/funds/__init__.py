"""Demo funds: each part's seeder in order (the ledger first: calls grant from its funds, delivery spends the
grants)."""

from importlib import import_module

from gongzhi.funds.apps import PARTS


def seed(ctx) -> None:
    for part in PARTS:
        import_module(f"gongzhi.demo.funds.{part}").seed(ctx)
