"""Organization-life models, one module per part of the app; everything is importable from here."""

from gongzhi.orglife.models.awards import *  # noqa: F401,F403
from gongzhi.orglife.models.coverage import *  # noqa: F401,F403
from gongzhi.orglife.models.meetings import *  # noqa: F401,F403
from gongzhi.orglife.models.records import *  # noqa: F401,F403
