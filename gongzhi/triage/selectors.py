"""Scoped reads of triage intelligence: the triage queue, duplicate suggestions, hot issues and the yearly
top-10 concerns. Demands always come from gongzhi.demands.selectors.visible_demands, region nodes from
gongzhi.accounts.scope."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import access, scoped
from gongzhi.core.errors import NotFound
from gongzhi.demands.models import Demand
from gongzhi.demands.selectors import visible_demands
from gongzhi.demands.workflow import OPEN_STATES
from gongzhi.insights.concerns import Concern, top_concerns
from gongzhi.insights.hot import Message, heat_index, mine_hot_issues
from gongzhi.registry.models import Region, RegionKind
from gongzhi.triage import services
from gongzhi.triage.charts import line_chart
from gongzhi.triage.models import Status, TriageModel

C = Capability
PERIODS = (30, 90, 365)
TREND_CATEGORIES = 5
QUEUE_LIMIT = 100
HOT_LIMIT = 20000


# --- Triage queue -------------------------------------------------------------------------------------------

def triage_queue(user, show: str = "waiting") -> QuerySet:
    """Open demands in the user's dispatch scope waiting for a category ("waiting"), or the auto-accepted
    ones of the last 7 days for spot checks ("auto")."""
    qs = visible_demands(user, C.ASSIGN_DEMANDS).filter(state__in=OPEN_STATES).select_related(
        "classification", "classification__suggested_category", "building")
    if show == "auto":
        since = timezone.now() - timedelta(days=7)
        return qs.filter(classification__status=Status.AUTO_ACCEPTED,
                         classification__created_at__gte=since).order_by("-created_at")
    return qs.filter(category__isnull=True).order_by("created_at", "pk")


def queue_models(user) -> list[TriageModel]:
    """The active models of the sub-districts in the user's scope."""
    subs = scoped(user, Region.objects.filter(kind=RegionKind.SUBDISTRICT), C.ASSIGN_DEMANDS)
    found = list(TriageModel.objects.filter(active=True, subdistrict__in=subs).select_related("subdistrict"))
    if not found:  # a grid or area user: the models of the sub-districts above their scope
        nodes = scoped(user, Region, C.ASSIGN_DEMANDS)[:20]
        found = list(TriageModel.objects.filter(active=True, subdistrict__in={r.subdistrict().pk for r in nodes})
                     .select_related("subdistrict"))
    return found


# --- Duplicates -------------------------------------------------------------------------------------------

@dataclass
class DuplicateRow:
    demand: Demand
    score: float
    text_score: float
    place_score: float


