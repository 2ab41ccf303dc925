"""Demo volunteering: the activities part."""


def seed(ctx) -> None:
    pass
