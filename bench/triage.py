"""Benchmark the triage classifier on the gov-messages data (train.csv + extra_train.csv -> test.csv).

Prediction speed is single-thread throughput measured as CPU time (``time.process_time``), because the
machine may be shared; BLAS thread pools are limited to one thread before numpy is imported.

Before the test set is touched, the classifier is cross-validated on the training data the way every modelling
decision was made: stratified K folds over the train.csv rows (titled, like the test rows), with all
extra_train.csv rows always in the training part; macro-F1 and accuracy are computed on the out-of-fold
predictions of the train.csv rows.

Run: python bench/triage.py [--cv-folds K] [--cv-seeds N]   (K=0 skips cross-validation; data:
../shared/data/gov-messages next to the repository, or $GONGZHI_SHARED_DATA). The last printed line is one JSON
object.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one core

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def data_dir() -> Path:
    env = os.environ.get("GONGZHI_SHARED_DATA")
    base = Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"
    return base / "gov-messages" if (base / "gov-messages").is_dir() else base


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def cross_validate(docs, y, n_titled: int, folds: int, seeds: int) -> dict:
    """Out-of-fold macro-F1 / accuracy on the first ``n_titled`` rows; the other rows are always trained on."""
    import numpy as np
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    from gongzhi.insights.classifier import TextClassifier

    y = np.asarray(y)
    extra = np.arange(n_titled, len(y))
    f1s, accs = [], []
    for seed in range(seeds):
        pred = np.empty(n_titled, dtype=object)
        for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(
            np.zeros(n_titled), y[:n_titled]
        ):
            fit = np.r_[tr, extra]
            clf = TextClassifier(seed=0, calibration_folds=0).fit([docs[i] for i in fit], y[fit].tolist())
            pred[te] = clf.predict_labels([docs[i] for i in te])
        f1s.append(f1_score(y[:n_titled], pred.astype(str), average="macro"))
        accs.append(accuracy_score(y[:n_titled], pred.astype(str)))
    return {
        "cv_macro_f1": round(float(np.mean(f1s)), 4),
        "cv_accuracy": round(float(np.mean(accs)), 4),
        "cv_macro_f1_per_seed": [round(float(f), 4) for f in f1s],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--cv-folds", type=int, default=5, help="folds over train.csv rows (0: skip cross-validation)"
    )
    ap.add_argument(
        "--cv-seeds", type=int, default=1, help="repeat the cross-validation with this many fold seeds"
    )
    args = ap.parse_args(argv)
    d = data_dir()
    if not (d / "train.csv").is_file() or not (d / "test.csv").is_file():
        print(f"gov-messages data not found at {d}; skipping")
        print(json.dumps({"skipped": f"no data at {d}"}))
        return 0
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
    from sklearn.svm import LinearSVC

    from gongzhi.insights.classifier import TextClassifier
    from gongzhi.insights.cli import per_class_table

    titled = rows(d / "train.csv")
    train = titled + (rows(d / "extra_train.csv") if (d / "extra_train.csv").is_file() else [])
    test = rows(d / "test.csv")
    docs = [(r.get("留言主题", ""), r["留言详情"]) for r in train]
    y = [r["一级标签"] for r in train]
    tdocs = [(r["留言主题"], r["留言详情"]) for r in test]
    ty = [r["一级标签"] for r in test]
    print(f"train rows {len(docs)}, test rows {len(tdocs)}")
    cv = {}
    if args.cv_folds >= 2:
        t0 = time.perf_counter()
        cv = cross_validate(docs, y, len(titled), args.cv_folds, args.cv_seeds)
        print(
            f"cross-validation ({args.cv_folds} folds over train.csv rows, extra rows always trained on, "
            f"{args.cv_seeds} seed(s)): macro-F1 {cv['cv_macro_f1']} {cv['cv_macro_f1_per_seed']}, "
            f"accuracy {cv['cv_accuracy']} ({time.perf_counter() - t0:.0f} s)"
        )

    t0 = time.perf_counter()
    clf = TextClassifier(seed=0).fit(docs, y)
    train_s = time.perf_counter() - t0
    pred = clf.predict_labels(tdocs)
    reps = max(1, 5000 // len(tdocs) + 1)
    many = tdocs * reps
    t0 = time.process_time()
    clf.predict(many)
    per_s = len(many) / (time.process_time() - t0)
    result = {
        "macro_f1": round(f1_score(ty, pred, average="macro"), 4),
        "accuracy": round(accuracy_score(ty, pred), 4),
        "train_seconds": round(train_s, 2),
        "predict_per_second": round(per_s),
    } | cv
    print(
        f"model: macro-F1 {result['macro_f1']}, accuracy {result['accuracy']}, "
        f"train {result['train_seconds']} s, predict {result['predict_per_second']} messages/s (CPU time)"
    )
    labels = sorted(set(ty))
    print(per_class_table(ty, pred, labels))
    cm = confusion_matrix(ty, pred, labels=labels)
    print("confusion matrix (rows: true, columns: predicted, same order)")
    for name, row in zip(labels, cm, strict=True):
        print(f"{name:<8}" + "".join(f"{v:5d}" for v in row))

    # baseline: TF-IDF character 1-3-grams + LinearSVC on title + body
    join = [f"{a} {b}" for a, b in docs]
    tjoin = [f"{a} {b}" for a, b in tdocs]
    t0 = time.perf_counter()
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
    svm = LinearSVC(C=1.0).fit(vec.fit_transform(join), y)
    base_train = time.perf_counter() - t0
    t0 = time.process_time()
    svm.predict(vec.transform(tjoin * reps))
    base_per_s = len(tjoin) * reps / (time.process_time() - t0)
    base_pred = svm.predict(vec.transform(tjoin))
    result |= {
        "baseline_macro_f1": round(f1_score(ty, base_pred, average="macro"), 4),
        "baseline_accuracy": round(accuracy_score(ty, base_pred), 4),
        "baseline_train_seconds": round(base_train, 2),
        "baseline_predict_per_second": round(base_per_s),
    }
    print(
        f"baseline (char 1-3 TF-IDF + LinearSVC): macro-F1 {result['baseline_macro_f1']}, "
        f"accuracy {result['baseline_accuracy']}, train {result['baseline_train_seconds']} s, "
        f"predict {result['baseline_predict_per_second']} messages/s"
    )
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