def duplicate_suggestions(user, pk) -> tuple[Demand, list[DuplicateRow]]:
    """The demand (in scope, else NotFound) and the open demands in scope that look like near-duplicates."""
    visible = visible_demands(user)
    try:
        demand = visible.select_related("building", "grid", "merged_into").get(pk=pk)
    except (Demand.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found."))
    if demand.state not in OPEN_STATES:
        return demand, []
    matches = services.near_duplicates(demand, visible)
    by_id = visible.select_related("building").in_bulk([m.id for m in matches])
    return demand, [DuplicateRow(by_id[m.id], m.score, m.text_score, m.place_score) for m in matches
                    if m.id in by_id]


# --- Region and period pickers -------------------------------------------------------------------------------

def regions_for(user, kinds=(RegionKind.SUBDISTRICT, RegionKind.RESIDENTIAL_AREA, RegionKind.GRID)) -> QuerySet:
    return scoped(user, Region.objects.filter(kind__in=kinds), C.VIEW_DEMANDS).order_by("path")


def region_node(user, pk, kinds=(RegionKind.SUBDISTRICT, RegionKind.RESIDENTIAL_AREA, RegionKind.GRID)):
    """The chosen region node (in scope), else the first one of the user's scope, else None."""
    if pk not in (None, ""):
        return access(user, Region.objects.filter(kind__in=kinds), C.VIEW_DEMANDS, pk=pk)
    return regions_for(user, kinds).first()


def in_node(qs: QuerySet, node: Region) -> QuerySet:
    return qs.filter(Q(grid__path__startswith=node.path) | Q(region__path__startswith=node.path))


# --- Hot issues ---------------------------------------------------------------------------------------------

@dataclass
class HotRow:
    rank: int
    heat: float
    title: str
    place: str
    start: datetime | None
    end: datetime | None
    count: int
    likes: int
    demands: list[Demand] = field(default_factory=list)


def _place_key(d: Demand) -> str:
    return f"g{d.grid_id}" if d.grid_id else services.place_of(d)


def _hot_row(title: str, members: list[Demand], now: datetime) -> HotRow:
    """One issue at one place, its heat by gongzhi.insights.hot.heat_index."""
    times = [d.created_at for d in members]
    submitters = {d.submitter_phone or d.submitter_user_id for d in members} - {"", None}
    unknown = sum(1 for d in members if not (d.submitter_phone or d.submitter_user_id))
    likes = sum(d.support_count for d in members)
    recent = sum(1 for t in times if now - timedelta(days=30) < t <= now)
    before = sum(1 for t in times if now - timedelta(days=60) < t <= now - timedelta(days=30))
    heat = heat_index(len(members), len(submitters) + unknown, likes, 0,
                      (now - max(times)).total_seconds() / 86400, recent, before)
    places = Counter(p for p in (services.place_of(d) for d in members) if p)
    return HotRow(0, round(heat, 4), title, places.most_common(1)[0][0] if places else "", min(times), max(times),
                  len(members), likes, sorted(members, key=lambda d: d.created_at))


def _problem_key(row: HotRow):
    """What a hot issue is about: the commonest category of its demands, else (none categorised) its title."""
    cats = Counter(d.category_id for d in row.demands if d.category_id)
    return ("category", cats.most_common(1)[0][0]) if cats else ("title", row.title)


def _merge_same_place_and_problem(rows: list[HotRow], now: datetime) -> list[HotRow]:
    """One entry per place and problem: the miner may cut one problem into several clusters (饭店油烟扰民 and
    楼下餐饮油烟 at one building); parts that share the place shown and the problem become one issue, titled after
    its largest part."""
    groups: dict = defaultdict(list)
    for row in rows:
        groups[row.place, _problem_key(row)].append(row)
    out = []
    for parts in groups.values():
        if len(parts) == 1:
            out.append(parts[0])
            continue
        title = max(parts, key=lambda r: (r.count, r.heat)).title
        out.append(_hot_row(title, [d for r in parts for d in r.demands], now))
    return out


def hot_issues(user, node: Region, days: int, now: datetime | None = None, top: int = 20) -> list[HotRow]:
    """The period's demands under the node grouped into issues ranked by heat (gongzhi.insights.hot).

    The miner groups by problem (text = title + description, time = submission, likes = me too); an issue is
    then split by place (the grid, else the building / address), parts that share the place shown and the problem
    (category) are merged, and each is ranked by the miner's heat index. The place shown is the commonest
    building / address / grid name of the part's demands."""
    now = now or timezone.now()
    qs = (in_node(visible_demands(user), node).filter(created_at__gte=now - timedelta(days=days),
                                                      created_at__lte=now)
          .select_related("building", "grid").order_by("created_at")[:HOT_LIMIT])
    demands = {d.pk: d for d in qs}
    msgs = [Message(id=d.pk, title=d.title, text=d.description, time=d.created_at,
                    user=d.submitter_phone or (str(d.submitter_user_id) if d.submitter_user_id else None),
                    likes=d.support_count) for d in demands.values()]
    rows = []
    for issue in mine_hot_issues(msgs, top=None, period_end=now):
        parts = defaultdict(list)
        for pk in issue.message_ids:
            parts[_place_key(demands[pk])].append(demands[pk])
        rows.extend(_hot_row(issue.title, members, now) for members in parts.values())
    rows = _merge_same_place_and_problem(rows, now)
    rows.sort(key=lambda r: (-r.heat, -r.count, r.start))
    for rank, row in enumerate(rows[:top], start=1):
        row.rank = rank
    return rows[:top]


# --- Yearly top-10 concerns -----------------------------------------------------------------------------------

@dataclass
class Concerns:
    node: Region
    year: int
    total: int
    concerns: list[Concern]
    trend: dict  # {"months": [labels], "series": [{"name": str, "counts": [one int per month]}], "partial": bool}

    @property
    def chart(self) -> dict:
        """The trend as a server-side SVG line chart (gongzhi.triage.charts)."""
        return line_chart(self.trend["months"], self.trend["series"])

    @property
    def rows(self) -> list[dict]:
        """For display: shares and their change in percent points."""
        return [{"concern": c, "share_pct": round(c.share * 100, 1), "change_pts": round(c.share_change * 100, 1),
                 "rank_drop": -c.rank_change if c.rank_change else 0} for c in self.concerns]


def concern_years(user) -> list[int]:
    first = visible_demands(user).order_by("created_at").values_list("created_at", flat=True).first()
    this_year = timezone.localdate().year
    start = timezone.localtime(first).year if first else this_year
    return list(range(this_year, min(start, this_year) - 1, -1))


def concerns(user, node: Region, year: int) -> Concerns:
    """The node's top-10 categories (top level) of ``year`` with shares, ranks and change from the year
    before, plus the monthly counts of the top categories: finished months only (the current month is not over, so
    it is not drawn as a low point, and months to come are not drawn as 0), labelled in the active language."""
    tz = timezone.get_current_timezone()
    start = datetime(year - 1, 1, 1, tzinfo=tz)
    end = datetime(year + 1, 1, 1, tzinfo=tz)
    qs = in_node(visible_demands(user), node).filter(category__isnull=False, created_at__gte=start,
                                                     created_at__lt=end)
    rows, months = [], defaultdict(Counter)
    for grid_id, region_id, created, cat, parent in qs.values_list(
            "grid_id", "region_id", "created_at", "category__name", "category__parent__name"):
        local = timezone.localtime(created)
        name = parent or cat
        rows.append((grid_id or region_id, local.year, name))
        if local.year == year:
            months[name][local.month] += 1
    parents = dict(Region.objects.filter(path__startswith=node.path).values_list("id", "parent_id"))
    parents[node.pk] = None
    found = top_concerns(rows, node.pk, year, parents=parents, limit=10)
    today = timezone.localdate()
    shown = range(1, 13 if year < today.year else today.month if year == today.year else 1)
    series = [{"name": c.category, "counts": [months[c.category][m] for m in shown]}
              for c in found[:TREND_CATEGORIES]] if len(shown) else []
    total = sum(1 for _r, y, _c in rows if y == year)
    labels = [date_format(date(year, m, 1), "YEAR_MONTH_FORMAT") for m in shown]
    return Concerns(node, year, total, found, {"months": labels, "series": series,
                                               "partial": year == today.year})
