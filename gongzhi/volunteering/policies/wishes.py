"""Who may do what with micro-wishes (微心愿). Services call `can` (through `allowed` and `state_allows`) to refuse;
views, templates and the API call `can`/`actions` to decide what to show. No other module repeats these rules.

* A wish is posted for a residential area by the staff whose ``volunteering.manage`` scope covers it (the area's
  secretary, the sub-district) or by a grid leader of a grid in that area (`may_post_in`).
* The area's staff approve it or do not (with a reason), withdraw it (so may its poster while it is unclaimed)
  and record the beneficiary's thanks once it is fulfilled.
* An approved (open) wish is claimed with a public promise by a holder of ``volunteering.claim``: a party member
  as themself (their account is linked to their registry record), a unit liaison for their unit. One claimer only.
* The claimer (the member, or any liaison of the claiming unit) or the area's staff release it (with a reason) or
  fulfil it with a photo.

`SYSTEM` may do everything.
"""

from __future__ import annotations

from gongzhi.accounts.roles import Capability, Role
from gongzhi.accounts.scope import assignments, has_capability, scope_for
from gongzhi.core.workflow import SYSTEM, is_user
from gongzhi.volunteering.workflow import WISH_FLOW, WISH_PUBLISHED_STATES, WishAction

VIEW = Capability.VIEW_VOLUNTEERING
MANAGE = Capability.MANAGE_VOLUNTEERING
CLAIM = Capability.CLAIM_WISHES
STAFF_ACTIONS = frozenset({WishAction.APPROVE, WishAction.REJECT, WishAction.THANK})
CLAIMER_ACTIONS = frozenset({WishAction.RELEASE, WishAction.FULFIL})


def manages_path(actor, path: str) -> bool:
    return actor is SYSTEM or (is_user(actor) and scope_for(actor, MANAGE).covers_path(path))


def manages(actor, wish) -> bool:
    """Staff whose volunteering.manage scope covers the wish's residential area."""
    return manages_path(actor, wish.region.path)


def leads_grid_in(actor, area) -> bool:
    """A grid leader of a grid inside `area`."""
    return is_user(actor) and actor.is_active and any(
        a.role == Role.GRID_LEADER and a.region_id and a.region.path.startswith(area.path) for a in assignments(actor))


def may_post_in(actor, area) -> bool:
    return manages_path(actor, area.path) or leads_grid_in(actor, area)


def may_post(actor) -> bool:
    """Posts wishes somewhere (the new-wish page)."""
    return actor is SYSTEM or has_capability(actor, MANAGE) or (
        is_user(actor) and any(a.role == Role.GRID_LEADER for a in assignments(actor)))


def posts_without_list(actor) -> bool:
    """Posts wishes but does not see the staff's wish list, where the 'Post a wish' button is (a grid leader): the
    menu offers them the form itself."""
    return may_post(actor) and not has_capability(actor, VIEW)


def member_of(actor):
    """The registry party member of a claiming account (None when the account is not linked to one)."""
    if not is_user(actor) or not has_capability(actor, CLAIM):
        return None
    from gongzhi.registry.models import PartyMember

    return PartyMember.objects.filter(user=actor).select_related("organization").first()


def unit_ids_of(actor) -> set[int]:
    """The member units this account is the liaison of (with volunteering.claim)."""
    if not is_user(actor) or not has_capability(actor, CLAIM):
        return set()
    return {a.member_unit_id for a in assignments(actor) if a.role == Role.UNIT_LIAISON and a.member_unit_id}


def units_of(actor) -> list:
    from gongzhi.registry.models import MemberUnit

    ids = unit_ids_of(actor)
    return list(MemberUnit.objects.filter(pk__in=ids).order_by("name")) if ids else []


def may_claim(actor) -> bool:
    """Someone who can claim wishes at all: a linked party member or a unit liaison."""
    return actor is SYSTEM or bool(unit_ids_of(actor)) or member_of(actor) is not None


def is_claimer(actor, wish) -> bool:
    if not is_user(actor):
        return False
    if wish.claimer_unit_id is not None:
        return wish.claimer_unit_id in unit_ids_of(actor)
    if wish.claimer_member_id is not None:
        return wish.claimer_member.user_id is not None and wish.claimer_member.user_id == actor.pk
    return False


def is_poster(actor, wish) -> bool:
    return is_user(actor) and wish.posted_by_id is not None and wish.posted_by_id == actor.pk


def sees(actor, wish) -> bool:
    """Staff of the wish's area (volunteering.view), its poster and claimer; every account sees a published wish
    on the board (`is_published`)."""
    if actor is SYSTEM:
        return True
    return is_user(actor) and (scope_for(actor, VIEW).covers_path(wish.region.path) or is_poster(actor, wish)
                               or is_claimer(actor, wish) or is_published(wish))


def is_published(wish) -> bool:
    return wish.state in WISH_PUBLISHED_STATES


def allowed(actor, wish, action: str) -> bool:
    """The actor's right to `action` on the wish, whatever its state."""
    if actor is SYSTEM:
        return True
    if action in STAFF_ACTIONS:
        return manages(actor, wish)
    if action == WishAction.WITHDRAW:
        return manages(actor, wish) or is_poster(actor, wish)
    if action == WishAction.CLAIM:
        return may_claim(actor)
    if action in CLAIMER_ACTIONS:
        return manages(actor, wish) or is_claimer(actor, wish)
    return False


def state_allows(wish, action: str) -> bool:
    return WISH_FLOW.target(wish.state, action) is not None


def can(actor, wish, action: str) -> bool:
    return state_allows(wish, action) and allowed(actor, wish, action)


def actions(actor, wish) -> list[str]:
    """The workflow actions this actor may take on the wish now."""
    return [a for a in WISH_FLOW.actions_from(wish.state) if can(actor, wish, a)]
