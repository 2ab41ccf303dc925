"""Demo service catalogue: 10 categories; 86 city-wide items (全市通办, the building station's "10 categories, 80+
items" of seed 000); the demo street's own doorstep items, so that the catalogue it serves has 184 active items
(seed 003's 市新 station: "184 items at the doorstep"); among them a 34-item list for office workers (seed 002's
park station built one from white-collar needs). Two retired city-wide items are inactive. The names are invented
but realistic; every item has 1–5 materials, a time limit of 0–20 working days, mostly no fee; about 30% can be
booked and 15% handled remotely (seed 003: printing a medical-insurance bill, video consultation for long-term
care). Written through the catalogue's import service (the Excel import's), in one go.

ctx.extra["services"]: "categories" (in order) and "items" (every item, in code order) for the later parts."""

from __future__ import annotations

from decimal import Decimal

from gongzhi.core.workflow import SYSTEM
from gongzhi.services.models import ServiceItem, ServiceLevel
from gongzhi.services.services import catalogue as services

SERVED = 184  # active items the demo street's stations serve

# code, name, materials pool, legal basis, city-wide item names
CATEGORIES = (
    ("social", "社会保障", ("身份证", "户口簿", "社会保障卡", "银行卡", "一寸照片", "退休证"),
     "《上海市城乡居民基本养老保险办法》",
     ("城乡居民养老保险参保登记", "城乡居民养老金申领", "社会保障卡申领", "社会保障卡挂失补办", "社保个人权益记录打印",
      "退休人员社会化管理登记", "养老金领取资格认证", "失业保险金申领", "灵活就业人员社保缴费登记",
      "征地养老人员生活费申领")),
    ("medical", "医疗保险", ("身份证", "社会保障卡", "医保卡", "户口簿", "病历资料", "出院小结"),
     "《上海市城乡居民基本医疗保险办法》",
     ("城乡居民基本医疗保险参保登记", "医保账单打印", "医保个人账户查询", "医保关系转移接续", "门诊大病登记",
      "家庭病床医保登记", "异地就医备案", "长期护理保险需求评估申请", "长护险可视化咨询", "少儿住院互助基金参保")),
    ("employment", "就业创业", ("身份证", "户口簿", "学历证明", "劳动合同", "营业执照复印件", "职业资格证书"),
     "《中华人民共和国就业促进法》",
     ("失业登记", "就业登记", "就业困难人员认定", "创业前咨询指导", "创业贷款担保申请", "职业技能培训补贴申领",
      "灵活就业社保补贴申请", "高校毕业生就业见习报名", "用人单位招聘登记")),
    ("civil", "民政救助", ("身份证", "户口簿", "收入证明", "家庭财产申报表", "医疗费用票据", "困难情况说明"),
     "《社会救助暂行办法》",
     ("最低生活保障申请", "低收入家庭认定", "临时救助申请", "支出型贫困生活救助", "医疗救助申请", "特困人员供养申请",
      "婚姻登记预约咨询", "殡葬补贴申领", "慈善超市救助登记")),
    ("elderly", "为老服务", ("身份证", "户口簿", "社会保障卡", "老年照护评估报告", "一寸照片", "银行卡"),
     "《上海市养老服务条例》",
     ("老年综合津贴申领", "老年人照护需求评估", "居家养老服务补贴申请", "敬老卡办理", "养老机构入住申请",
      "老年助餐补贴申请", "长者照护之家入住申请", "老年人意外伤害保险参保", "百岁老人长寿保健金申领")),
    ("disability", "残疾人服务", ("身份证", "户口簿", "残疾人证", "二寸照片", "医院诊断证明", "银行卡"),
     "《中华人民共和国残疾人保障法》",
     ("残疾人证申领", "残疾人证换领", "重残无业人员生活补助申请", "残疾人居家养护补贴申请", "残疾人辅助器具申请",
      "残疾人机动轮椅车燃油补贴申领", "残疾人就业登记", "精神障碍患者监护人补贴申请")),
    ("household", "户籍证照", ("身份证", "户口簿", "房屋租赁合同", "居住证", "一寸照片", "劳动合同")),
    ("family", "计划生育/妇幼", ("夫妻双方身份证", "结婚证", "户口簿", "出生医学证明", "独生子女父母光荣证",
                              "母子健康手册")),
    ("housing", "住房保障", ("身份证", "户口簿", "房屋产权证明", "收入证明", "婚姻状况证明", "租赁合同")),
    ("general", "综合事务", ("身份证", "户口簿", "退役证明", "相关证明材料", "情况说明")),
)
MORE = {  # the legal basis and city-wide items of the last four categories
    "household": ("《上海市居住证管理办法》",
                  ("居住登记", "居住证申领", "居住证签注", "居住证积分申请受理", "户口簿补领咨询", "出生登记咨询",
                   "居民身份证申领代办", "无犯罪记录证明申请代办")),
    "family": ("《上海市人口与计划生育条例》",
               ("生育登记", "独生子女父母光荣证申领", "独生子女父母奖励费申领", "计划生育家庭特别扶助申请",
                "生育保险待遇申领", "孕产妇建册", "婴幼儿早期发展指导报名", "儿童预防接种咨询", "计划生育手术并发症扶助申请")),
    "housing": ("《上海市廉租住房实施办法》",
                ("廉租住房申请", "共有产权保障住房申请", "公共租赁住房申请", "廉租住房资格复核", "住房公积金提取咨询",
                 "旧住房修缮申请", "房屋租赁合同登记备案", "既有多层住宅加装电梯咨询")),
    "general": ("《中华人民共和国兵役法》",
                ("兵役登记", "退役军人优待证申领", "法律援助申请", "人民调解申请", "居民经济状况核对授权", "各类证明开具")),
}
RETIRED = (("social", "老版社保卡换卡"), ("household", "临时居住证换领"))
# the 34 items of the office workers' list (category code, name), the park station's "white-collar needs"
OFFICE_WORKERS = (
    ("housing", "人才公寓申请"), ("household", "积分落户咨询"), ("general", "白领午间课堂报名"),
    ("employment", "青年创业沙龙报名"), ("employment", "创业场地对接"), ("household", "人才引进落户政策咨询"),
    ("household", "留学人员落户咨询"), ("employment", "职称评定政策咨询"), ("employment", "技能提升培训报名"),
    ("medical", "白领心理健康咨询"), ("general", "职场法律咨询"), ("general", "劳动合同纠纷调解"),
    ("general", "园区党员组织关系转接"), ("general", "流动党员报到"), ("general", "白领志愿服务报名"),
    ("general", "楼宇联谊交友活动报名"), ("family", "白领子女暑托班报名"), ("medical", "楼宇健康小屋自检"),
    ("medical", "白领体检预约"), ("housing", "公积金贷款咨询"), ("general", "个税专项附加扣除辅导"),
    ("social", "企业社保开户辅导"), ("employment", "企业用工备案指导"), ("employment", "小微企业政策咨询"),
    ("general", "知识产权申请辅导"), ("general", "楼宇共享会议室预约"), ("general", "楼宇阅览室借阅"),
    ("general", "白领文体社团报名"), ("medical", "午间健身课预约"), ("general", "青年婚恋交友活动报名"),
    ("employment", "新就业形态劳动者服务登记"), ("housing", "青年人才租房补贴申请"), ("family", "母婴室使用预约"),
    ("general", "楼宇快递代收登记"),
)
# the street's own doorstep items for residents (category code, name)
DOORSTEP = (
    ("general", "居民证明代开"), ("general", "水电煤费用代缴"), ("general", "公交卡充值"), ("elderly", "老年人助浴服务预约"),
    ("elderly", "社区长者食堂用餐登记"), ("elderly", "助老上门服务申请"), ("elderly", "独居老人关爱登记"),
    ("medical", "家庭医生签约"), ("medical", "慢病长处方续方代配"), ("medical", "社区卫生服务站预约"),
    ("medical", "中医推拿预约"), ("general", "便民理发预约"), ("general", "家电维修预约"), ("general", "衣物缝补预约"),
    ("general", "磨刀配钥匙"), ("general", "法律咨询预约"), ("medical", "心理咨询预约"), ("general", "邻里纠纷调解"),
    ("housing", "房屋出租信息登记"), ("housing", "群租问题反映"), ("general", "垃圾分类指导"),
    ("general", "大件垃圾清运预约"), ("housing", "装修垃圾清运预约"), ("general", "非机动车停放登记"),
    ("general", "电动自行车充电办卡"), ("general", "社区图书借阅"), ("general", "市民课堂报名"),
    ("family", "寒暑假少儿托管报名"), ("family", "四点半课堂报名"), ("family", "亲子阅读活动报名"),
    ("elderly", "社区食堂办卡"), ("elderly", "居家适老化改造申请"), ("elderly", "智慧养老设备申领"),
    ("elderly", "紧急呼叫设备安装申请"), ("general", "防范电信诈骗咨询"), ("general", "消防安全隐患报告"),
    ("housing", "物业问题协调"), ("housing", "加装电梯意愿征询登记"), ("general", "居民议事会议题提交"),
    ("general", "志愿者注册"), ("general", "志愿服务时长证明"), ("general", "退役军人之家服务登记"),
    ("general", "双拥优抚咨询"), ("employment", "就业岗位推荐"), ("employment", "再就业培训报名"),
    ("elderly", "老年大学报名"), ("general", "社区文艺团队报名"), ("general", "健身场地预约"),
    ("medical", "疫苗接种预约"), ("medical", "无偿献血登记"), ("disability", "无障碍设施报修"),
    ("civil", "爱心柜物资领取"), ("disability", "助残就业辅导"), ("civil", "困难家庭帮扶登记"),
)
# residential areas' own items, one per area in turn, until the count is reached
AREA_ITEMS = ("{}睦邻点活动报名", "{}老年助餐登记", "{}自治项目申报咨询", "{}楼组长联系登记")
NOTES = {"身份证": "原件", "户口簿": "原件及复印件", "一寸照片": "近期免冠彩色"}


