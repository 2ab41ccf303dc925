"""Two-way matching (双向认领) engine: resource list × need list → suggestions and a project list.

Django-free: plain dataclasses in, plain dataclasses out. A Django app builds `Resource` and `Need` objects from
its models (plus each provider's current load and the history of past pairings) and stores what comes out.

Score of a pair (need, resource) — every component lies in [0, 1], the weights are `MatchingConfig` fields:

    score = category·compatibility + text·similarity + region·closeness + capacity·fit + time·overlap
            + priority·need_priority − load·load_penalty − repeat·repeat_penalty

* compatibility: `MatchingConfig.compatibility[need.category][resource.category]`; an unlisted pair of equal
  categories counts 1.0, any other unlisted pair 0.
* similarity: cosine of TF-IDF vectors (rjieba words + character 2–3-grams, see `text.py`).
* closeness: the resource must serve the need's place or one of its ancestors (a node covers its subtree);
  the deeper the covering node, the closer: `region_levels[depth]`, depth 0 = district ("/1/"), 1 = sub-district,
  2 = residential area, 3 = grid.
* fit: `min(1, capacity / quantity)`; a need's quantity is counted in the resource's unit (`need.unit` None) or
  in `need.unit`, and then only resources with that unit qualify.
* overlap: the fraction of the need's date window (inclusive) covered by the resource's window.
* need_priority: mean of (urgency − 1)/4 and log(1 + beneficiaries)/log(1 + beneficiaries_scale), capped at 1.
  It does not change one need's ranking of resources but orders needs for a resource and in the global mode.
* load_penalty: min(1, provider_load / load_scale) — spreads the work across units.
* repeat_penalty: min(1, past pairings of (provider, need place) / repeat_scale) — avoids the same two again.

A pair is ineligible (never suggested, never assigned) when the categories are incompatible (weight 0), the
resource names a topic unrelated to the need's category (`related`: "党员志愿者助老服务" is a volunteer resource, but
for old people, so it does not plant trees; "垃圾分类培训" is training, but not homework help), the date windows do not
overlap, no served region covers the need's place, the units differ, or the capacity is 0.

Fast top-k: needs are grouped by place; for a place only the resources serving one of its path prefixes are
candidates (a dictionary look-up per prefix), and each group is scored as one dense block (sparse TF-IDF product
for the text) with `np.partition` for the top k. Every eligible pair lies in exactly one block, so the result
equals scoring all pairs (`brute_force_top`), ties broken by the lower index, i.e. input order.

Global mode (`assign`): a need may be split across resources (e.g. 30 volunteer hours from two teams); each
resource serves several needs while the amounts it gives stay within its capacity, and a need receives at most its
quantity. A pair's value is its score × the share of the need it covers, so a fully served need counts its score.
This is a transportation problem, solved exactly by `scipy.optimize.linprog` (HiGHS dual simplex) on the sparse
candidate graph: the union of every need's and every resource's top-`k` candidates with a positive score. Its
constraint matrix is totally unimodular, so with whole-number quantities and capacities the amounts come out whole,
and a vertex solution splits few needs (about 5 % in the benchmark). The all-or-nothing variant (each need from one
resource) is a generalised assignment problem, NP-hard: a `milp` of it did not finish in minutes at bench size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from .text import tfidf_matrix

RESOURCE_CATEGORIES = {
    "venue": "场地", "volunteer": "志愿服务", "funds": "资金", "goods": "物资", "legal": "法律服务",
    "medical": "医疗服务", "psychological": "心理服务", "jobs": "就业岗位", "training": "培训",
}
NEED_CATEGORIES = {
    "elderly_care": "为老服务", "child_care": "儿童青少年", "health": "健康医疗", "legal_aid": "法律援助",
    "employment": "就业帮扶", "hardship_relief": "困难帮扶", "environment": "环境整治", "culture": "文体活动",
    "mental_health": "心理关爱", "community_event": "社区活动",
}
UNITS = {"people": "人", "hours": "小时", "yuan": "元", "sessions": "场次"}

DEFAULT_COMPATIBILITY: dict[str, dict[str, float]] = {
    "elderly_care": {"volunteer": 1.0, "medical": 0.8, "psychological": 0.6, "venue": 0.6, "goods": 0.5, "funds": 0.4},
    "child_care": {"training": 1.0, "volunteer": 0.9, "venue": 0.7, "psychological": 0.6, "funds": 0.4},
    "health": {"medical": 1.0, "psychological": 0.6, "volunteer": 0.5, "venue": 0.4},
    "legal_aid": {"legal": 1.0, "volunteer": 0.3},
    "employment": {"jobs": 1.0, "training": 0.8, "legal": 0.3},
    "hardship_relief": {"funds": 1.0, "goods": 1.0, "volunteer": 0.6, "jobs": 0.5, "legal": 0.4},
    "environment": {"volunteer": 1.0, "funds": 0.6, "goods": 0.5},
    "culture": {"venue": 1.0, "volunteer": 0.7, "funds": 0.6, "training": 0.6},
    "mental_health": {"psychological": 1.0, "medical": 0.6, "volunteer": 0.4},
    "community_event": {"venue": 1.0, "volunteer": 0.8, "funds": 0.7, "goods": 0.5},
}

# What a resource is for, read from its title and description: a keyword names the need category it serves. The
# resource categories are kinds of help (volunteers, training …); these say whom or what the help is for.
TOPIC_KEYWORDS: dict[str, tuple[str, ...]] = {
    "elderly_care": ("助老", "为老", "敬老", "养老", "老人", "老年", "高龄", "独居", "适老", "助餐"),
    "child_care": ("少儿", "儿童", "青少年", "亲子", "课后", "作业", "托管", "助学", "学习用品"),
    "health": ("医", "健康", "慢病", "体检", "义诊", "血压", "急救"),
    "legal_aid": ("法律", "律师", "调解", "纠纷", "继承", "遗嘱", "劳动争议"),
    "employment": ("就业", "岗位", "实习", "求职", "职业", "技能培训"),
    "hardship_relief": ("困难", "帮扶", "低保", "慰问", "微心愿"),
    "environment": ("垃圾", "绿化", "清洁", "堆物", "环境", "保洁"),
    "culture": ("文艺", "书法", "文体", "广场舞", "阅读", "科普"),
    "mental_health": ("心理",),
    "community_event": ("邻里节", "党课", "议事", "节日"),
}
# Need categories related to each other (symmetric; a category is related to itself). A resource whose text names
# topics serves only needs of a category related to one of them; a resource that names none is judged by the
# compatibility table alone.
RELATED_NEEDS: dict[str, frozenset[str]] = {}
for _a, _b in [("elderly_care", "health"), ("elderly_care", "mental_health"), ("elderly_care", "hardship_relief"),
               ("elderly_care", "community_event"), ("child_care", "culture"), ("child_care", "mental_health"),
               ("health", "mental_health"), ("legal_aid", "employment"), ("legal_aid", "hardship_relief"),
               ("employment", "hardship_relief"), ("environment", "community_event"),
               ("culture", "community_event")]:
    RELATED_NEEDS[_a] = RELATED_NEEDS.get(_a, frozenset({_a})) | {_b}
    RELATED_NEEDS[_b] = RELATED_NEEDS.get(_b, frozenset({_b})) | {_a}


def topics(text: str) -> frozenset[str]:
    """The need categories a resource's text says it is for (TOPIC_KEYWORDS); empty when it names none."""
    return frozenset(cat for cat, words in TOPIC_KEYWORDS.items() if any(w in text for w in words))


