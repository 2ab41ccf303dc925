"""Demo data of the topics part of deliberation."""


def seed(ctx) -> None:
    return None
