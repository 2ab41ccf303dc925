"""Demo doorstep services: each part's seeder in order (the catalogue first: the 1+16 places offer its items, cases
and appointments are for them)."""

from importlib import import_module

from gongzhi.services.apps import PARTS


def seed(ctx) -> None:
    for part in PARTS:
        import_module(f"gongzhi.demo.services.{part}").seed(ctx)
