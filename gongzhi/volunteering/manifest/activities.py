"""The activities part's share of the volunteering manifest (see gongzhi.volunteering.apps)."""

NAV: tuple = ()
USER_MENU: tuple = ()
CARDS: tuple = ()
EXCEL_LISTS: tuple = ()
AUTHZ: dict = {}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("volunteering.ActivitySeries", "volunteering.Activity", "volunteering.Shift", "volunteering.SignUp")
WORKFLOWS: tuple = ("gongzhi.volunteering.workflow:ACTIVITY_FLOW", "gongzhi.volunteering.workflow:SIGNUP_FLOW")
MEDIA: tuple = ()
