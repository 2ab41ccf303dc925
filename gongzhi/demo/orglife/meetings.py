"""Demo organization life: the meetings part."""


def seed(ctx) -> None:
    pass
