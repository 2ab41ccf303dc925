"""Demo joint building: each part's seeder in order (platforms first: sessions sit on them, agreements and the
district campaigns hang from them)."""

from gongzhi.joint.apps import parts


def seed(ctx) -> None:
    parts.seed(ctx)
