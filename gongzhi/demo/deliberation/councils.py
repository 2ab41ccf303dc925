"""Demo data of the councils part of deliberation."""


def seed(ctx) -> None:
    return None
