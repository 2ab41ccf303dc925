"""Deterministic synthetic resource and need lists for benchmarks, tests and demos (no Django).

One district ("/1/") of `subdistricts` sub-districts × `areas` residential areas × 3–4 grids; Chinese texts from
templates whose service phrases are shared between compatible need and resource categories.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from .engine import DEFAULT_COMPATIBILITY, UNITS, Need, Resource

SUBDISTRICT_NAMES = ["外滩", "南京东路", "豫园", "老西门", "小东门", "半淞园路", "打浦桥", "淮海中路", "瑞金二路", "五里桥"]
AREA_SYLLABLES = "福安康宁和平兴华新民建光明德顺乐春江东西南北云桥林园"
SERVICES = {
    "venue": ["活动室借用", "会议场地", "党群服务站场地", "文体活动场地", "议事厅"],
    "volunteer": ["上门探访", "助餐送餐", "陪同就医", "垃圾分类指导", "楼道清洁", "课后看护", "智能手机教学"],
    "funds": ["微心愿资助", "困难家庭帮扶金", "自治项目资金", "助学金"],
    "goods": ["爱心物资", "防暑降温用品", "米油慰问品", "学习用品", "适老化改造设备"],
    "legal": ["法律咨询", "邻里纠纷调解", "劳动争议咨询", "遗嘱继承咨询"],
    "medical": ["健康义诊", "慢病随访", "家庭医生签约", "血压血糖测量"],
    "psychological": ["心理疏导", "心理健康讲座", "亲子关系辅导", "独居老人心理关怀"],
    "jobs": ["就业岗位", "实习岗位", "公益性岗位", "灵活就业机会"],
    "training": ["技能培训", "电脑培训", "青少年科普课堂", "急救培训"],
}
UNIT_OPTIONS = {
    "venue": ["sessions"], "volunteer": ["hours", "people"], "funds": ["yuan"], "goods": ["people"],
    "legal": ["sessions"], "medical": ["sessions"], "psychological": ["sessions"], "jobs": ["people"],
    "training": ["sessions", "people"],
}
NEED_RANGE = {"people": (1, 20), "hours": (2, 40), "yuan": (500, 20000), "sessions": (1, 8)}
CAPACITY_RANGE = {"people": (10, 200), "hours": (50, 1000), "yuan": (10000, 500000), "sessions": (10, 100)}
NEED_TEMPLATES = [
    "{area}{who}需要{svc}，约{q}{u}",
    "{area}居民反映{who}缺少{svc}，希望共建单位帮助",
    "为{area}{who}提供{svc}的需求",
    "{who}{svc}需求，地点在{area}",
]
RESOURCE_TEMPLATES = [
    "{unit}可提供{svc}和{svc2}，共{q}{u}",
    "{unit}认领{svc}服务，面向{scope}",
    "{unit}党支部开放{svc}资源",
    "{unit}{svc}，可服务{q}{u}",
]
WHO = ["独居老人", "高龄老人", "残疾人家庭", "困难家庭", "双职工家庭儿童", "新就业群体", "失业青年", "居民", "楼组长"]
UNIT_NAMES = ["医院", "律师事务所", "中学", "银行支行", "物业公司", "科技公司", "社会组织", "商场", "国企", "社区卫生服务中心"]
BASE = date(2026, 1, 1)


@dataclass(frozen=True)
class Dataset:
    resources: list[Resource]
    needs: list[Need]
    provider_load: dict[int, int]
    history: dict[tuple[int, str], int]
    grids: list[str]
    areas: list[str]


def generate(n_needs: int = 20000, n_resources: int = 5000, *, subdistricts: int = 10, areas: int = 11,
             providers: int = 600, seed: int = 7) -> Dataset:
    rng = np.random.default_rng(seed)
    next_id = iter(range(2, 10**9))
    sub_paths, area_paths, grid_paths, names = [], [], [], {}
    for s in range(subdistricts):
        sp = f"/1/{next(next_id)}/"
        sub_paths.append(sp)
        names[sp] = SUBDISTRICT_NAMES[s % len(SUBDISTRICT_NAMES)] + "街道"
        for _ in range(areas):
            ap = f"{sp}{next(next_id)}/"
            area_paths.append(ap)
            names[ap] = "".join(rng.choice(list(AREA_SYLLABLES), 2)) + "居民区"
            for g in range(int(rng.integers(3, 5))):
                gp = f"{ap}{next(next_id)}/"
                grid_paths.append(gp)
                names[gp] = f"{names[ap]}第{g + 1}网格"
    names["/1/"] = "全区"

    def window(lo: int, hi: int, short: int, long: int) -> tuple[date, date]:
        start = BASE + timedelta(days=int(rng.integers(lo, hi)))
        return start, start + timedelta(days=int(rng.integers(short, long)))

    def amount(unit: str, ranges) -> float:
        lo, hi = ranges[unit]
        return float(rng.integers(lo, hi + 1) if unit != "yuan" else rng.integers(lo // 100, hi // 100 + 1) * 100)

    need_cats = list(DEFAULT_COMPATIBILITY)
    needs = []
    for i in range(n_needs):
        cat = need_cats[int(rng.integers(len(need_cats)))]
        options = DEFAULT_COMPATIBILITY[cat]
        weights = np.array(list(options.values()))
        target = list(options)[int(rng.choice(len(options), p=weights / weights.sum()))]
        unit = UNIT_OPTIONS[target][int(rng.integers(len(UNIT_OPTIONS[target])))]
        place = grid_paths[int(rng.integers(len(grid_paths)))] if rng.random() < 0.85 else \
            area_paths[int(rng.integers(len(area_paths)))]
        q = amount(unit, NEED_RANGE)
        text = NEED_TEMPLATES[int(rng.integers(len(NEED_TEMPLATES)))].format(
            area=names[place], who=WHO[int(rng.integers(len(WHO)))],
            svc=SERVICES[target][int(rng.integers(len(SERVICES[target])))], q=int(q), u=UNITS[unit])
        start, end = window(0, 330, 7, 60)
        needs.append(Need(i + 1, cat, text, int(rng.integers(1, 200)), q, start, end, place,
                          int(rng.integers(1, 6)), unit))

    rank = np.arange(1, providers + 1) ** -0.8
    res_cats = list(SERVICES)
    resources = []
    for i in range(n_resources):
        cat = res_cats[int(rng.integers(len(res_cats)))]
        unit = UNIT_OPTIONS[cat][int(rng.integers(len(UNIT_OPTIONS[cat])))]
        level = rng.choice(4, p=[0.04, 0.26, 0.5, 0.2])
        pool = [["/1/"], sub_paths, area_paths, grid_paths][level]
        regions = tuple(sorted({pool[int(rng.integers(len(pool)))] for _ in range(1 + (rng.random() < 0.1))}))
        provider = int(rng.choice(providers, p=rank / rank.sum())) + 1
        svc = rng.choice(SERVICES[cat], 2, replace=False)
        q = amount(unit, CAPACITY_RANGE)
        text = RESOURCE_TEMPLATES[int(rng.integers(len(RESOURCE_TEMPLATES)))].format(
            unit=f"{UNIT_NAMES[provider % len(UNIT_NAMES)]}{provider}号", svc=svc[0], svc2=svc[1],
            scope=names[regions[0]], q=int(q), u=UNITS[unit])
        start, end = window(0, 300, 30, 365)
        resources.append(Resource(i + 1, cat, text, q, unit, start, end, regions, provider, title=f"{svc[0]}、{svc[1]}"))

    provider_load = {p: int(rng.poisson(3 * rank[p - 1] / rank.mean())) for p in range(1, providers + 1)}
    places = grid_paths + area_paths
    history: dict[tuple[int, str], int] = {}
    for _ in range(n_resources // 2):
        key = (int(rng.choice(providers, p=rank / rank.sum())) + 1, places[int(rng.integers(len(places)))])
        history[key] = history.get(key, 0) + 1
    return Dataset(resources, needs, provider_load, history, grid_paths, area_paths)
