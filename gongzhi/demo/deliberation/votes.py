"""Demo data of the votes part of deliberation."""


def seed(ctx) -> None:
    return None
