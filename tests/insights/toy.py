"""A small made-up taxonomy of citizen messages for the insights tests."""

import random

TOPICS = {
    "交通运输": ["公交车", "站台", "红绿灯", "道路拥堵", "停车位", "地铁", "出租车", "路口"],
    "教育文体": ["学校", "老师", "学生", "入学", "学费", "课程", "幼儿园", "图书馆"],
    "环境保护": ["噪音", "污染", "垃圾", "油烟", "排放", "河道", "臭味", "扬尘"],
}
FILLER = ["请尽快处理", "希望相关部门重视", "居民意见很大", "已经很久了", "谢谢领导"]


def messages(n_per_topic: int, seed: int) -> list[tuple[str, str, str]]:
    """(title, body, label) rows."""
    rng = random.Random(seed)
    rows = []
    for label, words in TOPICS.items():
        for _ in range(n_per_topic):
            picked = rng.sample(words, 3)
            rows.append((f"关于{picked[0]}的问题", "，".join(picked[1:]) + "，" + rng.choice(FILLER), label))
    rng.shuffle(rows)
    return rows
