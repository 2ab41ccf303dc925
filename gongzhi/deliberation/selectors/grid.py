"""Scoped reads of the grid part: grid topics and micro-items by the grid's place (capability
``deliberation.view``), the grids a staff member creates the year's topics for (``deliberation.manage``), the
concern suggestions of the batch page, the claims board, a claimant's own promises and the workbench cards."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gongzhi.accounts.roles import Role
from gongzhi.accounts.scope import access, assignments, has_capability, require_capability, scoped
from gongzhi.core.errors import BadParameter, int_param
from gongzhi.deliberation.models.grid import GridTopic, MicroItem, MicroItemPhoto
from gongzhi.deliberation.policies.grid import CLAIM, VIEW
from gongzhi.deliberation.workflows_grid import PENDING_ITEM_STATES, GridTopicState, MicroItemState
from gongzhi.insights.concerns import Concern, top_concerns
from gongzhi.registry.models import Region, RegionKind

CARD_ITEMS = 5
DUE_SOON_DAYS = 14
TOP = 10


# --- grid topics and micro-items ----------------------------------------------------------------------------

def grid_topics_for(user, capability: str = VIEW) -> QuerySet:
    qs = GridTopic.objects.select_related("grid__parent", "topic").annotate(
        items_total=Count("micro_items", distinct=True),
        items_claimed=Count("micro_items", filter=~Q(micro_items__state=MicroItemState.OPEN), distinct=True),
        items_done=Count("micro_items", filter=Q(micro_items__state=MicroItemState.DONE), distinct=True),
    )
    return scoped(user, qs, capability)


def grid_topic(user, pk) -> GridTopic:
    require_capability(user, VIEW)
    return access(user, grid_topics_for(user), VIEW, pk=pk)


def items_for(user, capability: str = VIEW) -> QuerySet:
    qs = MicroItem.objects.select_related("grid_topic__grid__parent", "claimed_by")
    return scoped(user, qs, capability)


def item(user, pk) -> MicroItem:
    require_capability(user, VIEW)
    return access(user, items_for(user), VIEW, pk=pk)


def topic_items(grid_topic: GridTopic) -> QuerySet:
    """The micro-items of a topic the caller may see (it has checked the topic), photos prefetched."""
    return grid_topic.micro_items.select_related("claimed_by", "grid_topic__grid").prefetch_related("photos")


def log(subject) -> QuerySet:
    """The transition log of a grid topic or a micro-item (the caller has checked it may see it)."""
    return subject.transitions.select_related("actor")


def overdue_q(today: date | None = None) -> Q:
    return Q(state__in=PENDING_ITEM_STATES, due_on__lt=today or timezone.localdate())


def my_promises(user) -> QuerySet:
    """The micro-items the user claimed (亮承诺), still to do first, then done."""
    if not has_capability(user, CLAIM):
        return MicroItem.objects.none()
    return scoped(user, MicroItem.objects.select_related("grid_topic__grid__parent").prefetch_related("photos"),
                  VIEW).filter(claimed_by=user).order_by("state", "due_on", "id")


def years_for(user) -> list[int]:
    """The years with grid topics in the user's scope, and this year."""
    found = set(scoped(user, GridTopic, VIEW).values_list("year", flat=True).distinct())
    return sorted(found | {timezone.localdate().year}, reverse=True)


def grid_choices(user, capability: str = VIEW) -> QuerySet:
    return scoped(user, Region.objects.filter(kind=RegionKind.GRID).select_related("parent"),
                  capability).order_by("path")


def filter_topics(qs: QuerySet, params) -> QuerySet:
    """A grid topic list narrowed as on its page (and its export): ``q`` (title, concern, grid), ``year``,
    ``state``, ``grid``."""
    if q := (params.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(concern__icontains=q) | Q(grid__name__icontains=q))
    if (year := int_param(params, "year")) is not None:
        qs = qs.filter(year=year)
    if state := params.get("state"):
        if state not in GridTopicState.values:
            raise BadParameter("state")
        qs = qs.filter(state=state)
    if (grid := int_param(params, "grid")) is not None:
        qs = qs.filter(grid_id=grid)
    return qs


