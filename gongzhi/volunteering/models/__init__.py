"""Volunteering models, one module per part of the app; everything is importable from here."""

from gongzhi.volunteering.models.activities import *  # noqa: F401,F403
from gongzhi.volunteering.models.pairings import *  # noqa: F401,F403
from gongzhi.volunteering.models.volunteers import *  # noqa: F401,F403
from gongzhi.volunteering.models.wishes import *  # noqa: F401,F403
