"""The platforms part's share of the joint-building manifest (see gongzhi.joint.apps).

A platform, its members and committees lie at the platform's region: a sub-district platform is seen by the
sub-district's staff (`joint.view` over the sub-district), not by a residential area's secretary, whose scope is
the area; a district platform by district-level roles. A party post lies at its organization's region, so area
A's secretary sees the posts of area A's organizations. Every write needs `joint.manage` (the sub-district admin):
the others get 403 before any object is looked up.
"""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import ADMIN_ONLY, POST_ONLY
from gongzhi.core.modules import AuthzCase, NavEntry

LIST = "302 403 200 200 403 200"  # joint.view: staff (area secretaries too), not grid leaders or residents
PLATFORM = "302 403 404 404 403 200"  # the sub-district's platform: its staff only
ORG_A = "302 403 404 200 403 200"  # posts of an area A organization
API_LIST = "401 403 200 200 403 200"
API_PLATFORM = "401 403 404 404 403 200"

NAV = (
    NavEntry(_("Joint-meeting platforms"), "joint:platforms_list", C.VIEW_JOINT),
    NavEntry(_("Party posts"), "joint:platforms_posts", C.VIEW_JOINT),
    NavEntry(_("Joint party committees"), "joint:platforms_joint_committees", C.VIEW_JOINT),
)
USER_MENU: tuple = ()
CARDS: tuple = ()
EXCEL_LISTS = ("gongzhi.joint.excel_platforms:PLATFORM_MEMBERS",)
AUTHZ = {
    "joint:platforms_list": AuthzCase(LIST),
    "joint:platforms_create": AuthzCase(ADMIN_ONLY),
    "joint:platforms_detail": AuthzCase(PLATFORM, "platform"),
    "joint:platforms_edit": AuthzCase(ADMIN_ONLY, "platform"),
    "joint:platforms_roster": AuthzCase(PLATFORM, "platform"),
    "joint:platforms_members": AuthzCase(PLATFORM, "platform"),
    "joint:platforms_member_add": AuthzCase(ADMIN_ONLY, "platform"),
    "joint:platforms_member_edit": AuthzCase(ADMIN_ONLY, "platform_member"),
    "joint:platforms_member_leave": AuthzCase(ADMIN_ONLY, "platform_member"),
    "joint:platforms_committees": AuthzCase(PLATFORM, "platform"),
    "joint:platforms_committee_create": AuthzCase(ADMIN_ONLY, "platform"),
    "joint:platforms_committee_detail": AuthzCase(PLATFORM, "platform_committee"),
    "joint:platforms_committee_edit": AuthzCase(ADMIN_ONLY, "platform_committee"),
    "joint:platforms_committee_member_add": AuthzCase(ADMIN_ONLY, "platform_committee"),
    "joint:platforms_committee_member_leave": AuthzCase(POST_ONLY, "platform_committee_member"),
    "joint:platforms_posts": AuthzCase(LIST),
    "joint:platforms_post_create": AuthzCase(ADMIN_ONLY),
    "joint:platforms_post_edit": AuthzCase(ADMIN_ONLY, "post_a"),
    "joint:platforms_post_end": AuthzCase(ADMIN_ONLY, "post_a"),
    "joint:platforms_org_posts": AuthzCase(ORG_A, "org_a"),
    "joint:platforms_joint_committees": AuthzCase(LIST),
    "api:joint_platform_list": AuthzCase(API_LIST),
    "api:joint_platform_detail": AuthzCase(API_PLATFORM, "platform"),
    "api:joint_platform_members": AuthzCase(API_PLATFORM, "platform"),
    # the same path as the members list: a GET there lists the members
    "api:joint_platform_member_add": AuthzCase(API_PLATFORM, "platform"),
    "api:joint_post_list": AuthzCase(API_LIST),
}
AUTHZ_EXCLUDED: tuple = ()
AUDITED = ("joint.Platform", "joint.PlatformMember", "joint.ProfessionalCommittee",
           "joint.ProfessionalCommitteeMember", "joint.PartyPost")
WORKFLOWS: tuple = ()
MEDIA: tuple = ()
