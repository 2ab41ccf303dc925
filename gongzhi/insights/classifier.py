"""Message classifier ("triage"): trains on labelled rows of any taxonomy, predicts label + confidence + top 3.

Features: character 1-3-grams (optionally also rjieba word 1-2-grams, ``use_words``) of the normalised text, as
packed 64-bit keys (:mod:`gongzhi.insights.text`), weighted by sublinear TF-IDF and L2-normalised. A document may
have a heading (e.g. 留言主题) and a body (留言详情): both are vectorised separately and added, the heading scaled
by ``title_weight``. Model: a linear classifier (SGD, modified Huber loss); training rows that have a heading
weigh ``heading_weight`` times as much as body-only rows (extra corpora often lack headings, while the messages
to triage have them). Confidence is the softmax of the decision scores divided by a temperature fitted on
out-of-fold scores (cross-validation on the training rows).

Choices were made by 5-fold cross-validation on the gov-messages training data (bench/triage.py): folds over the
1,792 titled train.csv rows, the 4,595 body-only extra_train.csv rows always in the training part, macro-F1 of the
out-of-fold predictions (one fold seed moves it by about +-0.004, so differences below ~0.005 are noise). This
set-up scores 0.918. Measured and not better (CV macro-F1):

* heading and body as separate hstacked feature blocks instead of one shared space: 0.897-0.911 (the extra rows
  have no heading, so a separate heading block learns from far fewer rows); shared space plus an extra heading
  block: 0.918;
* NFKC + casefold normalisation (as the extra rows' source team compared texts): 0.918 (two fold seeds);
* character 1-4-grams 0.915, 2-3-grams 0.916 (ensembled), 1-2-grams 0.917 (ensembled); word 1-2-grams added to
  the characters 0.917, as a separate block 0.910, alone 0.895;
* title weight 0.3 / 0.8: 0.916 / 0.917; heading rows weighted 1 / 4: 0.918 / 0.917; min_df 3: 0.919; idf
  also counted over unlabelled messages (messages_hot, messages_replies): 0.917;
* alpha 2e-5 / 1e-4: 0.913 / 0.917; hinge loss 0.918; class_weight="balanced" 0.918; LinearSVC C=0.3 / 1:
  0.906 / 0.919; logistic regression C=10 / 30: 0.905 / 0.907 (and 20x slower); ridge 0.912;
* NB-SVM (log-count-ratio scaled features, one-vs-rest, Wang & Manning 2012) with SGD / LinearSVC: 0.904 / 0.891;
* ensembles of two to five of the above, averaged as temperature-calibrated log-probabilities: at most 0.920;
* self-training on the unlabelled messages (pseudo labels with probability >= 0.9 / 0.7): 0.917 / 0.909;
* per-class score offsets tuned for macro-F1 on out-of-fold scores: -0.002 on held-out halves;
* body-only copies of the titled rows added to training: 0.919 (two fold seeds);
* the labelled titles of titles_labeled_full.csv (all 9,210 rows of the competition file, titles only) as extra
  heading-only rows, after dropping every title that equals, contains or is contained in a train.csv or test.csv
  title, or shares character 3-grams with one (Jaccard >= 0.5 or overlap >= 0.7): 6,746 rows kept, 0.919.

Heading-weighted rows gave a small gain earlier. A linear model on these n-grams levels off near 0.92 on this data.

A saved model is one ``.npz`` file of plain arrays (feature keys, idf, coefficients, intercepts) plus a JSON
document stored as UTF-8 bytes (labels, word list, parameters): ``np.load(path, allow_pickle=False)`` reads it,
and loading never runs code. Prediction is computed here from those arrays.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import StratifiedKFold

from . import text as T

FORMAT = "gongzhi-triage"
VERSION = 1
Document = str | Sequence[str]


@dataclass(frozen=True)
class Prediction:
    label: str
    confidence: float
    top: list[tuple[str, float]]


def _split(doc: Document) -> tuple[str, str]:
    """(heading, body): for a sequence of parts, the last is the body and the others the heading."""
    if isinstance(doc, str) or doc is None:
        return "", doc or ""
    parts = ["" if p is None else str(p) for p in doc]
    if not parts:
        return "", ""
    return " ".join(parts[:-1]), parts[-1]


@dataclass
class TextClassifier:
    title_weight: float = 0.5
    char_orders: tuple[int, ...] = (1, 2, 3)
    use_words: bool = False
    min_df: int = 2
    alpha: float = 5e-5
    class_weight: str | None = None
    heading_weight: float = 2.0
    seed: int = 0
    calibration_folds: int = 5
    batch_size: int = 2000
    labels: list[str] = field(default_factory=list)
    words: dict[str, int] = field(default_factory=dict, repr=False)
    keys: np.ndarray | None = field(default=None, repr=False)
    idf: np.ndarray | None = field(default=None, repr=False)
    coef: np.ndarray | None = field(default=None, repr=False)
    intercept: np.ndarray | None = field(default=None, repr=False)
    temperature: float = 1.0
    _index: T.KeyIndex | None = field(default=None, init=False, repr=False, compare=False)

    # -- features ---------------------------------------------------------------------------------------
    def _raw(self, texts: Sequence[str], grow: bool = False) -> tuple[np.ndarray, np.ndarray]:
        norm = [T.normalize(t) for t in texts]
        r1, k1 = T.char_ngrams(norm, self.char_orders)
        if not self.use_words:
            return r1, k1
        r2, k2 = T.word_ngrams([T.words(t) for t in norm], self.words, grow=grow)
        return np.concatenate([r1, r2]), np.concatenate([k1, k2])

    def _tfidf(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Sublinear TF-IDF rows, L2-normalised, built directly in canonical CSR form (sorted, no duplicates)."""
        rows, keys = self._raw(texts)
        if self._index is None or self._index.keys is not self.keys:
            self._index = T.KeyIndex(self.keys)
        idx = self._index.lookup(keys)
        ok = idx >= 0
        # one sort groups (row, feature) pairs in CSR order
        code = (rows[ok].astype(np.int64) << 32) | idx[ok]
        code.sort()
        start = np.flatnonzero(np.r_[True, code[1:] != code[:-1]]) if len(code) else np.zeros(0, np.int64)
        counts = np.diff(np.r_[start, len(code)]).astype(np.float32)
        code = code[start]
        cols = (code & 0xFFFFFFFF).astype(np.int32)
        data = (1.0 + np.log(counts)) * self.idf[cols]
        indptr = np.r_[0, np.cumsum(np.bincount(code >> 32, minlength=len(texts)))]
        return _l2(sp.csr_matrix((data, cols, indptr), shape=(len(texts), len(self.keys))))

    def transform(self, docs: Sequence[Document]) -> sp.csr_matrix:
        """TF-IDF matrix of documents (vocabulary must be fitted)."""
        parts = [_split(d) for d in docs]
        body = self._tfidf([b for _, b in parts])
        head = self._tfidf([h for h, _ in parts])
        return _l2(body + head * np.float32(self.title_weight))

    # -- training ---------------------------------------------------------------------------------------
    def fit(
        self, docs: Sequence[Document], labels: Sequence[str], progress: Callable[[str], None] | None = None
    ):
        say = progress or (lambda _msg: None)
        if len(docs) != len(labels) or not docs:
            raise ValueError("need the same, non-zero number of documents and labels")
        y = np.asarray([str(v) for v in labels])
        self.labels = sorted(set(y.tolist()))
        if len(self.labels) < 2:
            raise ValueError("need at least two distinct labels")
        self.words = {}
        parts = [_split(d) for d in docs]
        say(f"vectorising {len(docs)} documents")
        rows_b, keys_b = self._raw([b for _, b in parts], grow=True)
        rows_h, keys_h = self._raw([h for h, _ in parts], grow=True)
        uniq, inv = np.unique(np.concatenate([keys_b, keys_h]), return_inverse=True)
        rows = np.concatenate([rows_b, rows_h])
        present = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, inv)), shape=(len(docs), len(uniq)))
        present.sum_duplicates()
        df = np.diff(present.tocsc().indptr)
        keep = df >= self.min_df
        self.keys = uniq[keep]
        self.idf = (np.log((1.0 + len(docs)) / (1.0 + df[keep])) + 1.0).astype(np.float32)
        say(f"{len(self.keys)} features")
        X = self.transform(docs)
        y_idx = np.searchsorted(self.labels, y)
        # rows with a heading look like the messages to triage; rows without one (e.g. extra bodies) count less
        weight = np.where([bool(h.strip()) for h, _ in parts], self.heading_weight, 1.0)
        say("fitting the linear model")
        model = self._model(len(docs)).fit(X, y_idx, sample_weight=weight)
        self.coef = model.coef_.astype(np.float32)
        self.intercept = model.intercept_.astype(np.float32)
        if len(self.labels) == 2:  # binary models have one row: score for class 1
            self.coef = np.vstack([-self.coef, self.coef]) / 2
            self.intercept = np.array([-self.intercept[0], self.intercept[0]], np.float32) / 2
        self.temperature = self._fit_temperature(X, y_idx, weight, say)
        return self

    def _model(self, n: int) -> SGDClassifier:
        return SGDClassifier(  # small training sets need more epochs to converge (each one is cheap)
            loss="modified_huber",
            alpha=self.alpha,
            max_iter=max(50, 100_000 // n),
            tol=1e-4,
            random_state=self.seed,
            class_weight=self.class_weight,
        )

    def _fit_temperature(self, X, y_idx, weight, say) -> float:
        folds = min(self.calibration_folds, int(np.bincount(y_idx).min()))
        if folds < 2:
            return 1.0
        say(f"calibrating confidence ({folds}-fold)")
        scores = np.zeros((X.shape[0], len(self.labels)), np.float64)
        for tr, te in StratifiedKFold(folds, shuffle=True, random_state=self.seed).split(X, y_idx):
            m = self._model(len(tr)).fit(X[tr], y_idx[tr], sample_weight=weight[tr])
            s = m.decision_function(X[te])
            if s.ndim == 1:
                s = np.column_stack([-s, s]) / 2
            full = np.full((len(te), len(self.labels)), -1e3)
            full[:, m.classes_] = s
            scores[te] = full

        def nll(log_t: float) -> float:
            return -log_softmax(scores / np.exp(log_t), axis=1)[np.arange(len(y_idx)), y_idx].mean()

        return float(np.exp(minimize_scalar(nll, bounds=(-6, 4), method="bounded").x))

    # -- prediction ---------------------------------------------------------------------------------------
    def decision_function(self, docs: Sequence[Document]) -> np.ndarray:
        out = []
        for i in range(0, len(docs), self.batch_size):
            X = self.transform(docs[i : i + self.batch_size])
            out.append(np.asarray(X @ self.coef.T) + self.intercept)
        return np.vstack(out) if out else np.zeros((0, len(self.labels)), np.float32)

    def predict_proba(self, docs: Sequence[Document]) -> np.ndarray:
        return softmax(self.decision_function(docs).astype(np.float64) / self.temperature, axis=1)

    def predict(self, docs: Sequence[Document], top: int = 3) -> list[Prediction]:
        proba = self.predict_proba(docs)
        order = np.argsort(-proba, axis=1, kind="stable")[:, :top]
        return [
            Prediction(self.labels[o[0]], float(p[o[0]]), [(self.labels[j], float(p[j])) for j in o])
            for p, o in zip(proba, order, strict=True)
        ]

    def predict_labels(self, docs: Sequence[Document]) -> list[str]:
        return [self.labels[i] for i in self.decision_function(docs).argmax(axis=1)]

    # -- persistence ---------------------------------------------------------------------------------------
    def save(self, path) -> None:
        meta = {
            "format": FORMAT,
            "version": VERSION,
            "labels": self.labels,
            "words": sorted(self.words, key=self.words.__getitem__),
            "temperature": self.temperature,
            "params": {
                "title_weight": self.title_weight,
                "char_orders": list(self.char_orders),
                "use_words": self.use_words,
                "min_df": self.min_df,
                "alpha": self.alpha,
                "class_weight": self.class_weight,
                "heading_weight": self.heading_weight,
                "seed": self.seed,
                "calibration_folds": self.calibration_folds,
            },
        }
        blob = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
        with open(path, "wb") as fh:  # a file object keeps numpy from appending ".npz"
            np.savez_compressed(
                fh, meta=blob, keys=self.keys, idf=self.idf, coef=self.coef, intercept=self.intercept
            )

    @classmethod
    def load(cls, path) -> TextClassifier:
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(z["meta"].tobytes().decode("utf-8"))
                arrays = {k: z[k] for k in ("keys", "idf", "coef", "intercept")}
        except (OSError, ValueError, KeyError) as exc:
            raise ValueError(f"not a triage model file: {path} ({exc})") from exc
        if meta.get("format") != FORMAT:
            raise ValueError(f"not a triage model file: {path}")
        params = dict(meta["params"])
        params["char_orders"] = tuple(params.get("char_orders", (1, 2, 3)))
        clf = cls(**params)
        clf.labels = meta["labels"]
        clf.words = {w: i for i, w in enumerate(meta["words"])}
        clf.temperature = float(meta["temperature"])
        for k, v in arrays.items():
            setattr(clf, k, v)
        return clf


def _l2(X: sp.csr_matrix) -> sp.csr_matrix:
    """Rows scaled to unit length (in place; empty rows stay zero)."""
    X = sp.csr_matrix(X)
    lengths = np.diff(X.indptr)
    norms = np.sqrt(np.bincount(np.repeat(np.arange(X.shape[0]), lengths), X.data * X.data, X.shape[0]))
    norms[norms == 0] = 1.0
    X.data = (X.data / np.repeat(norms, lengths)).astype(np.float32)
    return X
