"""Who may do what in the platforms part. Services call `can` to refuse; views and templates call it to decide what
to show.

A platform, its members and professional committees belong to the platform's region: a district platform to the
district (district-level roles), a sub-district platform to the sub-district (its staff). A party post belongs to
its organization's region (a residential area's secretary sees the posts of the area's organizations). *Viewing*
needs `joint.view` over that region, *managing* (creating, editing, adding members, appointing) `joint.manage`.
`SYSTEM` (the demo) may do everything.

Subjects: a model class ("list", "create"); a Platform, PlatformMember, ProfessionalCommittee,
ProfessionalCommitteeMember, PartyPost or PartyOrg ("view", "edit").
"""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.models import (
    PartyPost,
    Platform,
    PlatformMember,
    ProfessionalCommittee,
    ProfessionalCommitteeMember,
)
from gongzhi.registry.models import PartyOrg

VIEW, MANAGE = Capability.VIEW_JOINT, Capability.MANAGE_JOINT
EDIT = "edit"


def region_of(subject):
    """The region (a Region) a platforms-part object belongs to."""
    if isinstance(subject, Platform):
        return subject.region
    if isinstance(subject, (PlatformMember, ProfessionalCommittee)):
        return subject.platform.region
    if isinstance(subject, ProfessionalCommitteeMember):
        return subject.committee.platform.region
    if isinstance(subject, PartyPost):
        return subject.org.region
    if isinstance(subject, PartyOrg):
        return subject.region
    return subject  # a Region


def may_manage(actor, region) -> bool:
    return actor is SYSTEM or (region is not None and scope_for(actor, MANAGE).covers_path(region.path))


def may_view(actor, region) -> bool:
    return actor is SYSTEM or (region is not None and scope_for(actor, VIEW).covers_path(region.path))


def can(actor, subject, action: str) -> bool:
    if actor is SYSTEM:
        return True
    if isinstance(subject, type):
        if action == "list":
            return has_capability(actor, VIEW)
        return action == "create" and has_capability(actor, MANAGE)
    region = region_of(subject)
    if action == "view":
        return may_view(actor, region)
    return action == EDIT and may_manage(actor, region)
