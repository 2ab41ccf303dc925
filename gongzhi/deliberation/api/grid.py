"""API of the grid part of deliberation, under /api/v1/deliberation/: the grid topics in the caller's scope (a
topic's detail lists its micro-items) and the public claim of a micro-item with a promise (409 when someone
else has claimed it). Each object's `actions` lists the workflow steps the calling user may take on it now."""

from datetime import date, datetime
from typing import Annotated

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from gongzhi.accounts.scope import require_capability
from gongzhi.core.apitypes import Id, In, QueryId, choice, required_text, text
from gongzhi.deliberation.policies import grid as policies
from gongzhi.deliberation.selectors import grid as selectors
from gongzhi.deliberation.services import grid as services
from gongzhi.deliberation.workflows_grid import GridTopicState

router = Router(tags=["deliberation"])


def _error_out():
    from gongzhi.api import ErrorOut  # gongzhi.api imports this module while it is being built

    return ErrorOut


E = _error_out


class MicroItemOut(Schema):
    id: int
    grid_topic_id: int
    title: str
    description: str
    due_on: date
    state: str
    overdue: bool
    claimed_by: str | None
    promise: str
    claimed_at: datetime | None
    outcome: str
    done_at: datetime | None
    actions: list[str]

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue

    @staticmethod
    def resolve_claimed_by(obj) -> str | None:
        return str(obj.claimed_by) if obj.claimed_by_id else None

    @staticmethod
    def resolve_actions(obj, context) -> list[str]:
        return policies.actions(context["request"].user, obj)


class GridTopicOut(Schema):
    id: int
    year: int
    grid_id: int
    grid: str
    area: str
    title: str
    description: str
    concern: str
    concern_rank: int | None
    state: str
    topic_id: int | None
    items_total: int
    items_claimed: int
    items_done: int
    actions: list[str]

    @staticmethod
    def resolve_grid(obj) -> str:
        return obj.grid.name

    @staticmethod
    def resolve_area(obj) -> str:
        return obj.grid.parent.name if obj.grid.parent_id else ""

    @staticmethod
    def resolve_actions(obj, context) -> list[str]:
        return policies.actions(context["request"].user, obj)


class GridTopicDetailOut(GridTopicOut):
    micro_items: list[MicroItemOut]

    @staticmethod
    def resolve_micro_items(obj) -> list:
        return list(selectors.topic_items(obj))


class GridClaimIn(In):
    promise: required_text(200)


ERRORS = {403: E(), 404: E(), 409: E(), 422: E()}


@router.get("/grid/topics", response=list[GridTopicOut], url_name="deliberation_grid_topic_list")
@paginate
def grid_topic_list(request, year: Annotated[int, Query(ge=1, le=9999)] | None = None,
                    state: choice(GridTopicState) | None = None, grid: QueryId | None = None, q: text() | None = None):
    require_capability(request.user, policies.VIEW)
    params = {k: str(v) for k, v in {"year": year, "state": state, "grid": grid, "q": q}.items() if v is not None}
    return selectors.filter_topics(selectors.grid_topics_for(request.user), params).order_by(
        "-year", "grid__path", "title")


@router.get("/grid/topics/{pk}", response={200: GridTopicDetailOut, 404: E()},
            url_name="deliberation_grid_topic_detail")
def grid_topic_detail(request, pk: Id):
    return selectors.grid_topic(request.user, pk)


@router.post("/grid/items/{pk}/claim", response={200: MicroItemOut, **ERRORS}, url_name="deliberation_grid_item_claim")
def grid_item_claim(request, pk: Id, payload: GridClaimIn):
    """认领 with a public promise (亮承诺): one claimant per micro-item, so a claim of a claimed item is a 409."""
    return services.claim_micro_item(pk, actor=request.user, promise=payload.promise)
