"""Deliberation (议事协商) models, one module per part of the app; everything is importable from here."""

from gongzhi.deliberation.models.grid import *  # noqa: F401,F403
from gongzhi.deliberation.models.topics import *  # noqa: F401,F403
from gongzhi.deliberation.models.votes import *  # noqa
