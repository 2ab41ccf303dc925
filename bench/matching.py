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

The district case (issue 14, seed 002: Huangpu's district joint meeting ran 1,712 two-way matching projects in a
year) runs in a child process on a fresh SQLite database in a temporary GONGZHI_VAR_DIR (migrated first): 10
sub-districts' campaigns with `--district-projects` projects (1,712) and their needs and resources, bulk-created,
under one district platform. It times the district results selector (gongzhi.joint.selectors.district.results)
and the results page, export and API as the district viewer, with their query counts, against the naive way
(matching's per-campaign `results` once per sub-district). Its figures go under "district" in the JSON;
`--no-district` skips it. Target: the page ≤ 200 ms, the selector's query count independent of the sub-districts.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
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


# --- The district case ------------------------------------------------------------------------------------------

DISTRICT_STATES = (("proposed", 0.06), ("agreed", 0.08), ("in_progress", 0.16), ("completed", 0.42),
                   ("evaluated", 0.24), ("declined", 0.02), ("cancelled", 0.02))


def _district_data(projects: int, subdistricts: int, seed: int):
    """The 10 sub-districts, their campaigns, resources, needs and projects (bulk inserts), the district platform
    with the campaigns under it, and a district viewer. Returns (viewer, platform)."""
    from datetime import date

    from gongzhi.accounts.models import RoleAssignment, User
    from gongzhi.accounts.roles import Role
    from gongzhi.core.workflow import SYSTEM
    from gongzhi.joint.services import district as district_services
    from gongzhi.matching.models import Campaign, Need, Project, Resource
    from gongzhi.registry.models import MemberUnit, MemberUnitKind, Region, RegionKind

    rng = random.Random(seed)
    year = 2026
    district = Region.objects.create(kind=RegionKind.DISTRICT, code="BD", name="压测区")
    subs, areas = [], []
    for i in range(subdistricts):
        sub = Region.objects.create(kind=RegionKind.SUBDISTRICT, code=f"BS{i}", name=f"压测街道{i}", parent=district)
        subs.append(sub)
        areas.append([Region.objects.create(kind=RegionKind.RESIDENTIAL_AREA, code=f"BA{i}-{a}",
                                            name=f"压测居民区{i}-{a}", parent=sub) for a in range(4)])
    units = MemberUnit.objects.bulk_create([
        MemberUnit(code=f"BU{i}-{u}", name=f"共建单位{i}-{u}", kind=MemberUnitKind.ENTERPRISE, region=sub)
        for i, sub in enumerate(subs) for u in range(10)])
    campaigns = Campaign.objects.bulk_create([
        Campaign(name=f"{year}年度压测街道{i}双向认领", year=year, subdistrict=sub, state="delivering",
                 starts_on=date(year, 3, 1), ends_on=date(year, 12, 31)) for i, sub in enumerate(subs)])
    resources = Resource.objects.bulk_create([
        Resource(code=f"BR{i}-{r}", campaign=campaigns[i], title=f"资源{r}", category="volunteer",
                 provider_unit=units[i * 10 + r % 10], capacity=1000, unit="hours", starts_on=date(year, 1, 1),
                 ends_on=date(year, 12, 31)) for i in range(subdistricts) for r in range(30)])
    Resource.regions.through.objects.bulk_create([
        Resource.regions.through(resource_id=r.pk, region_id=subs[n // 30].pk) for n, r in enumerate(resources)])
    per_sub = [projects // subdistricts + (1 if i < projects % subdistricts else 0) for i in range(subdistricts)]
    needs, rows = [], []
    for i, n in enumerate(per_sub):
        for k in range(n + n // 5):  # a fifth more needs than projects: some stay unmet
            needs.append(Need(code=f"BN{i}-{k}", campaign=campaigns[i], title=f"需求{k}", category="elderly_care",
                              place=areas[i][k % 4], beneficiaries=rng.randint(5, 80), starts_on=date(year, 4, 1),
                              ends_on=date(year, 11, 30), status="open"))
            if k < n:
                rows.append((i, len(needs) - 1, rng.choices([s for s, _w in DISTRICT_STATES],
                                                            [w for _s, w in DISTRICT_STATES])[0]))
    needs = Need.objects.bulk_create(needs, batch_size=500)
    Project.objects.bulk_create([
        Project(campaign=campaigns[i], need=needs[k], resource=resources[i * 30 + rng.randrange(30)], title="项目",
                state=state, initiated_by="provider",
                beneficiaries_served=needs[k].beneficiaries if state in ("completed", "evaluated") else None,
                hours=rng.randint(2, 60) if state in ("completed", "evaluated") else None)
        for i, k, state in rows], batch_size=500)
    platform = district_services.create_district_platform(actor=SYSTEM, region=district, name="压测区联席会议")
    for c in campaigns:
        district_services.link_campaign(c, actor=SYSTEM, platform_id=platform.pk)
    viewer = User.objects.create_user(username="district", password=uuid.uuid4().hex)
    RoleAssignment.objects.create(user=viewer, role=Role.DISTRICT_VIEWER, region=district)
    return viewer, platform, campaigns


def _timed(call, repeat: int) -> tuple[float, int]:
    """(milliseconds per call, queries per call) over `repeat` calls after a warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    with CaptureQueriesContext(connection) as ctx:
        t = time.perf_counter()
        for _ in range(repeat):
            call()
        ms = (time.perf_counter() - t) * 1000 / repeat
    return round(ms, 2), len(ctx.captured_queries) // repeat


def district_child(args) -> None:
    """The district case, in the child process (its environment names the fresh database)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from gongzhi.joint.selectors import district as district_selectors
    from gongzhi.matching import selectors as matching_selectors
    from gongzhi.matching.models import Project

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - t
    t = time.perf_counter()
    viewer, platform, campaigns = _district_data(args.district_projects, args.district_subdistricts, args.seed)
    build_seconds = time.perf_counter() - t
    print(f"district: migrated in {migrate_seconds:.1f} s; built {Project.objects.count()} projects over "
          f"{len(campaigns)} sub-districts' campaigns in {build_seconds:.1f} s")
    repeat = args.district_repeat
    data = district_selectors.results(viewer, platform)
    selector_ms, selector_queries = _timed(lambda: district_selectors.results(viewer, platform), repeat)
    naive_ms, naive_queries = _timed(lambda: [matching_selectors.results(viewer, c) for c in campaigns], repeat)
    client = Client()
    client.force_login(viewer)
    url = reverse("joint:district_results", args=[platform.pk])
    export = reverse("joint:district_results_export", args=[platform.pk])
    api = f"/api/v1/joint/district/platforms/{platform.pk}/results"

    def get(path):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    page_ms, page_queries = _timed(lambda: get(url), repeat)
    export_ms, export_queries = _timed(lambda: get(export), max(1, repeat // 4))
    api_ms, api_queries = _timed(lambda: get(api), repeat)  # the session's user, as the page
    total = data["total"]
    print(f"district results selector: {selector_ms} ms, {selector_queries} queries "
          f"(matching's per-campaign results × {len(campaigns)}: {naive_ms} ms, {naive_queries} queries)")
    print(f"district results page: {page_ms} ms, {page_queries} queries; Excel {export_ms} ms; API {api_ms} ms, "
          f"{api_queries} queries; {total['projects']} live projects, {total['completed']} completed, "
          f"{total['beneficiaries']} served")
    print(json.dumps({
        "subdistricts": len(data["rows"]), "projects": Project.objects.count(), "live_projects": total["projects"],
        "completed": total["completed"], "selector_ms": selector_ms, "selector_queries": selector_queries,
        "naive_ms": naive_ms, "naive_queries": naive_queries, "page_ms": page_ms, "page_queries": page_queries,
        "export_ms": export_ms, "export_queries": export_queries, "api_ms": api_ms, "api_queries": api_queries,
        "build_seconds": round(build_seconds, 2), "migrate_seconds": round(migrate_seconds, 2),
    }, ensure_ascii=False))


def district_case(args) -> dict:
    """Run the district case in a child process on a fresh SQLite database; its figures."""
    root = Path(__file__).resolve().parents[1]
    var_dir = tempfile.mkdtemp(prefix="gongzhi-bench-district-")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "GONGZHI_TASKS"}}
    env.update({"DJANGO_SETTINGS_MODULE": "gongzhi.settings", "GONGZHI_VAR_DIR": var_dir, "DEBUG": "0",
                "SECRET_KEY": "bench-" + uuid.uuid4().hex, "GONGZHI_DATA_KEYS": "bench:" + uuid.uuid4().hex,
                "GONGZHI_LOOKUP_KEYS": "bench:" + uuid.uuid4().hex, "LOG_LEVEL": "ERROR",
                "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend", "PYTHONPATH": str(root)})
    command = [sys.executable, __file__, "--district-child", "--district-projects", str(args.district_projects),
               "--district-subdistricts", str(args.district_subdistricts), "--district-repeat",
               str(args.district_repeat), "--seed", str(args.seed)]
    try:
        out = subprocess.run(command, env=env, cwd=root, capture_output=True, text=True, check=False)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    lines = out.stdout.strip().splitlines()
    if out.returncode != 0 or not lines:
        print(f"district case failed ({out.returncode}):\n{out.stderr[-3000:]}")
        return {"error": out.returncode}
    print("\n".join(lines[:-1]))
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=20000)
    parser.add_argument("--resources", type=int, default=5000)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--demo", action="store_true", help="also measure the demo database ($GONGZHI_VAR_DIR)")
    parser.add_argument("--no-district", action="store_true", help="skip the district case")
    parser.add_argument("--district-projects", type=int, default=1712)
    parser.add_argument("--district-subdistricts", type=int, default=10)
    parser.add_argument("--district-repeat", type=int, default=20)
    parser.add_argument("--district-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.district_child:
        district_child(args)
        return

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
    district = {} if args.no_district else {"district": district_case(args)}
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
        **district,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
