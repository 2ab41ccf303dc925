"""Demo deliberation: each part's seeder in order (topics first: the others point at its topics and meetings)."""

from importlib import import_module

from gongzhi.deliberation.apps import PARTS


def seed(ctx) -> None:
    for part in PARTS:
        import_module(f"gongzhi.demo.deliberation.{part}").seed(ctx)
