"""Demo organization life: each part's seeder in order."""

from gongzhi.orglife.apps import parts


def seed(ctx) -> None:
    parts.seed(ctx)