def related(need_category: str, resource_topics: Iterable[str]) -> bool:
    """Whether a resource about `resource_topics` may serve a need of `need_category` (True when it names none)."""
    found = list(resource_topics)
    return not found or any(need_category in RELATED_NEEDS.get(t, frozenset({t})) for t in found)


@dataclass(frozen=True)
class MatchingConfig:
    """Weights and knobs of the score (see the module docstring for the formula)."""

    category: float = 0.20  # × compatibility weight of (need category, resource category)
    text: float = 0.25  # × TF-IDF cosine similarity
    region: float = 0.20  # × region_levels[depth of the covering node]
    capacity: float = 0.10  # × min(1, capacity / quantity)
    time: float = 0.15  # × fraction of the need's window covered
    priority: float = 0.10  # × need priority (urgency and beneficiaries)
    load: float = 0.15  # − × min(1, provider load / load_scale)
    repeat: float = 0.10  # − × min(1, past (provider, place) pairings / repeat_scale)
    load_scale: float = 10.0
    repeat_scale: float = 3.0
    beneficiaries_scale: float = 100.0
    region_levels: tuple[float, ...] = (0.25, 0.5, 0.75, 1.0)  # district, sub-district, area, grid (deeper: last)
    region_labels: tuple[str, ...] = ("同区", "同一街道", "同一居民区", "同一网格")
    compatibility: Mapping[str, Mapping[str, float]] = field(default_factory=lambda: DEFAULT_COMPATIBILITY)

    def compatible(self, need_category: str, resource_category: str) -> float:
        weight = self.compatibility.get(need_category, {}).get(resource_category)
        if weight is None:
            return 1.0 if need_category == resource_category else 0.0
        return float(weight)

    def fits(self, need_category: str, resource_category: str, resource_text: str) -> float:
        """The category weight of a pair once the resource's topics are read: 0 = unrelated (never suggested)."""
        if not related(need_category, topics(resource_text)):
            return 0.0
        return self.compatible(need_category, resource_category)


