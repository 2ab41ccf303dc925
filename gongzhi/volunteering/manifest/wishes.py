"""The wishes part's share of the volunteering manifest (see gongzhi.volunteering.apps)."""

NAV: tuple = ()
USER_MENU: tuple = ()
CARDS: tuple = ()
EXCEL_LISTS: tuple = ()
AUTHZ: dict = {}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ()
WORKFLOWS: tuple = ()
MEDIA: tuple = ()
