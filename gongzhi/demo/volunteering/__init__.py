"""Demo volunteering: each part's seeder in order (the volunteers first: activities, wishes and pairings
use them)."""

from gongzhi.volunteering.apps import parts


def seed(ctx) -> None:
    parts.seed(ctx)
