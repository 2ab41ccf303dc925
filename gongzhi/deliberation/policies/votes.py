"""Who may do what with votes, ballots and resident conventions. Services call these to refuse; views, templates
and the API call them to decide what to show.

* Staff with `deliberation.manage` covering a vote's residential area (or its grid) prepare, open, close and
  cancel it, and record ballots cast on paper or at the meeting; the same staff draft, amend, adopt and repeal the
  conventions of their area and record signatures.
* A resident votes, signs and co-signs for a household by proving a phone the household registered (its contact
  phone or its other phone): an SMS code on H5, or the verified phone of their account.
* `SYSTEM` has every right (the job closing votes whose period is over, the demo).
"""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core import crypto
from gongzhi.core.workflow import SYSTEM, is_user
from gongzhi.deliberation.workflows_votes import (
    CONVENTION_FLOW,
    EDITABLE_STATES,
    VOTE_FLOW,
    ConventionAction,
    VoteAction,
    VoteState,
)

VIEW, MANAGE = Capability.VIEW_DELIBERATION, Capability.MANAGE_DELIBERATION


def manages_any(actor) -> bool:
    """The actor runs deliberation somewhere (may prepare votes and draft conventions)."""
    return actor is SYSTEM or has_capability(actor, MANAGE)


def manages_area(actor, area, grid=None) -> bool:
    """The actor runs deliberation in this residential area (or in this grid of it)."""
    if actor is SYSTEM:
        return True
    if not is_user(actor) or not has_capability(actor, MANAGE):
        return False
    scope = scope_for(actor, MANAGE)
    return scope.covers_path(area.path) or (grid is not None and scope.covers_path(grid.path))


def can_manage_vote(actor, vote) -> bool:
    return manages_area(actor, vote.area, vote.grid)


def vote_actions(actor, vote, now=None) -> list[str]:
    """The workflow actions the actor may take on the vote now, in table order."""
    if not can_manage_vote(actor, vote):
        return []
    return [a for a in VOTE_FLOW.actions_from(vote.state)
            if a != VoteAction.CLOSE or not why_not_closable(vote, now)]


def why_not_closable(vote, now=None) -> str:
    """Why the vote cannot close yet ("" when it can): an online vote runs its whole period; a motion at a meeting
    is counted when the meeting votes."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    if vote.state != VoteState.OPEN:
        return _("Only an open vote can be closed.")
    if vote.meeting_id is None and now < vote.closes_at:
        return _("An online vote closes at the end of its period (%(time)s).") % {
            "time": timezone.localtime(vote.closes_at).strftime("%Y-%m-%d %H:%M")}
    return ""


def can_edit_vote(actor, vote) -> bool:
    return vote.state == VoteState.DRAFT and can_manage_vote(actor, vote)


def can_record_ballot(actor, vote) -> bool:
    """Staff record ballots cast on paper or at the meeting (a secret vote's choice stays unlinked)."""
    return vote.state == VoteState.OPEN and can_manage_vote(actor, vote)


def can_manage_convention(actor, convention) -> bool:
    return manages_area(actor, convention.area)


def convention_actions(actor, convention) -> list[str]:
    if not can_manage_convention(actor, convention):
        return []
    return [a for a in CONVENTION_FLOW.actions_from(convention.state) if a != ConventionAction.ADOPT]


def can_revise_convention(actor, convention) -> bool:
    return convention.state in EDITABLE_STATES and can_manage_convention(actor, convention)


def phone_matches(household, phone: str) -> bool:
    """The household registered this phone (contact or other phone)."""
    if not phone:
        return False
    hashes = set(crypto.lookup_hashes(phone))
    return household.phone_hash in hashes or household.other_phone_hash in hashes


def acts_for_household(actor, household, proven_phone: str = "") -> bool:
    """The actor may vote, sign or co-sign for this household: by a proven phone of the household, or by the verified
    phone of their own account."""
    if phone_matches(household, proven_phone):
        return True
    if is_user(actor) and actor.phone_verified_at and actor.phone:
        return phone_matches(household, actor.phone)
    return False
