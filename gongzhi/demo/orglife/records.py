"""Demo organization life: the records part."""


def seed(ctx) -> None:
    pass
