"""Demo joint building: each part's seeder in order (platforms first: sessions sit on them, agreements and the
district campaigns hang from them)."""

from importlib import import_module

from gongzhi.joint.apps import PARTS


def seed(ctx) -> None:
    for part in PARTS:
        import_module(f"gongzhi.demo.joint.{part}").seed(ctx)
