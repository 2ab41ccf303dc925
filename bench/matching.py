"""Benchmark of the two-way matching engine (双向认领) on synthetic lists.

    .venv/bin/python bench/matching.py [--needs 20000] [--resources 5000] [--sample 1000] [--demo]

Times (1) top-5 suggestions for every need, including building the matcher (TF-IDF, region index),
(2) the global assignment (transportation LP over each side's top-10 candidates), and (3) brute-force scoring of
ALL pairs for a sample of needs, extrapolated to the full list, with the recall@5 of the fast path against it.
It also prints the share of top-5 suggestions that pair unrelated things (`unrelated_top5_share`: the need's
category and the resource's category and topics are unrelated by the tables, `MatchingConfig.fits` = 0), on the
synthetic lists and, with `--demo`, on the open lists of every campaign in the database of $GONGZHI_VAR_DIR
(seed it with `gongzhi demo --no-serve`): `demo_unrelated_top5_share`.
The last line is one JSON object (top5_seconds, assignment_seconds, bruteforce_ratio, unrelated_top5_share, …).
Targets on the 2-core machine: top-5 ≤ 10 s, assignment ≤ 30 s; unrelated share 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's gongzhi, not an installed one

from gongzhi.matching import Matcher  # noqa: E402
from gongzhi.matching.synthetic import generate  # noqa: E402


def unrelated(matcher: Matcher, top: dict) -> tuple[int, int]:
    """(unrelated, all) top suggestions: pairs whose categories and topics are unrelated by the tables."""
    pairs = [(matcher.needs[matcher.need_index[s.need_id]], matcher.resources[matcher.resource_index[s.resource_id]])
             for sugs in top.values() for s in sugs]
    return sum(matcher.config.fits(n.category, r.category, r.topic_text) == 0 for n, r in pairs), len(pairs)


def demo_unrelated() -> dict:
    """Top-5 suggestions of every campaign's open lists in the demo database, and how many pair unrelated things."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    django.setup()
    from gongzhi.matching.models import Campaign
    from gongzhi.matching.selectors import build_matcher

    bad = total = 0
    examples = []
    for campaign in Campaign.objects.order_by("pk"):
        matcher = build_matcher(campaign)
        top = matcher.suggest_for_needs(5)
        b, t = unrelated(matcher, top)
        bad, total = bad + b, total + t
        for sugs in top.values():
            for s in sugs:
                n, r = matcher.needs[matcher.need_index[s.need_id]], matcher.resources[matcher.resource_index[s.resource_id]]
                if len(examples) < 3 and matcher.config.fits(n.category, r.category, r.topic_text) == 0:
                    examples.append(f"{n.text[:20]} ↔ {r.text[:20]} {s.score:.2f}")
    print(f"demo: {total} top-5 suggestions over {Campaign.objects.count()} campaigns, {bad} pair unrelated things"
          + (f", e.g. {'; '.join(examples)}" if examples else ""))
    return {"demo_top5_suggestions": total, "demo_unrelated_top5": bad,
            "demo_unrelated_top5_share": round(bad / total, 4) if total else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=20000)
    parser.add_argument("--resources", type=int, default=5000)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--demo", action="store_true", help="also measure the demo database ($GONGZHI_VAR_DIR)")
    args = parser.parse_args()

    t = time.perf_counter()
    data = generate(args.needs, args.resources, seed=args.seed)
    print(f"generated {len(data.needs)} needs × {len(data.resources)} resources over {len(data.grids)} grids "
          f"in {time.perf_counter() - t:.1f} s")

    t0 = time.perf_counter()
    matcher = Matcher(data.resources, data.needs, provider_load=data.provider_load, history=data.history)
    build = time.perf_counter() - t0
    t = time.perf_counter()
    top5 = matcher.suggest_for_needs(5)
    suggest = time.perf_counter() - t
    top5_seconds = time.perf_counter() - t0
    print(f"top-5 for every need: {top5_seconds:.2f} s (build {build:.2f} s, suggestions {suggest:.2f} s); "
          f"{len(top5)} needs have suggestions, {sum(map(len, top5.values()))} in all")
    bad, total = unrelated(matcher, top5)
    print(f"unrelated pairs in the top 5: {bad} of {total}")
    example = top5[data.needs[0].id][0]
    print(f"  e.g. need {data.needs[0].text!r} → {matcher.resources[matcher.resource_index[example.resource_id]].text!r}"
          f" score {example.score:.3f} {example.reasons}")

    t = time.perf_counter()
    assignment = matcher.assign(k=10)
    assignment_seconds = time.perf_counter() - t
    greedy = matcher.greedy_assign(k=10)
    served = len({a.need_id for a in assignment.allocations})
    split = served and len(assignment.allocations) - served
    print(f"global assignment: {assignment_seconds:.2f} s, {len(assignment.allocations)} allocations serving "
          f"{served} needs ({split} lines from splitting), total {assignment.total_score:.1f} (greedy {greedy.total_score:.1f}), "
          f"{assignment.message}")

    rng = np.random.default_rng(args.seed)
    sample = np.sort(rng.choice(len(data.needs), min(args.sample, len(data.needs)), replace=False))
    t = time.perf_counter()
    brute_n, brute_r, _ = matcher.brute_force_top(5, sample)
    brute_sample = time.perf_counter() - t
    brute_full = build + brute_sample * len(data.needs) / len(sample)
    fast = {}
    for sugs in top5.values():
        for s in sugs:
            fast.setdefault(matcher.need_index[s.need_id], set()).add(matcher.resource_index[s.resource_id])
    truth: dict[int, set[int]] = {}
    for a, b in zip(brute_n.tolist(), brute_r.tolist(), strict=True):
        truth.setdefault(a, set()).add(b)
    recall = float(np.mean([len(fast.get(a, set()) & b) / len(b) for a, b in truth.items()])) if truth else 1.0
    print(f"brute force on {len(sample)} needs × {len(data.resources)} resources: {brute_sample:.2f} s, "
          f"extrapolated (with the same build) {brute_full:.1f} s = {brute_full / top5_seconds:.1f}× the top-5 time;"
          f" recall@5 {recall:.4f}")

    demo = demo_unrelated() if args.demo else {}
    print(json.dumps({
        "unrelated_top5_share": round(bad / total, 4) if total else 0.0,
        **demo,
        "top5_seconds": round(top5_seconds, 3),
        "assignment_seconds": round(assignment_seconds, 3),
        "bruteforce_ratio": round(brute_full / top5_seconds, 2),
        "recall_at_5": round(recall, 4),
        "build_seconds": round(build, 3),
        "bruteforce_sample_seconds": round(brute_sample, 3),
        "bruteforce_extrapolated_seconds": round(brute_full, 2),
        "assigned_pairs": len(assignment.allocations),
        "needs_served": served,
        "split_lines": split,
        "total_score": round(assignment.total_score, 3),
        "greedy_total_score": round(greedy.total_score, 3),
        "needs": len(data.needs),
        "resources": len(data.resources),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
