"""Joint-building models, one module per part of the app; everything is importable from here."""

from gongzhi.joint.models.agreements import *  # noqa: F401,F403
from gongzhi.joint.models.district import *  # noqa: F401,F403
from gongzhi.joint.models.enterprise import *  # noqa: F401,F403
from gongzhi.joint.models.platforms import *  # noqa: F401,F403
from gongzhi.joint.models.posts import *  # noqa: F401,F403
from gongzhi.joint.models.sessions import *  # noqa: F401,F403