@dataclass(frozen=True)
class Resource:
    """An offer (资源清单): what a member unit or party organization can give."""

    id: Hashable
    category: str
    text: str
    capacity: float  # in `unit`; pass the remaining capacity
    unit: str  # people, hours, yuan, sessions
    start: date
    end: date
    regions: tuple[str, ...]  # region paths served, e.g. ("/1/4/",); each covers its subtree
    provider: Hashable
    title: str | None = None  # what the offer is ("党员志愿者助老服务"): its topics are read here, else from `text`

    @property
    def topic_text(self) -> str:
        """Where the topics are read: the title, not a description that names the provider (a 律师事务所's hall
        is a venue, not legal help)."""
        return self.text if self.title is None else self.title


@dataclass(frozen=True)
class Need:
    """A need (需求清单) of a place."""

    id: Hashable
    category: str
    text: str
    beneficiaries: int
    quantity: float
    start: date
    end: date
    place: str  # region path, e.g. "/1/4/9/33/"
    urgency: int = 3  # 1–5
    unit: str | None = None  # None: `quantity` is counted in the resource's unit


def _percent(x: float) -> str:
    return f"{x:.0%}"


# Plain Chinese words for each reason code (`Suggestion.reason_items`), as staff would say them; the Django app
# has its own gettext labels. No scores: a reason says what fits, not how a number came out.
REASONS_ZH = {
    "category_match": lambda v: "类别对口",
    "category_compatible": lambda v: "类别相近",
    "time_full": lambda v: "时间吻合",
    "time_overlap": lambda v: f"时间部分吻合（{_percent(v)}）",
    "text": lambda v: "内容相近",
    "capacity_full": lambda v: "数量够用",
    "capacity_partial": lambda v: f"可满足所需的 {_percent(v)}",
    "urgency": lambda v: "需求紧急",
    "experience": lambda v: "对方曾完成同类项目",
    "provider_load": lambda v: f"对方手上已有 {v} 个项目",
    "repeat": lambda v: f"对方已在此地对接 {v} 次",
}
TEXT_REASON = 0.15  # the descriptions are named as a reason from this TF-IDF similarity on


@dataclass(frozen=True)
class Suggestion:
    need_id: Hashable
    resource_id: Hashable
    score: float
    components: dict[str, float]
    region_label: str = ""  # MatchingConfig.region_labels[region_level]
    urgency: int = 3
    provider_load: int = 0
    repeat_count: int = 0
    region_level: int | None = None  # index into MatchingConfig.region_labels: 0 district … 3 grid
    experience: int = 0  # projects of the need's category the provider has completed before

    @property
    def reason_items(self) -> list[tuple[str, float | int | None]]:
        """The reasons as (code, value) pairs, one per factor that matters, for callers that render their own text:
        category_match / category_compatible (weight), region (region_level), time_full / time_overlap (fraction),
        text (similarity, when ≥ TEXT_REASON), capacity_full / capacity_partial (fraction), urgency (level, when
        ≥ 4), experience (count, when > 0), provider_load (count, when > 0), repeat (count, when > 0)."""
        c = self.components
        out: list[tuple[str, float | int | None]] = [
            ("category_match", None) if c["category"] >= 1 else ("category_compatible", c["category"]),
            ("region", self.region_level),
            ("time_full", None) if c["time"] >= 1 else ("time_overlap", c["time"]),
        ]
        if c["text"] >= TEXT_REASON:
            out.append(("text", c["text"]))
        out.append(("capacity_full", None) if c["capacity"] >= 1 else ("capacity_partial", c["capacity"]))
        if self.urgency >= 4:
            out.append(("urgency", self.urgency))
        if self.experience:
            out.append(("experience", self.experience))
        if self.provider_load:
            out.append(("provider_load", self.provider_load))
        if self.repeat_count:
            out.append(("repeat", self.repeat_count))
        return out

    @property
    def reasons(self) -> list[str]:
        """Short Chinese reasons, one per factor that matters: `reason_items` as text."""
        return [self.region_label if code == "region" else REASONS_ZH[code](value)
                for code, value in self.reason_items]


