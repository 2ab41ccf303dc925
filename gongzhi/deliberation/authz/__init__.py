"""Authorization-test fixtures of deliberation: each part's `build(world)`, in order, sharing what earlier parts
made (a later part finds the topic of the topics part in `world`)."""

from importlib import import_module

from gongzhi.deliberation.apps import PARTS


def build(world) -> dict:
    made: dict = {}
    for part in PARTS:
        result = import_module(f"gongzhi.deliberation.authz.{part}").build(world)
        for name, obj in result.items():  # for the parts after this one
            world.objects[name] = obj
        made.update(result)
    return made