def _materials(rng, pool) -> list[dict]:
    chosen = rng.sample(pool, rng.randint(1, min(5, len(pool))))
    return [{"name": m, "required": i == 0 or rng.random() > 0.2, "note": NOTES.get(m, "")}
            for i, m in enumerate(chosen)]


def _row(rng, code: str, name: str, category, pool, *, legal: str, level=ServiceLevel.CITY, region=None,
         position: int = 0, doorstep: bool = False, office: bool = False, active: bool = True) -> dict:
    if doorstep:
        days = rng.choice((0, 0, 0, 0, 1, 3, 5))
    else:
        days = rng.choice((0, 0, 3, 5, 5, 7, 10, 15, 20))
    fee = rng.choice((Decimal("10.00"), Decimal("20.00"))) if rng.random() < 0.06 else Decimal("0")
    return {"item": None, "code": code, "name": name, "category": category, "level": level, "region": region,
            "description": f"{name}：在家门口服务站一口受理。", "legal_basis": legal, "time_limit_days": days, "fee": fee,
            "bookable": rng.random() < 0.3, "remote": rng.random() < 0.15, "for_residents": not office or rng.random() < 0.3,
            "for_office_workers": office, "for_building_stations": not doorstep or office,
            "keywords": name[:4], "position": position, "active": active, "materials": _materials(rng, pool)}