@dataclass(frozen=True)
class Allocation:
    """One line of the project list: `amount` (in the resource's unit) of a resource given to a need."""

    suggestion: Suggestion
    amount: float
    share: float  # fraction of the need's quantity covered by this line

    @property
    def need_id(self) -> Hashable:
        return self.suggestion.need_id

    @property
    def resource_id(self) -> Hashable:
        return self.suggestion.resource_id

    @property
    def value(self) -> float:
        return self.suggestion.score * self.share


@dataclass(frozen=True)
class Assignment:
    allocations: list[Allocation]  # ordered by need, then resource index
    total_score: float  # Σ score × share
    used: dict[Hashable, float]  # resource id → amount given
    optimal: bool
    message: str = ""


@lru_cache(maxsize=65536)
def _path_ids(path: str) -> tuple[str, ...]:
    """The node paths from the root down to `path`: "/1/4/9/" → ("/1/", "/1/4/", "/1/4/9/")."""
    parts = [p for p in path.strip("/").split("/") if p]
    return tuple("/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts)))


def _normal(path: str) -> str:
    ids = _path_ids(path)
    return ids[-1] if ids else "/"


def _top_groups(group: np.ndarray, other: np.ndarray, score: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k best entries of each group: by score, then by the lower `other` index."""
    order = np.lexsort((other, -score, group))
    g = group[order]
    if not len(g):
        return order
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    rank = np.arange(len(g)) - np.repeat(starts, np.diff(np.r_[starts, len(g)]))
    return order[rank < k]


def _within_top(scores: np.ndarray, k: int, axis: int) -> np.ndarray:
    """Mask of finite entries not below the k-th largest along `axis` (ties kept; `_top_groups` cuts them)."""
    finite = np.isfinite(scores)
    if scores.shape[axis] <= k:
        return finite
    kth = -np.partition(-scores, k - 1, axis=axis).take([k - 1], axis=axis)
    return finite & (scores >= kth)


class Matcher:
    """Scores needs against resources. Build once per snapshot of the two lists; methods are read-only."""

    def __init__(
        self,
        resources: Iterable[Resource],
        needs: Iterable[Need],
        config: MatchingConfig | None = None,
        *,
        provider_load: Mapping[Hashable, int] | None = None,
        history: Mapping[tuple[Hashable, str], int] | None = None,
        experience: Mapping[tuple[Hashable, str], int] | None = None,
    ):
        self.config = cfg = config or MatchingConfig()
        self.resources, self.needs = list(resources), list(needs)
        self.provider_load, self.history = dict(provider_load or {}), dict(history or {})
        self.experience = dict(experience or {})  # (provider, need category) → completed projects
        res, nds = self.resources, self.needs
        for n in nds:
            if n.end < n.start:
                raise ValueError(f"need {n.id!r}: end before start")
        self.need_index = {n.id: i for i, n in enumerate(nds)}
        self.resource_index = {r.id: i for i, r in enumerate(res)}

        ncats = {c: i for i, c in enumerate(sorted({n.category for n in nds}))}
        rcats = {c: i for i, c in enumerate(sorted({r.category for r in res}))}
        self._compat = np.array([[cfg.compatible(a, b) for b in rcats] or [0.0] for a in ncats] or [[0.0]])
        self._ncat = np.array([ncats[n.category] for n in nds], dtype=np.intp)
        self._rcat = np.array([rcats[r.category] for r in res], dtype=np.intp)
        # Whether each resource's topics (what its text says it is for) relate to each need category.
        self._rfits = np.array([[related(c, topics(r.topic_text)) for c in ncats] for r in res],
                               dtype=bool).reshape(len(res), len(ncats))
        units = {u: i for i, u in enumerate(sorted({r.unit for r in res} | {n.unit for n in nds if n.unit}))}
        self._nunit = np.array([units[n.unit] if n.unit else -1 for n in nds], dtype=np.intp)
        self._runit = np.array([units[r.unit] for r in res], dtype=np.intp)
        self._nstart = np.array([n.start.toordinal() for n in nds], dtype=np.int64)
        self._nend = np.array([n.end.toordinal() for n in nds], dtype=np.int64)
        self._ndays = (self._nend - self._nstart + 1).astype(float)
        self._rstart = np.array([r.start.toordinal() for r in res], dtype=np.int64)
        self._rend = np.array([r.end.toordinal() for r in res], dtype=np.int64)
        self._qty = np.array([n.quantity for n in nds], dtype=float)
        self._cap = np.array([r.capacity for r in res], dtype=float)
        benef = np.log1p(np.maximum([n.beneficiaries for n in nds], 0)) / np.log1p(cfg.beneficiaries_scale)
        urg = (np.clip([n.urgency for n in nds], 1, 5) - 1) / 4
        self._priority = (urg + np.minimum(benef, 1.0)) / 2 if nds else np.zeros(0)

        # Region tree: every path prefix gets an integer id.
        node_ids: dict[str, int] = {}
        nprefix = [[node_ids.setdefault(p, len(node_ids)) for p in _path_ids(n.place)] for n in nds]
        rnodes = [sorted({node_ids.setdefault(_path_ids(x)[-1], len(node_ids)) for x in r.regions if _path_ids(x)})
                  for r in res]
        depth = {nid: p.count("/") - 2 for p, nid in node_ids.items()}
        width = max([len(x) for x in nprefix] + [d + 1 for d in depth.values()] + [1])
        self._nprefix = np.full((len(nds), width), -1, dtype=np.intp)
        for i, row in enumerate(nprefix):
            self._nprefix[i, : len(row)] = row
        self._nplace = np.array([row[-1] if row else -1 for row in nprefix], dtype=np.intp)
        j = max([len(x) for x in rnodes] + [1])
        self._rnodes = np.full((len(res), j), -1, dtype=np.intp)
        for i, row in enumerate(rnodes):
            self._rnodes[i, : len(row)] = row
        self._rdepth = np.vectorize(lambda x: depth.get(x, 0), otypes=[np.intp])(self._rnodes)
        levels = list(cfg.region_levels) + [cfg.region_levels[-1]] * width
        self._levels = np.array(levels[:width], dtype=float)
        serving: dict[int, list[int]] = defaultdict(list)
        for i, row in enumerate(rnodes):
            for nid in row:
                serving[nid].append(i)
        self._serving = {nid: np.array(v, dtype=np.intp) for nid, v in serving.items()}
        self._node_depth = depth

        # Fairness inputs.
        providers = {p: i for i, p in enumerate(dict.fromkeys(r.provider for r in res))}
        self._rprov = np.array([providers[r.provider] for r in res], dtype=np.intp)
        self._rload = np.array([self.provider_load.get(r.provider, 0) for r in res], dtype=float)
        keys = {}
        for (prov, place), count in self.history.items():
            pid, nid = providers.get(prov), node_ids.get(_normal(place))
            if pid is not None and nid is not None and count:
                keys[nid * len(providers) + pid] = keys.get(nid * len(providers) + pid, 0) + count
        self._hkeys = np.array(sorted(keys), dtype=np.int64)
        self._hvals = np.array([keys[k] for k in sorted(keys)], dtype=float)
        self._nprov = max(len(providers), 1)

        tfidf = tfidf_matrix([n.text for n in nds] + [r.text for r in res])
        self._ntext, self._rtext = tfidf[: len(nds)], tfidf[len(nds):]

    # ---------------------------------------------------------------- scoring
    def _repeats(self, place: np.ndarray, prov: np.ndarray) -> np.ndarray:
        key = place.astype(np.int64) * self._nprov + prov
        if not len(self._hkeys):
            return np.zeros(np.shape(key))
        pos = np.minimum(np.searchsorted(self._hkeys, key), len(self._hkeys) - 1)
        return np.where(self._hkeys[pos] == key, self._hvals[pos], 0.0)

    def _region(self, n: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Closeness and depth of the deepest covering node for broadcastable need/resource index arrays."""
        nodes, depth = self._rnodes[r], self._rdepth[r]
        hit = (nodes >= 0) & (self._nprefix[n[..., None], depth] == nodes)
        level = np.where(hit, self._levels[depth], 0.0)
        best = level.argmax(-1)
        return np.take_along_axis(level, best[..., None], -1)[..., 0], np.take_along_axis(depth, best[..., None], -1)[..., 0]

    def _score(self, n, r, text, region, parts: bool = False):
        """Score (−inf when ineligible) of broadcastable index arrays `n`, `r`; `parts` adds the components."""
        cfg = self.config
        cat = np.where(self._rfits[r, self._ncat[n]], self._compat[self._ncat[n], self._rcat[r]], 0.0)
        nunit = self._nunit[n]
        unit_ok = (nunit < 0) | (nunit == self._runit[r])
        days = np.minimum(self._nend[n], self._rend[r]) - np.maximum(self._nstart[n], self._rstart[r]) + 1
        time = np.clip(days, 0, None) / self._ndays[n]
        cap, qty = self._cap[r], self._qty[n]
        fit = np.where(qty > 0, np.minimum(1.0, cap / np.where(qty > 0, qty, 1.0)), 1.0)
        load = np.minimum(1.0, self._rload[r] / cfg.load_scale)
        repeats = self._repeats(self._nplace[n], self._rprov[r])
        repeat = np.minimum(1.0, repeats / cfg.repeat_scale)
        prio = self._priority[n]
        score = (cfg.category * cat + cfg.text * text + cfg.region * region + cfg.capacity * fit + cfg.time * time
                 + cfg.priority * prio - cfg.load * load - cfg.repeat * repeat)
        ok = (cat > 0) & unit_ok & (days > 0) & (region > 0) & (cap > 0)
        score = np.where(ok, score, -np.inf)
        if not parts:
            return score
        return score, dict(category=cat, text=text, region=region, capacity=fit, time=time, priority=prio,
                           load_penalty=load, repeat_penalty=repeat), repeats

    def _pair_text(self, n: np.ndarray, r: np.ndarray) -> np.ndarray:
        return np.asarray(self._ntext[n].multiply(self._rtext[r]).sum(axis=1)).ravel()

    # ---------------------------------------------------------------- top-k
    def _blocks(self, needs: np.ndarray | None = None, resources: np.ndarray | None = None):
        """(need indices, candidate resource indices, closeness) per place; candidates sorted by index.
        `needs` / `resources` restrict the sweep to those indices."""
        groups: dict[int, list[int]] = defaultdict(list)
        rows = np.arange(len(self.needs)) if needs is None else np.unique(needs)
        for i, place in zip(rows.tolist(), self._nplace[rows].tolist(), strict=True):
            groups[place].append(i)
        for place in sorted(groups):
            need_idx = np.array(groups[place], dtype=np.intp)
            prefixes = self._nprefix[need_idx[0]]
            found = [(self._serving[nid], self._levels[self._node_depth[nid]])
                     for nid in prefixes[prefixes >= 0].tolist() if nid in self._serving]
            if not found:
                continue
            cand = np.concatenate([f[0] for f in found])
            close = np.concatenate([np.full(len(f[0]), f[1]) for f in found])
            if len(found) > 1:
                order = np.lexsort((-close, cand))
                cand, close = cand[order], close[order]
                first = np.r_[True, cand[1:] != cand[:-1]]
                cand, close = cand[first], close[first]
            if resources is not None:
                keep = np.isin(cand, resources)
                cand, close = cand[keep], close[keep]
            if len(cand):
                yield need_idx, cand, close

    def _sweep(self, k: int, for_needs: bool, for_resources: bool, needs=None, resources=None):
        """Arrays (need, resource, score) of the top-k pairs per need and per resource, without scoring all pairs."""
        out = {"needs": [], "resources": []}
        for need_idx, cand, close in self._blocks(needs, resources):
            text = (self._ntext[need_idx] @ self._rtext[cand].T).toarray()
            scores = self._score(need_idx[:, None], cand[None, :], text, close[None, :])
            for key, wanted, axis in (("needs", for_needs, 1), ("resources", for_resources, 0)):
                if wanted:
                    rows, cols = np.nonzero(_within_top(scores, k, axis))
                    out[key].append((need_idx[rows], cand[cols], scores[rows, cols]))
        result = {}
        for key, parts in out.items():
            n, r, s = (np.concatenate([p[i] for p in parts]) if parts else np.zeros(0, dtype=int if i < 2 else float)
                       for i in range(3))
            keep = _top_groups(n, r, s, k) if key == "needs" else _top_groups(r, n, s, k)
            result[key] = (n[keep].astype(np.intp), r[keep].astype(np.intp), s[keep])
        return result

    def score_matrix(self, need_indices: Iterable[int] | None = None, chunk: int = 256) -> np.ndarray:
        """Brute force: the dense (needs × all resources) score matrix, −inf where ineligible."""
        rows = np.arange(len(self.needs)) if need_indices is None else np.asarray(list(need_indices), dtype=np.intp)
        out = np.empty((len(rows), len(self.resources)))
        r = np.arange(len(self.resources))[None, :]
        for a in range(0, len(rows), chunk):
            n = rows[a: a + chunk]
            text = (self._ntext[n] @ self._rtext.T).toarray()
            close, _ = self._region(n[:, None], r)
            out[a: a + chunk] = self._score(n[:, None], r, text, close)
        return out

    def brute_force_top(self, k: int = 5, need_indices: Iterable[int] | None = None):
        """(need, resource, score) arrays of each need's top k from `score_matrix` (same tie rule as the fast path)."""
        rows = np.arange(len(self.needs)) if need_indices is None else np.asarray(list(need_indices), dtype=np.intp)
        scores = self.score_matrix(rows)
        i, j = np.nonzero(_within_top(scores, k, 1))
        n, r, s = rows[i], j, scores[i, j]
        keep = _top_groups(n, r, s, k)
        return n[keep], r[keep], s[keep]

    def top_pairs(self, k: int = 5, *, for_needs: bool = True, for_resources: bool = False):
        """Index arrays of the fast top-k: {"needs": (n, r, s), "resources": (n, r, s)}, grouped and ranked."""
        return self._sweep(k, for_needs, for_resources)

    def _suggestions(self, n: np.ndarray, r: np.ndarray, s: np.ndarray) -> list[Suggestion]:
        if not len(n):
            return []
        close, depth = self._region(n, r)
        _, parts, repeats = self._score(n, r, self._pair_text(n, r), close, parts=True)
        labels = self.config.region_labels
        names = list(parts)
        cols = [parts[c].tolist() for c in names]
        nds, res = self.needs, self.resources
        top = len(labels) - 1
        return [
            Suggestion(nds[a].id, res[b].id, score, dict(zip(names, vals, strict=True)), labels[min(d, top)],
                       nds[a].urgency, int(self._rload[b]), int(rep), region_level=min(d, top),
                       experience=self.experience.get((res[b].provider, nds[a].category), 0))
            for a, b, score, d, rep, *vals in zip(n.tolist(), r.tolist(), s.tolist(), depth.tolist(),
                                                  repeats.tolist(), *cols, strict=True)
        ]

    def _indices(self, ids: Iterable[Hashable] | None, index: dict) -> np.ndarray | None:
        return None if ids is None else np.array([index[i] for i in ids], dtype=np.intp)

    def suggest_for_needs(self, k: int = 5, need_ids: Iterable[Hashable] | None = None) -> dict[Hashable, list[Suggestion]]:
        """Each need's (or each of `need_ids`') k best resources, best first; needs with no eligible resource
        are absent."""
        n, r, s = self._sweep(k, True, False, needs=self._indices(need_ids, self.need_index))["needs"]
        out: dict[Hashable, list[Suggestion]] = defaultdict(list)
        for sug in self._suggestions(n, r, s):
            out[sug.need_id].append(sug)
        return dict(out)

    def suggest_for_resources(self, k: int = 5, resource_ids: Iterable[Hashable] | None = None
                              ) -> dict[Hashable, list[Suggestion]]:
        """Each resource's (or each of `resource_ids`') k best needs, best first."""
        n, r, s = self._sweep(k, False, True, resources=self._indices(resource_ids, self.resource_index))["resources"]
        out: dict[Hashable, list[Suggestion]] = defaultdict(list)
        for sug in self._suggestions(n, r, s):
            out[sug.resource_id].append(sug)
        return dict(out)

    def explain(self, need_id: Hashable, resource_id: Hashable) -> Suggestion | None:
        """Score and reasons of one pair (scored as the fast path scores it); None when ineligible."""
        n = np.array([self.need_index[need_id]], dtype=np.intp)
        r = np.array([self.resource_index[resource_id]], dtype=np.intp)
        score = self._score(n, r, self._pair_text(n, r), self._region(n, r)[0])
        return self._suggestions(n, r, score)[0] if np.isfinite(score[0]) else None

    # ---------------------------------------------------------------- global mode
    def candidate_pairs(self, k: int = 10):
        """The sparse candidate graph of the global mode: union of per-need and per-resource top-k, score > 0."""
        top = self._sweep(k, True, True)
        n, r, s = (np.concatenate([top["needs"][i], top["resources"][i]]) for i in range(3))
        _, first = np.unique(n.astype(np.int64) * max(len(self.resources), 1) + r, return_index=True)
        n, r, s = n[first], r[first], s[first]
        keep = s > 0
        return n[keep], r[keep], s[keep]

    def _demand(self, n: np.ndarray) -> np.ndarray:
        return np.where(self._qty[n] > 0, self._qty[n], 1.0)  # a need without a quantity wants one unit

    def assign(self, k: int = 10) -> Assignment:
        """Maximise Σ score × share under capacities and quantities (needs may be split), with `linprog`."""
        n, r, s = self.candidate_pairs(k)
        if not len(n):
            return Assignment([], 0.0, {}, True, "no eligible pair")
        demand, cols = self._demand(n), np.arange(len(n))
        needs, res_ = np.unique(n, return_inverse=True), np.unique(r, return_inverse=True)
        rows = sp.vstack([
            sp.csr_matrix((np.ones(len(n)), (needs[1], cols)), shape=(len(needs[0]), len(n))),
            sp.csr_matrix((np.ones(len(n)), (res_[1], cols)), shape=(len(res_[0]), len(n))),
        ], format="csr")
        result = linprog(-s / demand, A_ub=rows, b_ub=np.r_[self._demand(needs[0]), self._cap[res_[0]]],
                         bounds=np.c_[np.zeros(len(n)), np.minimum(demand, self._cap[r])], method="highs-ds")
        if result.x is None:
            return Assignment([], 0.0, {}, False, result.message)
        amount = np.where(result.x > 1e-9, result.x, 0.0)
        return self._assignment(n, r, s, amount, result.status == 0, result.message)

    def greedy_assign(self, k: int = 10) -> Assignment:
        """Baseline: best pair first, give as much as the need still wants and the resource still has."""
        n, r, s = self.candidate_pairs(k)
        left_cap, left_need = self._cap.copy(), self._demand(np.arange(len(self.needs)))
        amount = np.zeros(len(n))
        for i in np.lexsort((r, n, -s)).tolist():
            amount[i] = give = min(left_need[n[i]], left_cap[r[i]])
            left_need[n[i]] -= give
            left_cap[r[i]] -= give
        return self._assignment(n, r, s, amount, False, "greedy")

    def _assignment(self, n, r, s, amount, optimal: bool, message: str) -> Assignment:
        chosen = np.flatnonzero(amount > 0)
        chosen = chosen[np.lexsort((r[chosen], n[chosen]))]
        n, r, s, amount = n[chosen], r[chosen], s[chosen], amount[chosen]
        share = amount / self._demand(n)
        used: dict[Hashable, float] = defaultdict(float)
        for b, give in zip(r.tolist(), amount.tolist(), strict=True):
            used[self.resources[b].id] += give
        allocations = [Allocation(sug, a, sh) for sug, a, sh in
                       zip(self._suggestions(n, r, s), amount.tolist(), share.tolist(), strict=True)]
        return Assignment(allocations, float((s * share).sum()), dict(used), optimal, str(message))
