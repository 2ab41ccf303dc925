"""Near-duplicate finder: which open items look like a new message about the same thing at the same place.

score = text_weight · text_score + (1 − text_weight) · place_score, where

* text_score is the cosine of character 1–3-gram TF-IDF vectors (sublinear tf) of the normalised texts;
* place_score is the best of: 1.0 for the same place string or grid id (0.8 when one place string contains
  the other, else the Jaccard similarity of their character bigrams), and exp(−d / radius_m) for the
  haversine distance d between coordinates. When the new message has no place at all, score = text_score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from .text import normalize

EARTH_RADIUS_M = 6_371_000.0


@dataclass(frozen=True)
class DuplicateMatch:
    id: object
    score: float
    text_score: float
    place_score: float


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


def place_similarity(place_a, lat_a, lon_a, place_b, lat_b, lon_b, radius_m: float = 500.0) -> float:
    """0..1 similarity of two locations given as place strings / grid ids and/or coordinates."""
    best = 0.0
    a, b = normalize(str(place_a)) if place_a else "", normalize(str(place_b)) if place_b else ""
    if a and b:
        if a == b:
            return 1.0
        if a in b or b in a:
            best = 0.8
        else:
            ga, gb = _bigrams(a), _bigrams(b)
            best = len(ga & gb) / len(ga | gb)
    if None not in (lat_a, lon_a, lat_b, lon_b):
        d = haversine_m(float(lat_a), float(lon_a), float(lat_b), float(lon_b))
        best = max(best, math.exp(-d / radius_m))
    return best


def find_duplicates(
    text: str,
    items: Iterable[tuple],
    place: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    *,
    top: int = 10,
    text_weight: float = 0.7,
    radius_m: float = 500.0,
    min_score: float = 0.0,
) -> list[DuplicateMatch]:
    """Rank open items ``(id, text, place, lat, lon)`` by likeness to a new message; best first."""
    items = list(items)
    if not items:
        return []
    docs = [normalize(text)] + [normalize(it[1]) for it in items]
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    try:
        X = vec.fit_transform(docs)
        text_scores = np.asarray((X[1:] @ X[0].T).todense()).ravel()
    except ValueError:  # every text empty
        text_scores = np.zeros(len(items))
    has_place = bool(place) or (lat is not None and lon is not None)
    out = []
    for it, ts in zip(items, text_scores, strict=True):
        _id, _text, it_place, it_lat, it_lon = (tuple(it) + (None,) * 5)[:5]
        ps = place_similarity(place, lat, lon, it_place, it_lat, it_lon, radius_m) if has_place else 0.0
        score = text_weight * ts + (1 - text_weight) * ps if has_place else float(ts)
        if score >= min_score:
            out.append(DuplicateMatch(_id, round(float(score), 6), round(float(ts), 6), round(float(ps), 6)))
    out.sort(key=lambda m: (-m.score, -m.text_score))
    return out[:top]
