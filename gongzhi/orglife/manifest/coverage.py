"""The coverage part's share of the orglife manifest (see gongzhi.orglife.apps): the two-new coverage page (figures,
trend, uncovered list), the coverage data (joint-committee coverage, 党建指导员 assignments), their Excel lists and
API, and the workbench card of counted units not yet organizationally covered.

Personas (gongzhi.core.authz): area A's secretary (insider, ``orglife.view`` over area A) and the sub-district
administrator (``orglife.manage``) see area A's coverage; area B's secretary (outsider) sees area B's and not area
A's rows (404); the grid leader (colleague) and residents hold no organization-life right (403). Only the
administrator records and ends coverage data."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.modules import AuthzCase, Card, NavEntry

SEL = "gongzhi.orglife.selectors.coverage"
PAGE = "302 403 200 200 403 200"  # orglife.view, scoped
MANAGE = "302 403 403 403 403 200"  # orglife.manage
IN_A = "302 403 404 200 403 200"  # a row of area A
END_IN_A = "302 403 404 403 403 200"  # a running row of area A: seen by the insider, ended by the admin only
API_LIST = "401 403 200 200 403 200"

NAV: tuple = (
    NavEntry(_("Two-new coverage"), "orglife:coverage", C.VIEW_ORGLIFE),
    NavEntry(_("Party-building instructors"), "orglife:coverage_instructor_list", C.VIEW_ORGLIFE),
)
USER_MENU: tuple = ()
CARDS: tuple = (
    Card("orglife.coverage_uncovered", _("Two-new units not yet covered"), f"{SEL}:uncovered_card", order=58),
)
EXCEL_LISTS: tuple = ("gongzhi.orglife.excel_coverage:UNCOVERED", "gongzhi.orglife.excel_coverage:INSTRUCTORS")
AUTHZ: dict = {
    "orglife:coverage": AuthzCase(PAGE),
    "orglife:coverage_joint_list": AuthzCase(PAGE),
    "orglife:coverage_joint_create": AuthzCase(MANAGE),
    "orglife:coverage_joint_end": AuthzCase(END_IN_A, "joint_coverage_a"),
    "orglife:coverage_instructor_list": AuthzCase(PAGE),
    "orglife:coverage_instructor_create": AuthzCase(MANAGE),
    "orglife:coverage_instructor_detail": AuthzCase(IN_A, "instructor_a"),
    "orglife:coverage_instructor_end": AuthzCase(END_IN_A, "instructor_a"),
    "api:orglife_coverage": AuthzCase(API_LIST),
    "api:orglife_coverage_uncovered": AuthzCase(API_LIST),
    "api:orglife_coverage_instructors": AuthzCase(API_LIST),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED: tuple = ("orglife.JointCoverage", "orglife.InstructorAssignment")
WORKFLOWS: tuple = ()
MEDIA: tuple = ()
