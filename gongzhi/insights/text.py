"""Text helpers shared by the insights modules: normalisation, words, n-gram features as integer keys.

Features are 64-bit integer keys computed with numpy: character n-grams pack their code points (21 bits
each), words and word pairs pack rjieba word ids. A model therefore needs only an array of keys as its
vocabulary: no pickled objects, no Python ``hash`` (which changes between processes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import rjieba

_NON_WORD = re.compile(r"[\W_]+")
# Character n-gram keys stay below 2**63; word keys set bit 63, word-pair keys bits 63 and 62.
_WORD = np.uint64(1 << 63)
_WORD_PAIR = np.uint64(3 << 62)
_FIB = np.uint64(0x9E3779B97F4A7C15)


def normalize(text: str | None) -> str:
    """Lower-case, letters and digits only (whitespace and punctuation removed).

    Full-width letters and digits are folded to ASCII on code points in :func:`char_ngrams` (``str.translate``
    and NFKC are slow)."""
    if not text:
        return ""
    return _NON_WORD.sub("", str(text).lower())


def words(text: str) -> list[str]:
    """rjieba words of an already normalised text."""
    return rjieba.cut(text) if text else []


def char_ngrams(texts: Sequence[str], orders: Iterable[int] = (1, 2, 3)) -> tuple[np.ndarray, np.ndarray]:
    """(row, key) pairs of the character n-grams of normalised texts, computed for the whole batch at once."""
    if not texts:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    wide = (codes >= 0xFF01) & (codes <= 0xFF5E)
    codes[wide] -= np.uint64(0xFEE0)
    upper = (codes >= 0x41) & (codes <= 0x5A)
    codes[upper] += np.uint64(0x20)
    doc = np.repeat(np.arange(len(texts)), lengths)
    rows, keys = [], []
    for n in orders:  # key = code points packed 21 bits each: exact, and the orders cannot collide
        if len(codes) < n:
            continue
        m = len(codes) - n + 1
        ok = doc[:m] == doc[n - 1 :]
        key = codes[:m][ok]
        for i in range(1, n):
            key = (key << np.uint64(21)) | codes[i : i + m][ok]
        rows.append(doc[:m][ok])
        keys.append(key)
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    return np.concatenate(rows), np.concatenate(keys)


def word_ngrams(
    token_lists: Sequence[Sequence[str]], vocab: dict[str, int], grow: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """(row, key) pairs of word unigrams and bigrams. Unknown words are skipped unless ``grow`` adds them."""
    flat = [t for toks in token_lists for t in toks]
    if grow:
        ids = [vocab.setdefault(t, len(vocab)) for t in flat]
    else:
        get = vocab.get
        ids = [get(t, -1) for t in flat]
    lengths = np.fromiter((len(toks) for toks in token_lists), dtype=np.int64, count=len(token_lists))
    if not ids:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    a = np.asarray(ids, dtype=np.int64)
    d = np.repeat(np.arange(len(token_lists)), lengths)
    known = a >= 0
    u = a.astype(np.uint64)
    uni_rows, uni = d[known], u[known] | _WORD
    ok = (d[:-1] == d[1:]) & known[:-1] & known[1:]
    bi_rows = d[:-1][ok]
    bi = (u[:-1][ok] << np.uint64(31)) | u[1:][ok] | _WORD_PAIR
    return np.concatenate([uni_rows, bi_rows]), np.concatenate([uni, bi])


class KeyIndex:
    """Vectorised open-addressing hash table: uint64 key -> position in ``keys`` (or -1).

    ``np.searchsorted`` over a large vocabulary is cache-unfriendly; this table (load factor <= 1/2, linear
    probing) answers a batch of lookups with a few numpy gathers. Each slot holds its key (``slot_keys``,
    ``empty`` marks a free slot) next to its position (``table``), so a probe reads one array.
    """

    def __init__(self, keys: np.ndarray):
        self.keys = np.asarray(keys, dtype=np.uint64)
        bits = max(4, int(np.ceil(np.log2(max(len(self.keys), 1) * 2))))
        self.shift = np.uint64(64 - bits)
        self.mask = np.uint64((1 << bits) - 1)
        self.table = np.full(1 << bits, -1, dtype=np.int32)
        pos = self._slot(self.keys)
        pending = np.arange(len(self.keys))
        while pending.size:
            p = pos[pending]
            free = self.table[p] == -1
            slots, first = np.unique(p[free], return_index=True)
            self.table[slots] = pending[free][first]
            placed = np.zeros(len(pending), bool)
            placed[np.flatnonzero(free)[first]] = True
            pending = pending[~placed]
            pos[pending] = (pos[pending] + np.uint64(1)) & self.mask
        self.empty = np.uint64(0)
        while np.any(self.keys == self.empty):
            self.empty += np.uint64(1)
        self.slot_keys = np.full(len(self.table), self.empty, dtype=np.uint64)
        used = self.table >= 0
        self.slot_keys[used] = self.keys[self.table[used]]

    def _slot(self, keys: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return (keys * _FIB) >> self.shift  # Fibonacci hashing spreads the packed keys

    def lookup(self, query: np.ndarray) -> np.ndarray:
        query = np.asarray(query, dtype=np.uint64)
        result = np.full(len(query), -1, dtype=np.int64)
        pos = self._slot(query)
        active = np.arange(len(query))
        while active.size:
            found = self.slot_keys[pos]
            hit = found == query  # a query equal to ``empty`` "hits" a free slot, whose table entry is -1
            result[active[hit]] = self.table[pos[hit]]
            go_on = ~hit & (found != self.empty)
            active, query = active[go_on], query[go_on]
            pos = (pos[go_on] + np.uint64(1)) & self.mask
        return result
