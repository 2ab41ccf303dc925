"""Who may do what with award schemes, rounds and entries. Services call these to refuse; views, templates and the
API to show buttons.

* Managers (``orglife.manage``, the sub-district's administrators) over the scheme's region: schemes, rounds,
  criteria, tiers, eligible organizations, the panel and the round's steps (open, review, return, publish), and
  returning an entry's self-assessment.
* Viewers (``orglife.view``) over the scheme's region see the rounds and every score page.
* Self-assessment (``orglife.assess``) of one's OWN organization only, through the role's anchor: an area
  secretary for the organizations of their area (the region subtree of the assignment), a unit liaison for their
  unit's organization (the assignment's member unit); while the round is under self-assessment and the entry
  pending.
* Reviewers: whoever sits on the round's panel (a `Reviewer` row), whatever their role, scores the self-assessed
  criteria of each entry while the round is being reviewed, except entries of their OWN organization
  (`own_org_ids`): the organization of their party member record and its parent chain, and the organizations
  anchored at their role assignments' region (organizations whose region is that very region: an area
  secretary's area organization, not the areas under a sub-district administrator) or member unit.
"""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import assignments, has_capability, scope_for
from gongzhi.core.workflow import SYSTEM, is_user
from gongzhi.orglife.models import AwardEntry, AwardRound, CriterionSource, Reviewer
from gongzhi.orglife.workflow import EntryAction, EntryState, RoundAction, RoundState

VIEW = Capability.VIEW_ORGLIFE
MANAGE = Capability.MANAGE_ORGLIFE
ASSESS = Capability.ASSESS_AWARDS


def _region_path(round_: AwardRound) -> str:
    return round_.scheme.region.path


def may_manage_any(user) -> bool:
    return has_capability(user, MANAGE)


def may_manage(actor, round_or_scheme) -> bool:
    if actor is SYSTEM:
        return True
    region = round_or_scheme.scheme.region if isinstance(round_or_scheme, AwardRound) else round_or_scheme.region
    return is_user(actor) and scope_for(actor, MANAGE).covers_path(region.path)


def may_view_round(user, round_: AwardRound) -> bool:
    return is_user(user) and any(scope_for(user, c).covers_path(_region_path(round_)) for c in (VIEW, MANAGE))


def is_reviewer(user, round_: AwardRound) -> bool:
    return is_user(user) and getattr(user, "is_authenticated", False) and Reviewer.objects.filter(
        round=round_, user=user).exists()


def sees_whole_round(user, round_: AwardRound) -> bool:
    return may_view_round(user, round_) or is_reviewer(user, round_)


def assesses(actor, org) -> bool:
    """The organization is the actor's own for the self-assessment (see the module docstring)."""
    if actor is SYSTEM:
        return True
    if not is_user(actor):
        return False
    scope = scope_for(actor, ASSESS)
    return scope.covers_path(org.region.path) or (org.member_unit_id is not None
                                                  and org.member_unit_id in scope.unit_ids)


def may_see_entry(user, entry: AwardEntry) -> bool:
    return sees_whole_round(user, entry.round) or assesses(user, entry.org)


def may_see_sources(user, org) -> bool:
    if not is_user(user):
        return False
    if any(scope_for(user, c).covers_path(org.region.path) for c in (VIEW, MANAGE)) or assesses(user, org):
        return True
    return Reviewer.objects.filter(user=user, round__entries__org=org).exists()


def own_org_ids(user) -> set[int]:
    """The organizations that are the user's own (see the module docstring)."""
    from gongzhi.registry.models import PartyMember, PartyOrg

    if not is_user(user):
        return set()
    anchors: set[int] = set()
    member = PartyMember.objects.filter(user=user).select_related("organization").first()
    if member is not None:
        org = member.organization
        while org is not None:
            anchors.add(org.pk)
            org = org.parent
    region_ids = {a.region_id for a in assignments(user) if a.region_id}
    unit_ids = {a.member_unit_id for a in assignments(user) if a.member_unit_id}
    anchored = set(PartyOrg.objects.filter(region_id__in=region_ids).values_list("pk", flat=True)) | set(
        PartyOrg.objects.filter(member_unit_id__in=unit_ids).values_list("pk", flat=True))
    return anchors | anchored


def is_own(user, org) -> bool:
    return org.pk in own_org_ids(user)


# --- Steps ----------------------------------------------------------------------------------------------------

def can_round(actor, round_: AwardRound, action: str) -> bool:
    from gongzhi.orglife.workflow import ROUND_FLOW

    return ROUND_FLOW.target(round_.state, action) is not None and may_manage(actor, round_)


def round_actions(actor, round_: AwardRound) -> list[str]:
    return [a for a in (RoundAction.OPEN, RoundAction.REVIEW, RoundAction.RETURN, RoundAction.PUBLISH)
            if can_round(actor, round_, a)]


def may_edit_round(actor, round_: AwardRound) -> bool:
    """Criteria, tiers, entries and the panel change while the round is a draft (the panel and the entries also
    while it is being assessed)."""
    return round_.state == RoundState.DRAFT and may_manage(actor, round_)


def may_change_panel(actor, round_: AwardRound) -> bool:
    return round_.state in (RoundState.DRAFT, RoundState.ASSESSING, RoundState.REVIEWING) and may_manage(actor,
                                                                                                         round_)


def may_assess(actor, entry: AwardEntry) -> bool:
    return (entry.round.state == RoundState.ASSESSING and entry.state == EntryState.PENDING
            and assesses(actor, entry.org))


def can_entry(actor, entry: AwardEntry, action: str) -> bool:
    from gongzhi.orglife.workflow import ENTRY_FLOW

    if ENTRY_FLOW.target(entry.state, action) is None or entry.round.state != RoundState.ASSESSING:
        return False
    if action == EntryAction.SUBMIT:
        return assesses(actor, entry.org)
    return may_manage(actor, entry.round)


def entry_actions(actor, entry: AwardEntry) -> list[str]:
    return [a for a in (EntryAction.SUBMIT, EntryAction.RETURN) if can_entry(actor, entry, a)]


def may_score(actor, entry: AwardEntry) -> bool:
    """A panel member scores while the round is being reviewed, never their own organization."""
    if actor is SYSTEM:
        return entry.round.state == RoundState.REVIEWING
    return (entry.round.state == RoundState.REVIEWING and is_reviewer(actor, entry.round)
            and not is_own(actor, entry.org)
            and entry.round.criteria.filter(source=CriterionSource.SELF).exists())
