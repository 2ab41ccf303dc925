"""Command line for the insights library: ``gongzhi triage train|predict|evaluate`` and ``gongzhi hot``.

Errors the user can fix (a missing column, an empty or unreadable file) are printed to stderr with exit
code 2; progress goes to stderr.
"""

from __future__ import annotations

import csv
import json
import sys
import time

from .tables import Table, TableError, read_table


def _say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _columns(spec: str) -> list[str]:
    cols = [c.strip() for c in spec.split(",") if c.strip()]
    if not cols:
        raise TableError("--text needs at least one column name")
    return cols


def _docs(table: Table, cols: list[str]) -> list:
    table.require(*cols)
    if len(cols) == 1:
        return table.column(cols[0])
    return [tuple(r.get(c) or "" for c in cols) for r in table.rows]


def _run(func):
    def wrapper(args) -> int:
        try:
            return func(args) or 0
        except TableError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2

    return wrapper


@_run
def cmd_train(args) -> int:
    from .classifier import TextClassifier

    cols = _columns(args.text)
    docs, labels = [], []
    for path in args.data:
        table = read_table(path)
        table.require(args.label)
        d, y = _docs(table, cols), table.column(args.label)
        kept = [(a, b) for a, b in zip(d, y, strict=True) if b.strip()]
        docs += [a for a, _ in kept]
        labels += [b.strip() for _, b in kept]
        _say(f"{path}: {len(kept)} labelled rows")
    started = time.perf_counter()
    clf = TextClassifier(seed=args.seed).fit(docs, labels, progress=_say)
    clf.save(args.model)
    _say(f"trained on {len(docs)} rows in {time.perf_counter() - started:.1f} s; saved {args.model}")
    return 0


@_run
def cmd_predict(args) -> int:
    from .classifier import TextClassifier

    clf = TextClassifier.load(args.model)
    table = read_table(args.data)
    docs = _docs(table, _columns(args.text))
    _say(f"predicting {len(docs)} rows")
    preds = clf.predict(docs)
    with open(args.out, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*table.columns, "predicted", "confidence"])
        writer.writeheader()
        for row, p in zip(table.rows, preds, strict=True):
            writer.writerow({**row, "predicted": p.label, "confidence": f"{p.confidence:.4f}"})
    _say(f"wrote {args.out}")
    return 0


@_run
def cmd_evaluate(args) -> int:
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

    from .classifier import TextClassifier

    clf = TextClassifier.load(args.model)
    table = read_table(args.data)
    docs, y = _docs(table, _columns(args.text)), [v.strip() for v in table.column(args.label)]
    pred = clf.predict_labels(docs)
    labels = sorted(set(y) | set(pred))
    print(f"macro-F1  {f1_score(y, pred, average='macro', labels=labels):.4f}")
    print(f"accuracy  {accuracy_score(y, pred):.4f}")
    print(per_class_table(y, pred, labels, precision_recall_fscore_support))
    print("confusion matrix (rows: true, columns: predicted)")
    cm = confusion_matrix(y, pred, labels=labels)
    print("\t".join(["", *labels]))
    for lab, row in zip(labels, cm, strict=True):
        print("\t".join([lab, *map(str, row)]))
    return 0


def per_class_table(y, pred, labels, prfs=None) -> str:
    if prfs is None:
        from sklearn.metrics import precision_recall_fscore_support as prfs
    p, r, f, s = prfs(y, pred, labels=labels, zero_division=0)
    lines = [f"{'class':<12}{'precision':>10}{'recall':>8}{'F1':>8}{'support':>9}"]
    for i, lab in enumerate(labels):
        lines.append(f"{lab:<12}{p[i]:>10.3f}{r[i]:>8.3f}{f[i]:>8.3f}{s[i]:>9d}")
    return "\n".join(lines)


def _int(v) -> int:
    try:
        return int(float(v))
    except (TypeError, ValueError):
        return 0


@_run
def cmd_hot(args) -> int:
    from .hot import Message, mine_hot_issues

    table = read_table(args.data)
    cols = _columns(args.text)
    table.require(*cols, args.time, *(c for c in (args.likes, args.against, args.user, args.id) if c))
    title_col, body_cols = (cols[0], cols[1:]) if len(cols) > 1 else (None, cols)
    msgs = [
        Message(
            id=r.get(args.id) if args.id else i + 1,
            text=" ".join(r.get(c) or "" for c in body_cols),
            time=r.get(args.time),
            title=r.get(title_col) or "" if title_col else "",
            user=r.get(args.user) if args.user else None,
            likes=_int(r.get(args.likes)) if args.likes else 0,
            against=_int(r.get(args.against)) if args.against else 0,
        )
        for i, r in enumerate(table.rows)
    ]
    issues = mine_hot_issues(msgs, top=args.top, progress=_say)
    if args.json:
        print(json.dumps([i.as_dict() for i in issues], ensure_ascii=False, default=str, indent=1))
        return 0
    for i in issues:
        span = f"{i.start:%Y-%m-%d} – {i.end:%Y-%m-%d}" if i.start else "?"
        print(f"#{i.rank}  heat {i.heat:.2f}  {span}  {i.place or '-'}  {i.title}")
        print(f"    {i.count} messages, {i.users} submitters, {i.likes} likes, {i.against} against; "
              f"ids: {', '.join(map(str, i.message_ids))}")
    return 0


def add_parsers(subparsers) -> None:
    """Add ``triage`` (train / predict / evaluate) and ``hot`` to the ``gongzhi`` command."""
    p = subparsers.add_parser("triage", help="train / predict / evaluate the message classifier")
    tsub = p.add_subparsers(dest="triage_command", required=True)
    text_help = "comma-separated text columns joined as the text (heading columns first, body last)"

    t = tsub.add_parser("train", help="train a model from labelled CSV/XLSX rows")
    t.add_argument("--data", action="append", required=True, help="CSV or XLSX file (repeatable)")
    t.add_argument("--text", required=True, help=text_help)
    t.add_argument("--label", required=True, help="label column")
    t.add_argument("--model", required=True, help="output model file (.npz)")
    t.add_argument("--seed", type=int, default=0)
    t.set_defaults(func=cmd_train)

    t = tsub.add_parser("predict", help="add predicted / confidence columns to a table")
    t.add_argument("--model", required=True)
    t.add_argument("--data", required=True)
    t.add_argument("--text", required=True, help=text_help)
    t.add_argument("--out", required=True, help="output CSV file")
    t.set_defaults(func=cmd_predict)

    t = tsub.add_parser("evaluate", help="macro-F1, accuracy, per-class scores and confusion matrix")
    t.add_argument("--model", required=True)
    t.add_argument("--data", required=True)
    t.add_argument("--text", required=True, help=text_help)
    t.add_argument("--label", required=True)
    t.set_defaults(func=cmd_evaluate)

    p = subparsers.add_parser("hot", help="mine hot issues from a CSV/XLSX file")
    p.add_argument("--data", required=True)
    p.add_argument("--text", required=True, help="comma-separated columns: title first (if any), then body")
    p.add_argument("--time", required=True, help="time column")
    p.add_argument("--likes")
    p.add_argument("--against")
    p.add_argument("--user", help="submitter column")
    p.add_argument("--id", help="message id column (default: row number)")
    p.add_argument("--top", type=int, default=5)
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=cmd_hot)
