"""Who may do what with grid topics and micro-items. Services call `can` to refuse; views, templates and the API
call it (and `actions`) to decide what to show. No other module repeats these rules.

* Grid topics are run by the staff whose ``deliberation.manage`` scope covers the grid (area secretaries, the
  sub-district): they create the year's topics, publish, close and reopen them, add micro-items and raise a topic
  to the council as a deliberation topic.
* A micro-item of a published topic is claimed by anyone whose ``deliberation.claim`` scope covers its grid: the
  party members serving the grid, its grid leader, the area's and the sub-district's staff (亮承诺).
* The claimant (or the grid's staff) releases it or marks it done.

`SYSTEM` has every right.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.workflow import SYSTEM, is_user
from gongzhi.deliberation.models.grid import GridTopic, MicroItem
from gongzhi.deliberation.workflows_grid import (
    GRID_TOPIC_FLOW,
    MICRO_ITEM_FLOW,
    GridTopicAction,
    GridTopicState,
    MicroItemAction,
    MicroItemState,
)

VIEW = Capability.VIEW_DELIBERATION
MANAGE = Capability.MANAGE_DELIBERATION
CLAIM = Capability.CLAIM_MICRO_ITEMS
# actions besides the workflows': a topic's micro-items are added, a topic is raised to the council
ADD_ITEM, RAISE = "add_item", GridTopicAction.RAISE
# the states in which a topic takes new micro-items
OPEN_TOPIC_STATES = frozenset({GridTopicState.DRAFT, GridTopicState.PUBLISHED})


def manages(actor, grid) -> bool:
    """Staff of the grid: their deliberation.manage scope covers it."""
    return actor is SYSTEM or scope_for(actor, MANAGE).covers_path(grid.path)


def may_claim_in(actor, grid) -> bool:
    return actor is SYSTEM or scope_for(actor, CLAIM).covers_path(grid.path)


def may_create_topics(actor) -> bool:
    return actor is SYSTEM or has_capability(actor, MANAGE)


def is_claimant(actor, item: MicroItem) -> bool:
    return is_user(actor) and item.claimed_by_id is not None and item.claimed_by_id == actor.pk


def why_not_claimable(item: MicroItem) -> str:
    """Why the item cannot be claimed now ("" when it can)."""
    if item.grid_topic.state != GridTopicState.PUBLISHED:
        return _("The grid topic is not published.")
    if item.state != MicroItemState.OPEN:
        return _("This micro-item has already been claimed.")
    return ""


def allowed(actor, subject, action: str) -> bool:
    """The actor's right to take `action` on `subject`, whatever its state."""
    if actor is SYSTEM:
        return True
    if isinstance(subject, GridTopic):
        return manages(actor, subject.grid)
    if isinstance(subject, MicroItem):
        grid = subject.grid_topic.grid
        if action == MicroItemAction.CLAIM:
            return may_claim_in(actor, grid)
        return is_claimant(actor, subject) or manages(actor, grid)
    raise TypeError(f"not a grid subject: {subject!r}")


def state_allows(subject, action: str) -> bool:
    if isinstance(subject, GridTopic):
        if action == ADD_ITEM:
            return subject.state in OPEN_TOPIC_STATES
        if action == RAISE:
            return subject.state == GridTopicState.PUBLISHED and subject.topic_id is None
        return GRID_TOPIC_FLOW.target(subject.state, action) is not None
    if action == MicroItemAction.CLAIM:
        return not why_not_claimable(subject)
    if MICRO_ITEM_FLOW.target(subject.state, action) is None:
        return False
    return subject.grid_topic.state != GridTopicState.CLOSED or action == MicroItemAction.COMPLETE


def can(actor, subject, action: str) -> bool:
    return state_allows(subject, action) and allowed(actor, subject, action)


def actions(actor, subject) -> list[str]:
    """The workflow actions this actor may take on the subject now."""
    flow = GRID_TOPIC_FLOW if isinstance(subject, GridTopic) else MICRO_ITEM_FLOW
    return [a for a in flow.actions_from(subject.state) if can(actor, subject, a)]
