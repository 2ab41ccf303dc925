"""Authorization-test fixtures of joint building: each part's `build(world)`, in order, sharing what earlier parts
made (the sessions part finds the platforms part's platform in `world`)."""

from importlib import import_module

from gongzhi.joint.apps import PARTS


def build(world) -> dict:
    made: dict = {}
    for part in PARTS:
        result = import_module(f"gongzhi.joint.authz.{part}").build(world)
        for name, obj in result.items():  # for the parts after this one
            world.objects[name] = obj
        made.update(result)
    return made
