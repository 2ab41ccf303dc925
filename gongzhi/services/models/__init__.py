"""Doorstep-services models, one module per part of the app; everything is importable from here."""

from gongzhi.services.models.appointments import *  # noqa: F401,F403
from gongzhi.services.models.cases import *  # noqa: F401,F403
from gongzhi.services.models.catalogue import *  # noqa: F401,F403
from gongzhi.services.models.load import *  # noqa: F401,F403
from gongzhi.services.models.offers import *  # noqa: F401,F403
