"""Funds models, one module per part of the app; everything is importable from here."""

from gongzhi.funds.models.calls import *  # noqa: F401,F403
from gongzhi.funds.models.delivery import *  # noqa: F401,F403
from gongzhi.funds.models.donations import *  # noqa: F401,F403
from gongzhi.funds.models.ledger import *  # noqa: F401,F403
