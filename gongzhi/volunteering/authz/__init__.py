"""Authorization-test fixtures of volunteering: each part's `build(world)`, in order, sharing what earlier
parts made (later parts find the volunteers part's volunteer in `world`)."""

from importlib import import_module

from gongzhi.volunteering.apps import PARTS


def build(world) -> dict:
    made: dict = {}
    for part in PARTS:
        result = import_module(f"gongzhi.volunteering.authz.{part}").build(world)
        for name, obj in result.items():  # for the parts after this one
            world.objects[name] = obj
        made.update(result)
    return made
