"""Demo data of the grid part of deliberation."""


def seed(ctx) -> None:
    return None
