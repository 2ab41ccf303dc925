"""The votes part's share of the deliberation manifest (see gongzhi.deliberation.apps)."""

from gongzhi.accounts.roles import Capability as C  # noqa: F401
from gongzhi.core.authz import ADMIN_ONLY, API_IN_A, API_LIST, AREA_A, IN_A, POST_ONLY  # noqa: F401
from gongzhi.core.modules import AuthzCase, Card, NavEntry  # noqa: F401

NAV: tuple = ()
USER_MENU: tuple = ()
CARDS: tuple = ()
EXCEL_LISTS: tuple = ()
AUTHZ: dict = {}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ()
WORKFLOWS: tuple = ()
MEDIA: tuple = ()
