"""Demo doorstep services: each part's seeder in order (the catalogue first: the 1+16 places offer its items, cases
and appointments are for them)."""

from gongzhi.services.apps import parts


def seed(ctx) -> None:
    parts.seed(ctx)
