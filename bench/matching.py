"""Benchmark of the two-way matching engine (双向认领) on synthetic lists.

    .venv/bin/python bench/matching.py [--needs 20000] [--resources 5000] [--sample 1000]

Times (1) top-5 suggestions for every need, including building the matcher (TF-IDF, region index),
(2) the global assignment (transportation LP over each side's top-10 candidates), and (3) brute-force scoring of
ALL pairs for a sample of needs, extrapolated to the full list, with the recall@5 of the fast path against it.
The last line is one JSON object (top5_seconds, assignment_seconds, bruteforce_ratio, …).
Targets on the 2-core machine: top-5 ≤ 10 s, assignment ≤ 30 s.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from gongzhi.matching import Matcher
from gongzhi.matching.synthetic import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=20000)
    parser.add_argument("--resources", type=int, default=5000)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
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

    print(json.dumps({
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
