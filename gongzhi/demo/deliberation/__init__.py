"""Demo deliberation: each part's seeder in order (topics first: the others point at its topics and meetings)."""

from gongzhi.deliberation.apps import parts


def seed(ctx) -> None:
    parts.seed(ctx)
