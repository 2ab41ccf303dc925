"""Text similarity for matching: TF-IDF over rjieba word tokens plus character n-grams (no Django)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import rjieba
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.preprocessing import normalize


@lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(t for t in rjieba.cut(text) if t.isalnum())


def tokens(text: str) -> list[str]:
    """rjieba word tokens of `text`, without punctuation and white space."""
    return list(_tokens(text))


def char_ngram_counts(texts: Sequence[str], sizes: tuple[int, ...] = (2, 3)) -> sp.csr_matrix:
    """Document × character n-gram count matrix, computed on code points with numpy (no Python loop per
    n-gram; n ≤ 3 so an n-gram fits one int64 key)."""
    encoded = [np.frombuffer(t.lower().encode("utf-32-le"), dtype=np.uint32) for t in texts]
    codes = np.concatenate(encoded).astype(np.int64) if encoded else np.zeros(0, dtype=np.int64)
    doc = np.repeat(np.arange(len(texts)), [len(e) for e in encoded])
    rows, keys = [], []
    for n in sizes:
        m = len(codes) - n + 1
        if m <= 0:
            continue
        key = codes[:m] + (1 if n > 2 else 0)  # trigrams get keys ≥ 2**42, bigrams stay below
        for j in range(1, n):
            key = (key << 21) + codes[j: j + m]
        same = doc[:m] == doc[n - 1: n - 1 + m]
        rows.append(doc[:m][same])
        keys.append(key[same])
    if not rows or not sum(len(r) for r in rows):
        return sp.csr_matrix((len(texts), 1))
    _, cols = np.unique(np.concatenate(keys), return_inverse=True)
    rows = np.concatenate(rows)
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols.ravel())), shape=(len(texts), int(cols.max()) + 1))


def tfidf_matrix(texts: Sequence[str]) -> sp.csr_matrix:
    """L2-normalised rows: half word TF-IDF, half character 2–3-gram TF-IDF, so a row product is the mean of
    the two cosines. Rows of empty texts are zero (similarity 0 with everything). The IDF is fitted on
    `texts` itself (pass needs and resources together)."""
    texts = [t or "" for t in texts]
    if not texts:
        return sp.csr_matrix((0, 1))
    try:
        words = TfidfVectorizer(analyzer=tokens, sublinear_tf=True).fit_transform(texts)
    except ValueError:  # empty vocabulary: every text is empty or punctuation
        words = sp.csr_matrix((len(texts), 1))
    chars = TfidfTransformer(sublinear_tf=True).fit_transform(char_ngram_counts(texts))
    weight = np.sqrt(0.5)
    matrix = sp.hstack([normalize(words) * weight, normalize(chars) * weight], format="csr")
    return normalize(matrix).astype(np.float64)  # rows with one empty half still have norm 1
