"""The records part's share of the orglife manifest (see gongzhi.orglife.apps)."""

NAV: tuple = ()
USER_MENU: tuple = ()
CARDS: tuple = ()
EXCEL_LISTS: tuple = ()
AUTHZ: dict = {}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ()
WORKFLOWS: tuple = ()
MEDIA: tuple = ()
