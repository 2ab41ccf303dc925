"""Demo volunteering: the wishes part."""


def seed(ctx) -> None:
    pass
