"""Demo organization life: the awards part."""


def seed(ctx) -> None:
    pass
