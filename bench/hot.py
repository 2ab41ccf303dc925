"""Benchmark the hot-issue miner: the top 5 of messages_hot.csv, then a synthetic stream of 100,000 messages.

Run: python bench/hot.py [--demo]   (data: ../shared/data/gov-messages next to the repository, or
$GONGZHI_SHARED_DATA)

With --demo it also reads the demo street in the database of $GONGZHI_VAR_DIR (seed it with
`gongzhi demo --no-serve`): the street account's hot-issues page (the sub-district, 90 days), and how many of its
top-10 entries share a place and a problem (the same place and the same demand category) with another entry:
`demo_top10_sharing_place_and_problem`, target 0.
The last printed line is one JSON object.
"""

from __future__ import annotations

import csv
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gongzhi.insights.hot import Message, mine_hot_issues  # noqa: E402

SYLLABLES = "金 银 华 新 丽 景 阳 光 绿 地 海 湾 星 城 和 平 东 西 南 北 梅 兰 竹 菊 富 贵 安 康 宁 福 盛 世 湖 山 江".split()
SUFFIXES = ["小区", "花园", "家园", "学校", "中学", "市场", "公寓", "新村"]
PROBLEMS = [
    ("{p}门口烧烤摊油烟噪音扰民", "{p}门口每天晚上都有烧烤摊，油烟很大，噪音一直到凌晨，严重影响居民休息，请尽快处理。"),
    ("{p}附近工地夜间施工扰民", "{p}旁边的工地每天夜里施工到两三点，机器声音非常大，希望相关部门管一管。"),
    ("{p}物业乱收停车费", "{p}物业公司今年开始乱收停车费，每月涨到三百元，没有任何公示，业主意见很大。"),
    ("{p}垃圾长期无人清运", "{p}的垃圾堆了一个多星期没人清运，臭气熏天，蚊蝇很多，请环卫部门处理。"),
    ("{p}小孩入学难问题", "我们是{p}的业主，孩子到了入学年龄却被划到很远的学校，希望教育局重新考虑学区划分。"),
    ("{p}自来水水质发黄", "最近{p}的自来水发黄有异味，烧开后还有沉淀，担心影响健康，请自来水公司检查。"),
    ("{p}楼板墙面开裂", "{p}交房不到两年，很多户楼板和墙面出现裂缝，开发商拒绝维修，请住建部门督促。"),
    ("{p}电梯经常故障", "{p}的电梯三天两头出故障，上周还困人，物业一直拖着不修，存在很大安全隐患。"),
]
NO_PLACE = [
    ("58车贷案件进展", "58车贷立案已经很久了，我们出借人的钱一直没有追回，希望公安机关公布案件进展。"),
    ("社保转移接续太慢", "我从外地回来工作，社保转移接续办了三个月还没有办好，希望简化流程。"),
]


def data_dir() -> Path:
    env = os.environ.get("GONGZHI_SHARED_DATA")
    base = Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"
    return base / "gov-messages" if (base / "gov-messages").is_dir() else base


def synthetic(n: int, seed: int = 0) -> list[Message]:
    rng = random.Random(seed)
    places = sorted({f"A{rng.randint(1, 9)}区" + "".join(rng.sample(SYLLABLES, 3)) + rng.choice(SUFFIXES)
                     for _ in range(3000)})
    start = datetime(2019, 1, 1)
    out = []
    for i in range(n):
        if rng.random() < 0.05:
            title, body = rng.choice(NO_PLACE)
        else:
            title, body = rng.choice(PROBLEMS)
            p = rng.choice(places)
            title, body = title.format(p=p), body.format(p=p[3:] if rng.random() < 0.5 else p)
        out.append(Message(
            id=i, title=title, text=body + rng.choice(["", "谢谢！", "请领导重视。", "盼复。"]),
            time=start + timedelta(minutes=rng.randint(0, 525_600)), user=f"U{rng.randint(0, n // 3)}",
            likes=rng.choice([0, 0, 0, 1, 2, 5, 20]), against=rng.choice([0, 0, 0, 1]),
        ))
    return out


def demo_duplicates(top: int = 10, days: int = 90) -> dict:
    """The demo street's top hot issues as its street account sees them, and the entries sharing a place and a
    problem (category) with another entry."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    django.setup()
    from collections import Counter

    from django.contrib.auth import get_user_model

    from gongzhi.triage import selectors

    user = get_user_model().objects.get(username="street")
    node = selectors.region_node(user, None)
    t0 = time.perf_counter()
    rows = selectors.hot_issues(user, node, days, top=top)
    seconds = round(time.perf_counter() - t0, 2)

    def problem(row) -> str:
        cats = Counter(d.category.name if d.category_id else d.title for d in row.demands)
        return cats.most_common(1)[0][0]

    keys = Counter((r.place, problem(r)) for r in rows)
    sharing = [r for r in rows if keys[r.place, problem(r)] > 1]
    print(f"demo street, {node.name}, last {days} days: top {len(rows)} hot issues in {seconds} s")
    for r in rows:
        mark = " <- shares place and problem" if r in sharing else ""
        print(f"#{r.rank} heat {r.heat:.2f} {r.place or '-'} | {problem(r)} | {r.title} | {r.count} demands{mark}")
    return {"demo_top10_sharing_place_and_problem": len(sharing), "demo_hot_seconds": seconds,
            "demo_top10": [{"place": r.place, "problem": problem(r), "title": r.title, "demands": r.count}
                           for r in rows]}


def main() -> int:
    result: dict = {}
    if "--demo" in sys.argv[1:]:
        result.update(demo_duplicates())
    path = data_dir() / "messages_hot.csv"
    if path.is_file():
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        msgs = [Message(r["留言编号"], r["留言详情"], r["留言时间"], r["留言主题"], r["留言用户"],
                        int(r["点赞数"] or 0), int(r["反对数"] or 0)) for r in rows]
        t0 = time.perf_counter()
        top = mine_hot_issues(msgs, top=5)
        result["seconds_real"] = round(time.perf_counter() - t0, 2)
        result["messages_real"] = len(msgs)
        print(f"messages_hot.csv: {len(msgs)} messages in {result['seconds_real']} s; top 5:")
        for i in top:
            print(f"#{i.rank} heat {i.heat:.2f} {i.start:%Y-%m-%d}–{i.end:%Y-%m-%d} place {i.place or '-'} | "
                  f"{i.title} | {i.count} messages, {i.users} submitters, {i.likes} likes")
        result["top5"] = [
            {"heat": i.heat, "start": str(i.start), "end": str(i.end), "place": i.place, "problem": i.title,
             "messages": i.count, "message_ids": i.message_ids}
            for i in top
        ]
    else:
        print(f"gov-messages data not found at {path}; real-data part skipped")
        result["skipped_real"] = f"no file {path}"
    n = int(os.environ.get("GONGZHI_BENCH_SYNTHETIC", "100000"))
    msgs = synthetic(n)
    t0 = time.perf_counter()
    issues = mine_hot_issues(msgs, top=None)
    result["seconds_synthetic_100k"] = round(time.perf_counter() - t0, 2)
    result["messages_synthetic"] = n
    result["issues_synthetic"] = len(issues)
    print(f"synthetic: {n} messages -> {len(issues)} issues in {result['seconds_synthetic_100k']} s "
          f"(top: {issues[0].title}, {issues[0].count} messages)")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
