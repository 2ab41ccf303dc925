"""Demo volunteering: each part's seeder in order (the volunteers first: activities, wishes and pairings
use them)."""

from importlib import import_module

from gongzhi.volunteering.apps import PARTS


def seed(ctx) -> None:
    for part in PARTS:
        import_module(f"gongzhi.demo.volunteering.{part}").seed(ctx)