def seed(ctx) -> None:
    rng = ctx.rng
    legal, pools, categories = {}, {}, {}
    for i, (code, name, pool, *rest) in enumerate(CATEGORIES):
        categories[code] = services.create_category(actor=SYSTEM, code=code, name=name, position=i + 1)
        pools[code] = list(pool)
        legal[code], city = rest if rest else MORE[code]
        pools[code + ":city"] = city
    rows = []
    for ci, (code, *_rest) in enumerate(CATEGORIES, start=1):
        for n, name in enumerate(pools[code + ":city"], start=1):
            rows.append(_row(rng, f"QS{ci:02d}{n:02d}", name, categories[code], pools[code], legal=legal[code],
                             position=n))
    for n, (code, name) in enumerate(RETIRED, start=1):
        rows.append(_row(rng, f"QS99{n:02d}", name, categories[code], pools[code], legal=legal[code], active=False))
    for row in rows:  # seed 003's remote help: the bill printed, long-term care consulted by video
        if row["name"] in ("医保账单打印", "长护险可视化咨询"):
            row["remote"] = True
        if row["name"] == "长护险可视化咨询":
            row["bookable"] = True
    city_wide = sum(1 for r in rows if r["active"])
    sub = ctx.subdistrict
    own = [(c, n, True) for c, n in OFFICE_WORKERS] + [(c, n, False) for c, n in DOORSTEP]
    for n, (code, name, office) in enumerate(own, start=1):
        rows.append(_row(rng, f"{sub.code}-S{n:03d}", name, categories[code], pools[code], legal=legal[code],
                         level=ServiceLevel.SUBDISTRICT, region=sub, position=n, doorstep=True, office=office))
    areas = sorted(ctx.areas, key=lambda a: a.code)
    left = SERVED - city_wide - len(own)
    for n in range(left):
        area, template = areas[n % len(areas)], AREA_ITEMS[(n // len(areas)) % len(AREA_ITEMS)]
        rows.append(_row(rng, f"{sub.code}-A{n + 1:03d}", template.format(area.name), categories["general"],
                         pools["general"], legal="《上海市居民委员会工作条例》", level=ServiceLevel.AREA, region=area,
                         position=n + 1, doorstep=True))
    services.import_items(rows, actor=SYSTEM)
    store = ctx.extra.setdefault("services", {})
    store["categories"] = list(categories.values())
    store["items"] = list(ServiceItem.objects.filter(code__in=[r["code"] for r in rows]).select_related(
        "category", "region").order_by("code"))
