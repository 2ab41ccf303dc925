"""The state machines of the grid part of deliberation (屋檐下的微自治), written by
`gongzhi.core.workflow.transition` into their own append-only logs.

Grid topic (a grid's topic of the year, drawn from the top-10 concerns)::

    draft ─publish→ published ─close→ closed ─reopen→ published

Staff create the year's topics of their grids in one batch (the first log row, ``create``); a published topic's
micro-items may be claimed, and it may be raised as a deliberation topic (a log row ``raise`` that keeps the
state).

Micro-item (网格微事项), claimed publicly with a promise (亮承诺)::

    open ─claim→ claimed ─complete→ done
              claimed ─release→ open

One claimant at a time: a claim locks the item's row (`transition`), so of two claims at once the second finds the
item claimed and is refused. Who may take which action is `gongzhi.deliberation.policies.grid`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.workflow import Workflow


class GridTopicState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class GridTopicAction(models.TextChoices):
    PUBLISH = "publish", _("Publish")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")
    # the first row of its log, and a step that keeps the state
    CREATE = "create", _("Create")
    RAISE = "raise", _("Raised as a deliberation topic")


GS, GA = GridTopicState, GridTopicAction

GRID_TOPIC_TRANSITIONS: dict[tuple[str, str], str] = {
    (GS.DRAFT, GA.PUBLISH): GS.PUBLISHED,
    (GS.PUBLISHED, GA.CLOSE): GS.CLOSED,
    (GS.CLOSED, GA.REOPEN): GS.PUBLISHED,
}

GRID_TOPIC_FLOW = Workflow(
    name="grid_topic", model="deliberation.GridTopic", log_model="deliberation.GridTopicTransition",
    log_fk="grid_topic", transitions=GRID_TOPIC_TRANSITIONS, states=GridTopicState, actions=GridTopicAction,
)


class MicroItemState(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Claimed")
    DONE = "done", _("Done")


class MicroItemAction(models.TextChoices):
    CLAIM = "claim", _("Claim with a promise")
    RELEASE = "release", _("Release")
    COMPLETE = "complete", _("Mark done")
    ADD = "add", _("Add")  # the first row of its log


MS, MA = MicroItemState, MicroItemAction

MICRO_ITEM_TRANSITIONS: dict[tuple[str, str], str] = {
    (MS.OPEN, MA.CLAIM): MS.CLAIMED,
    (MS.CLAIMED, MA.RELEASE): MS.OPEN,
    (MS.CLAIMED, MA.COMPLETE): MS.DONE,
}

# States in which an item still waits for work (and can be overdue).
PENDING_ITEM_STATES = frozenset({MS.OPEN, MS.CLAIMED})

MICRO_ITEM_FLOW = Workflow(
    name="micro_item", model="deliberation.MicroItem", log_model="deliberation.MicroItemTransition",
    log_fk="item", transitions=MICRO_ITEM_TRANSITIONS, states=MicroItemState, actions=MicroItemAction,
)