def filter_items(qs: QuerySet, params, today: date | None = None) -> QuerySet:
    """Micro-items narrowed as on the claims board (and its export): ``q``, ``year``, ``grid``, ``state``
    (``overdue`` too)."""
    if q := (params.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(promise__icontains=q) | Q(grid_topic__title__icontains=q)
                       | Q(grid_topic__grid__name__icontains=q))
    if (year := int_param(params, "year")) is not None:
        qs = qs.filter(grid_topic__year=year)
    if (grid := int_param(params, "grid")) is not None:
        qs = qs.filter(grid_topic__grid_id=grid)
    if state := params.get("state"):
        if state == "overdue":
            qs = qs.filter(overdue_q(today))
        elif state in MicroItemState.values:
            qs = qs.filter(state=state)
        else:
            raise BadParameter("state")
    return qs


def board(user, params) -> QuerySet:
    """The claims board: the micro-items of published and closed topics in the user's scope, who claimed each and
    what they promised, grid by grid."""
    require_capability(user, VIEW)
    qs = items_for(user).exclude(grid_topic__state=GridTopicState.DRAFT)
    return filter_items(qs, params).order_by("grid_topic__grid__path", "grid_topic__title", "due_on", "id")


def photo_for_file(user, name: str) -> MicroItemPhoto | None:
    """The outcome photo stored as `name` when the user sees its micro-item, else None (read by
    gongzhi.core.media.serve)."""
    if not getattr(user, "is_authenticated", False) or not has_capability(user, VIEW):
        return None
    photo = MicroItemPhoto.objects.filter(image=name).first()
    if photo is None or not items_for(user).filter(pk=photo.item_id).exists():
        return None
    return photo


# --- the batch page: the year's topics from the top-10 concerns -----------------------------------------------

ALL = "all"  # the node above every area in the concern rows' tree


@dataclass
class BatchRow:
    """One grid of the batch page: its suggested concern (a category of the top 10, ranked as there: the first of
    the grid's own ranking among them, else its area's, else the top one), whose ranking chose it (`basis`: "grid",
    "area" or "all") with the category's share there (`local`), and the topics the grid already has that year."""

    grid: Region
    concern: Concern | None
    basis: str
    local: Concern | None = None
    existing: list[GridTopic] = field(default_factory=list)


@dataclass
class ConcernBasis:
    year: int
    total: int
    top: list[Concern]
    rows: list[BatchRow]


def concern_rows(user, grids: list[Region], year: int) -> list[tuple]:
    """``(grid or area id, year, top-level category)`` of the demands of `year` and the year before located in the
    grids or their areas, as the user may see them (the triage app's concern rows)."""
    from gongzhi.demands.selectors import visible_demands

    tz = timezone.get_current_timezone()
    areas = {g.parent_id for g in grids}
    qs = visible_demands(user).filter(
        Q(grid__in=grids) | Q(grid__isnull=True, region__in=areas), category__isnull=False,
        created_at__gte=datetime(year - 1, 1, 1, tzinfo=tz), created_at__lt=datetime(year + 1, 1, 1, tzinfo=tz))
    rows = []
    for grid_id, region_id, created, cat, parent in qs.values_list(
            "grid_id", "region_id", "created_at", "category__name", "category__parent__name").iterator():
        rows.append((grid_id or region_id, timezone.localtime(created, tz).year, parent or cat))
    return rows


def concern_basis(user, grids, year: int, topic_year: int | None = None) -> ConcernBasis:
    """The top-10 concerns of `year` over `grids` (关注度前十项指数) and, for each grid, the one suggested as its
    topic (see BatchRow). Topics the grids already have in `topic_year` come along."""
    grids = list(grids)
    rows = concern_rows(user, grids, year) if grids else []
    parents: dict = {g.pk: g.parent_id for g in grids}
    parents.update({g.parent_id: ALL for g in grids})
    top = top_concerns(rows, ALL, year, parents=parents, limit=TOP)
    by_name = {c.category: c for c in top}
    by_node: dict = {}  # each grid's and each area's own rows: one pass, not one per node
    for row in rows:
        by_node.setdefault(row[0], []).append(row)
        if row[0] in parents and parents[row[0]] != ALL:
            by_node.setdefault(parents[row[0]], []).append(row)
    ranked: dict = {}

    def first(node):
        if node not in ranked:
            found = top_concerns(by_node.get(node, []), node, year, parents=parents, limit=len(rows) or 1)
            ranked[node] = next((c for c in found if c.category in by_name), None)
        return ranked[node]

    existing: dict[int, list[GridTopic]] = {}
    if topic_year is not None:
        for t in GridTopic.objects.filter(grid__in=grids, year=topic_year).order_by("title"):
            existing.setdefault(t.grid_id, []).append(t)
    out = []
    for g in grids:
        for basis, node in (("grid", g.pk), ("area", g.parent_id)):
            if local := first(node):
                out.append(BatchRow(g, by_name[local.category], basis, local, existing.get(g.pk, [])))
                break
        else:
            out.append(BatchRow(g, top[0] if top else None, ALL, top[0] if top else None, existing.get(g.pk, [])))
    total = sum(1 for _r, y, _c in rows if y == year)
    return ConcernBasis(year, total, top, out)


