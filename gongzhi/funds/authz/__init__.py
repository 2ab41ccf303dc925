"""Authorization-test fixtures of funds: each part's `build(world)`, in order, sharing what earlier parts made (the
calls part finds the ledger part's fund in `world`)."""

from importlib import import_module

from gongzhi.funds.apps import PARTS


def build(world) -> dict:
    made: dict = {}
    for part in PARTS:
        result = import_module(f"gongzhi.funds.authz.{part}").build(world)
        for name, obj in result.items():  # for the parts after this one
            world.objects[name] = obj
        made.update(result)
    return made
