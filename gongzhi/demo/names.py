"""Invented name pools and generators for the demo street. Every person, firm and place here is made up;
phone numbers and ID numbers are well-formed but fake (the ID numbers use the non-existent area code 310999)."""

from __future__ import annotations

import random
from datetime import date, timedelta

SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤俞施"
)
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁凯俊浩宇晨建国志文海东林峰永健成忠德立新春荣川祥兴卫民少锋"
FEMALE_CHARS = "芳娜敏静丽艳娟霞燕玲婷雪慧倩颖琳洁红梅莉兰凤萍蓉佳怡欣悦晓雯秀英华珍琴云霖瑶璐佩娅"

# Residential areas of the invented 梧桐街道: (name, road the residents' committee sits on, old lanes or high-rise).
AREAS = (
    ("梧桐苑", "梧桐路", "lane"),
    ("枫林里", "枫林路", "lane"),
    ("樱桃坊", "樱桃街", "lane"),
    ("云锦", "云锦路", "highrise"),
    ("康乐", "康乐路", "mixed"),
    ("石榴巷", "石榴路", "lane"),
    ("江畔", "滨江大道", "highrise"),  # the CBD-like area with the office towers
    ("新昌里", "新昌路", "lane"),
    ("永宁", "永宁路", "mixed"),
    ("锦绣", "锦绣路", "highrise"),
    ("桂香", "桂香路", "mixed"),
)
CBD_AREA_INDEX = 6
CN_NUM = "一二三四五六七八九十"

TOWER_PREFIXES = (
    "汇澜", "宏晟", "瑞丰", "恒鼎", "嘉禾", "启元", "铂悦", "金融港", "云汇", "中瀚", "泓邦", "锦程", "华岳", "信和", "星耀",
    "盛源", "海珀", "东湾", "天祺", "鼎越", "兆丰", "融汇", "德昇", "长盈", "宝晟", "凯旋", "聚鑫", "辰光", "君悦", "远洋",
)
TOWER_SUFFIXES = ("大厦", "国际广场", "中心", "商务楼", "金融大厦", "广场")

FIRM_WORDS = (
    "瑞澜", "泓澄", "启衡", "鸿略", "致远", "澄明", "若谷", "知行", "蓝湾", "青禾", "弘毅", "晟睿", "钧和", "拓纬", "星渡",
    "衡方", "朗境", "云栖", "泽润", "嘉言", "博瀚", "翊德", "明澈", "麦田", "沐光", "简一", "栖木", "立本", "远帆", "智衍",
    "同舟", "睿拓", "禾信", "浦润", "杉越", "鹿鸣", "安和", "恒久", "景曜", "澜岸", "千帆", "弈格", "鼎泰", "融创芯", "优程",
)
FIRM_TRADES = (
    ("信息技术有限公司", 0.25), ("投资管理有限公司", 0.12), ("企业管理咨询有限公司", 0.12), ("文化传媒有限公司", 0.1),
    ("律师事务所", 0.08), ("会计师事务所", 0.06), ("医药科技有限公司", 0.07), ("供应链管理有限公司", 0.07),
    ("建筑设计有限公司", 0.06), ("人力资源有限公司", 0.07),
)

VOLUNTEER_SPECIALITIES = (
    "垃圾分类宣传与值守", "为老助餐与陪护", "楼道堆物清理", "法律咨询", "义诊与健康讲座", "青少年课业辅导",
    "文明养宠劝导", "滨江步道巡护", "防汛防台巡查", "反诈宣传", "旧物置换与公益集市", "家电义修",
)


def checksum(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


class Names:
    """Deterministic generators over one random.Random; names and phones never repeat within a seed."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._people: set[str] = set()
        self._phones: set[str] = set()
        self._ids = 0

    def person(self, gender: str | None = None) -> tuple[str, str]:
        """(name, gender) with gender "male"/"female"."""
        gender = gender or self.rng.choice(("male", "female"))
        pool = MALE_CHARS if gender == "male" else FEMALE_CHARS
        while True:
            given = "".join(self.rng.choice(pool) for _ in range(self.rng.choice((1, 2, 2))))
            name = self.rng.choice(SURNAMES) + given
            if name not in self._people:
                self._people.add(name)
                return name, gender

    def name(self) -> str:
        return self.person()[0]

    def mobile(self) -> str:
        while True:
            phone = self.rng.choice(("13", "15", "17", "18", "19")) + f"{self.rng.randrange(10**9):09d}"
            if phone not in self._phones:
                self._phones.add(phone)
                return phone

    def landline(self) -> str:
        return f"021-{self.rng.randrange(5000_0000, 6999_9999)}"

    def id_number(self, born: date, gender: str) -> str:
        self._ids += 1
        seq = (self._ids % 499) * 2 + (1 if gender == "male" else 0)
        first17 = f"310999{born:%Y%m%d}{seq:03d}"
        return first17 + checksum(first17)

    def day_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def firm(self, used: set[str]) -> str:
        while True:
            word = self.rng.choice(FIRM_WORDS)
            trade = self.rng.choices([t for t, _ in FIRM_TRADES], weights=[w for _, w in FIRM_TRADES])[0]
            name = f"上海{word}{trade}"
            if name not in used:
                used.add(name)
                return name
