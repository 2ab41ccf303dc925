"""Demo volunteering: the volunteers part."""


def seed(ctx) -> None:
    pass
