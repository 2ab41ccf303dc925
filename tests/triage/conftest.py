"""Toy data for the triage tests: a made-up labelled history in three top-level categories."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from gongzhi.demands import services as demand_services
from gongzhi.demands.models import Category, Channel

SHANGHAI = ZoneInfo("Asia/Shanghai")
TOPICS = {
    "street_lights": ["路灯", "灯不亮", "照明", "灯泡", "路灯杆", "晚上很黑", "灯坏了", "亮度不够"],
    "sorting_points": ["垃圾", "分类", "投放点", "垃圾桶", "湿垃圾", "干垃圾", "清运", "垃圾房"],
    "parking": ["停车", "车位", "乱停车", "停车费", "占用车位", "停车场", "私家车", "车辆"],
}
FILLER = ["请尽快处理", "希望有人管一管", "居民意见很大", "已经很久了", "麻烦看一下"]


def category(code: str) -> Category:
    return Category.objects.get(code=code, subdistrict=None)


def toy_texts(n_per_topic: int, seed: int = 1) -> list[tuple[str, str, str]]:
    """(title, description, leaf category code)."""
    rng = random.Random(seed)
    rows = []
    for code, words in TOPICS.items():
        for _ in range(n_per_topic):
            picked = rng.sample(words, 3)
            rows.append((f"{picked[0]}的问题", "，".join(picked[1:]) + "，" + rng.choice(FILLER), code))
    rng.shuffle(rows)
    return rows


def submit(street, title="楼道灯坏了", description="3楼楼道灯不亮，晚上很黑。", now=None, **kw):
    kw.setdefault("channel", Channel.GRID_PATROL)  # a grid worker's patrol: no phone, no SMS
    if "building" not in kw and "subdistrict" not in kw:
        kw["building"] = street.building_a1
    demand, _created = demand_services.submit_demand(title=title, description=description, now=now, **kw)
    return demand


def labelled_history(street, n_per_topic=12, seed=1, wrong_every=0, now=None):
    """Demands with categories chosen by people (no classification): the training history.
    `wrong_every` k > 0 gives every k-th demand a wrong category (noisy labels)."""
    codes = list(TOPICS)
    made = []
    for i, (title, description, code) in enumerate(toy_texts(n_per_topic, seed)):
        if wrong_every and i % wrong_every == 0:
            code = codes[(codes.index(code) + 1) % len(codes)]
        made.append(submit(street, title, description, category=category(code), now=now))
    return made


@pytest.fixture
def trained(street):
    """A sub-district with a labelled history and an active model."""
    from gongzhi.triage.services import retrain_model

    labelled_history(street, n_per_topic=12)
    model = retrain_model(street.subdistrict, min_rows=10)
    assert model is not None and model.active
    return model


DAY = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
