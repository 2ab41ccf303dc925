"""Concern indices (关注度前十项指数, ``top_concerns``): each category's share of a region's messages in a
year, its rank, and the change from the previous year. Pure functions over plain rows.

A row ``(region_id, year, category)`` counts for a region node when its region is the node itself or one of
the node's descendants; ``parents`` maps each region id to its parent id (``None`` for a root).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Concern:
    category: str
    count: int
    share: float  # 0..1 of the node's messages that year
    rank: int  # 1 = most messages
    previous_count: int
    previous_share: float
    previous_rank: int | None  # None: no messages in this category the year before
    share_change: float  # share - previous_share
    rank_change: int | None  # previous_rank - rank: positive = moved up


def ancestors(region, parents: Mapping) -> list:
    """The region itself followed by its parent, grandparent, ... (cycles are cut)."""
    chain, seen = [], set()
    while region is not None and region not in seen:
        chain.append(region)
        seen.add(region)
        region = parents.get(region)
    return chain


def category_counts(rows: Iterable[tuple], region, year: int, parents: Mapping | None = None) -> Counter:
    parents = parents or {}
    cache: dict = {}
    counts: Counter = Counter()
    for row_region, row_year, category in rows:
        if int(row_year) != int(year):
            continue
        if row_region not in cache:
            cache[row_region] = region in ancestors(row_region, parents)
        if cache[row_region]:
            counts[category] += 1
    return counts


def _ranks(counts: Counter) -> dict:
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return {cat: i for i, (cat, _n) in enumerate(ordered, start=1)}


def top_concerns(
    rows: Iterable[tuple], region, year: int, parents: Mapping | None = None, limit: int = 10
) -> list[Concern]:
    """The ``limit`` categories with most messages for ``region`` in ``year``, with shares and changes."""
    rows = list(rows)
    now = category_counts(rows, region, year, parents)
    before = category_counts(rows, region, int(year) - 1, parents)
    total, total_before = sum(now.values()), sum(before.values())
    rank_now, rank_before = _ranks(now), _ranks(before)
    out = []
    for cat, rank in sorted(rank_now.items(), key=lambda kv: kv[1])[:limit]:
        share = now[cat] / total
        prev_share = before[cat] / total_before if total_before else 0.0
        prev_rank = rank_before.get(cat)
        out.append(
            Concern(
                category=cat, count=now[cat], share=share, rank=rank,
                previous_count=before[cat], previous_share=prev_share, previous_rank=prev_rank,
                share_change=share - prev_share,
                rank_change=None if prev_rank is None else prev_rank - rank,
            )
        )
    return out
