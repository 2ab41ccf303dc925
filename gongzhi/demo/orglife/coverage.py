"""Demo organization life: the coverage part."""


def seed(ctx) -> None:
    pass
