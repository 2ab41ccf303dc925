"""Demo volunteering: the pairings part."""


def seed(ctx) -> None:
    pass
