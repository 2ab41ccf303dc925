"""Authorization-test fixtures of doorstep services: each part's `build(world)`, in order, sharing what earlier
parts made (later parts find the catalogue part's item in `world`)."""

from importlib import import_module

from gongzhi.services.apps import PARTS


def build(world) -> dict:
    made: dict = {}
    for part in PARTS:
        result = import_module(f"gongzhi.services.authz.{part}").build(world)
        for name, obj in result.items():  # for the parts after this one
            world.objects[name] = obj
        made.update(result)
    return made
