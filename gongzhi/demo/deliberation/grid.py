"""Demo data of the grid part of deliberation: this year's 35 grid topics (屋檐下的微自治), one per micro-grid, drawn
from last year's top-10 concerns of the street the way the sub-district staff would draw them on the batch page
(`selectors.concern_basis`), each with two to four micro-items. Most items are claimed with a public promise by
the people who serve the grid (the demo party member of the first grid, the grid leaders of the first area, the
area secretaries, who are their area's party secretaries, now and then the sub-district staff); some are done,
some are overdue, and two topics went on to the council as deliberation topics. Written through the services,
without notifications (the inboxes have their demo messages already)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from gongzhi.deliberation.selectors import grid as selectors
from gongzhi.deliberation.services import grid as services

# Micro-items per top-level concern category: (item title, a promise, what was done)
ITEMS = {
    "物业管理": [("督促物业公示服务标准和收费明细", "一个月内推动物业在门岗公示", "已在三个门岗张贴公示栏"),
             ("组织居民与物业面对面恳谈会", "本月底前召集一次恳谈会", "恳谈会已开，收集意见17条"),
             ("门岗夜间值守情况走访", "每周抽查一次夜间值守", "连续四周抽查，值守到位")],
    "房屋修缮": [("排查顶楼渗漏住户", "两周内走访所有顶楼住户", "走访完毕，12户已报修"),
             ("协调外墙破损修补", "联系房管所确定施工时间", "脚手架已搭设，月内完工"),
             ("梳理上下水管道老化楼栋", "整理清单报房办", "清单已报送房办")],
    "加装电梯": [("加梯意愿入户征询", "本月内完成两个门洞的征询", "两个门洞同意率均过三分之二"),
             ("协调低层住户顾虑", "逐户上门沟通", "低层住户签署同意书"),
             ("组织加梯政策宣讲会", "在党群服务站办一场宣讲", "宣讲会到场居民40余人")],
    "楼道堆物": [("清理楼道堆物", "周末带领志愿者清理", "清出杂物两车，张贴提示"),
             ("电瓶车楼道充电劝导", "每晚巡查一次，劝导上楼充电", "劝导12户，已改到集中充电点"),
             ("设置集中充电点", "对接物业选址", "新增充电桩8个")],
    "违章搭建": [("排摸新增违建", "每周巡查一遍网格", "发现2处，已报城管"),
             ("违建拆除前的邻里沟通", "陪同城管上门做工作", "当事人同意自行拆除")],
    "环境卫生": [("背街小巷保洁巡查", "每周两次巡查并拍照反馈", "保洁频次已调整为每日两次"),
             ("病媒防治宣传", "发放灭鼠灭蟑宣传单", "覆盖全部楼栋"),
             ("疏通污水外溢点", "联系排水所上门", "污水井已疏通")],
    "垃圾分类": [("定时定点投放值守", "每周认领两个晚间时段", "值守8次，混投明显减少"),
             ("大件垃圾堆放点整治", "协调物业清运", "堆放点已规范并设指示牌"),
             ("分类指导进楼组", "每个楼组讲一次", "已走完全部楼组")],
    "油烟噪声扰民": [("餐饮店油烟扰民协调", "约店主和居民坐下来谈", "店主加装净化器，居民满意"),
               ("夜间施工噪声劝导", "接到反映即上门劝导", "施工时间已调整")],
    "绿化树木": [("遮挡采光树木修剪", "对接绿化所排期修剪", "修剪完成，低层采光改善"),
             ("补种被毁绿地", "组织居民认种", "补种月季60株")],
    "停车交通": [("非机动车停放整治", "划线并劝导乱停放", "新划停车线120米"),
             ("共享停车位协调", "对接周边单位错时停车", "新增夜间车位30个"),
             ("消防通道占用劝离", "每晚巡查一次", "通道保持畅通")],
    "公共设施": [("楼道灯和路灯报修", "一周内全部报修", "更换灯具14盏"),
             ("健身器材检修", "联系厂家上门", "器材已检修并挂牌"),
             ("门禁故障排查", "逐栋检查门禁", "故障门禁已维修")],
    "治安消防": [("楼道消防器材检查", "逐栋检查灭火器", "过期灭火器已更换"),
             ("独居老人家中用电安全检查", "上门检查并讲解", "检查独居老人家庭15户")],
    "为老服务": [("独居老人结对探访", "每周上门或电话一次", "结对老人8位，坚持探访"),
             ("助餐点送餐需求排摸", "两周内完成排摸", "新增送餐12户")],
}
GENERIC = [("收集居民意见", "两周内走访所有楼组长", "收集意见20条，已分类转办"),
           ("组织一次楼组议事", "本月内召集楼组议事", "议事会达成三项约定"),
           ("跟进办理情况并回访", "办结后逐户回访", "回访满意率90%以上")]
PHRASES = ["屋檐下的微自治", "家门口的事大家商量着办", "小事不出网格", "邻里共治一起来"]
RAISED = 2  # topics put to the council


def _claimants(ctx) -> dict:
    """grid pk → the people who serve it and claim its items, most likely first."""
    users = ctx.users
    out = {}
    for i, area in enumerate(ctx.areas, start=1):
        for g, grid in enumerate(ctx.grids_by_area[area.pk], start=1):
            people = [users.get(f"gridleader{g}")] if i == 1 else []
            people += [users.get(f"secretary{i}")]
            out[grid.pk] = [u for u in people if u is not None]
    demo = ctx.extra.get("demo_member")
    if demo is not None and "member1" in users and demo.grid_id in out:
        out[demo.grid_id].insert(0, users["member1"])
    return out


def seed(ctx) -> None:
    staff = ctx.users.get("street")
    if staff is None or not ctx.grids:
        return
    rng = ctx.rng
    now = timezone.now()
    today = timezone.localdate()
    year = today.year
    start = min(datetime.combine(today.replace(month=1, day=20), time(10), tzinfo=now.tzinfo),
                now - timedelta(days=7))
    basis = selectors.concern_basis(staff, ctx.grids, year - 1)
    rows = []
    for n, row in enumerate(basis.rows):
        name = row.concern.category if row.concern else ""
        rows.append({"grid": row.grid, "concern": name, "concern_rank": row.concern.rank if row.concern else None,
                     "title": f"{name or '网格议题'}：{PHRASES[n % len(PHRASES)]}",
                     "description": selectors.suggested_description(row, year - 1)})
    topics = services.create_grid_topics(year, actor=staff, rows=rows, publish=True, today=start.date(), now=start,
                                        notify=False)
    claimants = _claimants(ctx)
    member = ctx.users.get("member1")
    end_of_year = today.replace(month=12, day=31)
    for topic in topics:
        own, generic = list(ITEMS.get(topic.concern, ())), list(GENERIC)
        rng.shuffle(own)
        rng.shuffle(generic)
        picked = (own + generic)[:rng.randint(2, 4)]  # the concern's own micro-items first
        people = claimants.get(topic.grid_id) or [staff]
        mine = people[0] is member  # the demo party member's own grid: theirs to take on, one still to do
        for j, (title, promise, outcome) in enumerate(picked):
            due = min(start.date() + timedelta(days=rng.randint(30, 330)), end_of_year)
            item = services.add_micro_item(topic, actor=staff, title=title, due_on=due, today=start.date(), now=start)
            if rng.random() < (0.5 if mine and j else 0 if mine else 0.2):
                continue  # waiting for someone
            who = people[0] if mine or rng.random() < 0.6 else rng.choice(people + [staff])
            claimed_at = start + timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 8))
            if claimed_at >= now:
                continue
            services.claim_micro_item(item, actor=who, promise=promise, now=claimed_at, notify=False)
            done_at = claimed_at + timedelta(days=rng.randint(7, 120))
            if (mine and j == 0) or done_at >= now:
                continue
            if (due < today and rng.random() < 0.7) or rng.random() < 0.3:
                services.complete_micro_item(item, actor=who, outcome=outcome, now=done_at, notify=False)
    raised_at = min(start + timedelta(days=30), now)
    for topic in topics[:: max(1, len(topics) // RAISED)][:RAISED]:
        services.raise_topic(topic, actor=staff, now=raised_at)