def suggested_title(concern: Concern | None) -> str:
    return _("%(concern)s: micro-autonomy under our roof") % {"concern": concern.category} if concern else ""


def suggested_description(row: BatchRow, year: int) -> str:
    if row.concern is None:
        return ""
    place = {"grid": row.grid.name, "area": row.grid.parent.name}.get(row.basis, _("the whole scope"))
    return _("No. %(rank)s of the top-10 concerns of %(year)s; %(share)s%% of the messages of %(place)s.") % {
        "rank": row.concern.rank, "year": year, "share": round(row.local.share * 100, 1), "place": place}


# --- workbench cards ----------------------------------------------------------------------------------------

def _item_row(i: MicroItem, today: date) -> dict:
    due = date_format(i.due_on, "SHORT_DATE_FORMAT")
    text = f"{i.title} · {i.grid_topic.grid.name} · {due}"
    if i.due_on < today:
        text = f"{text} · {_('overdue')}"
    return {"text": text, "url": reverse("deliberation:grid_topic_detail", args=[i.grid_topic_id]) + f"#item-{i.pk}"}


def promises_card(user) -> dict | None:
    """A claimant's micro-items still to do: those due within two weeks or overdue (None while nothing is
    claimed)."""
    if not has_capability(user, CLAIM):
        return None
    pending = my_promises(user).filter(state=MicroItemState.CLAIMED)
    if not pending.exists():
        return None
    today = timezone.localdate()
    soon = pending.filter(due_on__lte=today + timedelta(days=DUE_SOON_DAYS)).order_by("due_on", "id")
    overdue = pending.filter(due_on__lt=today).count()
    count = soon.count()
    note = _("%(n)s overdue") % {"n": overdue} if overdue else _("Due within two weeks, or overdue.")
    return {"count": count, "url": reverse("deliberation:grid_my_promises"), "note": note,
            "tone": "urgent" if overdue else ("normal" if count else "quiet"),
            "items": [_item_row(i, today) for i in soon[:CARD_ITEMS]]}


def leader_grid_paths(user) -> list[str]:
    return [a.region.path for a in assignments(user) if a.role == Role.GRID_LEADER and a.region_id] \
        if getattr(user, "is_authenticated", False) else []


def unclaimed_card(user) -> dict | None:
    """A grid leader's grids: the micro-items of published topics nobody has claimed yet."""
    paths = leader_grid_paths(user)
    if not paths or not has_capability(user, VIEW):
        return None
    q = Q()
    for p in paths:
        q |= Q(grid_topic__grid__path__startswith=p)
    qs = items_for(user).filter(q, state=MicroItemState.OPEN, grid_topic__state=GridTopicState.PUBLISHED)
    today = timezone.localdate()
    count = qs.count()
    return {"count": count, "url": reverse("deliberation:grid_board") + "?state=open",
            "tone": "urgent" if qs.filter(due_on__lt=today).exists() else ("normal" if count else "quiet"),
            "items": [_item_row(i, today) for i in qs.order_by("due_on", "id")[:CARD_ITEMS]]}



# --- party work links (the organization-life module) -------------------------------------------------------------

def micro_items_claimed_by_member(member, *, year: int | None = None) -> QuerySet:
    """The grid micro-items a party member claimed through their account (their promises), of grid topics of
    `year` if given; none when the member has no account. A read for the member's yearly record."""
    user_id = getattr(member, "user_id", None)
    if user_id is None:
        return MicroItem.objects.none()
    qs = MicroItem.objects.filter(claimed_by_id=user_id).select_related("grid_topic__grid")
    if year is not None:
        qs = qs.filter(grid_topic__year=year)
    return qs.order_by("due_on", "pk")
