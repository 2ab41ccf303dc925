"""Demo volunteering: the wishes part. 60 micro-wishes (微心愿) of households in hardship over the past two years
in the demo's residential areas: most fulfilled, by party members and by member units (a firm's party branch
claims many, as in case 004), some claimed with their promise, some open (one overdue, one the demo unit
liaison `unit1` may claim), a few waiting for approval and two not approved. Written at once through
`gongzhi.volunteering.services.wishes.seed_past_wishes`, with their timelines; no photos."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.registry.models import MemberUnitKind
from gongzhi.volunteering.models import HardshipKind, Wish
from gongzhi.volunteering.services.wishes import seed_past_wishes
from gongzhi.volunteering.workflow import WishAction as A
from gongzhi.volunteering.workflow import WishState as S

COUNT = 60
# (hardship, wish, description, value in yuan)
WISHES = (
    (HardshipKind.CHILD, "一个新书包和一套文具", "孩子今年升三年级，旧书包拉链坏了，用绳子绑着背。", 150),
    (HardshipKind.CHILD, "一套课外读物", "孩子爱看书，希望有一套适合小学高年级的科普读物。", 200),
    (HardshipKind.CHILD, "一双冬天穿的棉鞋", "孩子的脚长得快，去年的棉鞋已经穿不下了。", 120),
    (HardshipKind.CHILD, "一盏护眼台灯", "家里只有一盏吸顶灯，孩子晚上写作业光线太暗。", 180),
    (HardshipKind.CHILD, "一件新羽绒服", "孩子冬天只有一件旧棉袄，希望有件保暖的羽绒服。", 260),
    (HardshipKind.ELDERLY_ALONE, "一台电饭煲", "老人独居，原来的电饭煲坏了，每天只能用锅煮粥。", 220),
    (HardshipKind.ELDERLY_ALONE, "一床冬天的厚棉被", "老房子冬天阴冷，老人的棉被盖了十几年已经不暖和。", 300),
    (HardshipKind.ELDERLY_ALONE, "一部大字大声的老人手机", "老人眼睛不好，想要一部字大、铃声响的手机方便联系子女。", 260),
    (HardshipKind.ELDERLY_ALONE, "卫生间安装扶手和防滑垫", "老人腿脚不便，洗澡时怕滑倒，希望装一个扶手。", 350),
    (HardshipKind.ELDERLY_ALONE, "一台电暖器", "独居老人怕冷，冬天屋里没有取暖设备。", 280),
    (HardshipKind.ELDERLY_ALONE, "陪老人去一次医院复查", "老人行动不便，子女在外地，希望有人陪同去医院复查。", 0),
    (HardshipKind.DISABILITY, "一辆轻便轮椅", "下肢残疾，原来的轮椅太重，出门下楼很吃力。", 800),
    (HardshipKind.DISABILITY, "一年的助听器电池", "听力残疾，助听器电池用得快，希望有人资助一年的电池。", 240),
    (HardshipKind.DISABILITY, "一副新的老花镜", "视力差，原来的眼镜度数早已不合适。", 150),
    (HardshipKind.DISABILITY, "一根带凳子的拐杖", "走路需要拄拐，走累了可以坐下歇一歇。", 120),
    (HardshipKind.LOW_INCOME, "一台二手洗衣机", "低保家庭，洗衣机坏了，冬天手洗衣服很辛苦。", 600),
    (HardshipKind.LOW_INCOME, "一箱大米和食用油", "低保家庭，希望过年时能有一些米和油。", 200),
    (HardshipKind.LOW_INCOME, "修好漏水的水龙头和下水管", "厨房水管漏水很久，自己没有能力修。", 150),
    (HardshipKind.LOW_INCOME, "一台小冰箱", "夏天饭菜放不住，希望有一台小冰箱。", 900),
    (HardshipKind.ILLNESS, "一台家用血压计", "患高血压多年，需要每天在家测量血压。", 200),
    (HardshipKind.ILLNESS, "一个制氧机的湿化瓶和吸氧管", "长期在家吸氧，配件需要更换。", 120),
    (HardshipKind.ILLNESS, "一张护理床垫", "长期卧床，希望有一张防褥疮的气垫床垫。", 500),
    (HardshipKind.ILLNESS, "每周一次上门陪伴聊天", "术后在家休养，一个人很孤单，希望有人来说说话。", 0),
)
PROMISES = ("一周内送到家中，并帮忙安装调试", "本月内购买送达，顺便陪老人聊聊天", "两周内落实，送货上门",
            "党支部集体认领，月底前送达", "周末上门送达并讲解使用方法", "十天内完成，完成后拍照回访")
FULFILMENTS = ("已送到家中，当面交给受助人并讲解了使用方法。", "已购买送达，安装调试完毕，老人很满意。",
               "党员志愿者上门送达，并帮忙打扫了房间。", "已送达，受助人签收，居委会社工一同回访。")
THANKS = ("谢谢党员同志，你们想得真周到！", "感谢社区和爱心单位，孩子开心得不得了。", "有你们在，我们心里暖暖的。",
          "谢谢大家的关心，我一定好好生活。", "")
REJECTIONS = ("家庭情况已由民政部门专项救助解决，无需再发布心愿。", "心愿金额较大，建议转为社区基金项目申请。")
# the final states of the 60 wishes
PLAN = [S.FULFILLED] * 40 + [S.CLAIMED] * 8 + [S.OPEN] * 6 + [S.SUBMITTED] * 4 + [S.REJECTED] * 2


def _at(day, rng) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 18), rng.randint(0, 59))))


def seed(ctx) -> None:
    rng, names = ctx.rng, ctx.names
    today = timezone.localdate()
    areas = ctx.areas[:4] if len(ctx.areas) >= 4 else ctx.areas
    if not areas:
        return
    secretaries = {a.pk: ctx.users.get(f"secretary{i}") for i, a in enumerate(ctx.areas, start=1)}
    members = [m for m in ctx.members if m.registered_area_id or m.organization.member_unit_id][:200] or ctx.members
    firms = [u for u in ctx.units if u.kind == MemberUnitKind.ENTERPRISE and u.has_party_org]
    firm = firms[0] if firms else (ctx.units[0] if ctx.units else None)
    units = [u for u in ctx.units if u.has_party_org] or list(ctx.units)
    unit1 = ctx.users.get("unit1")
    member1 = ctx.users.get("member1")
    plan = list(PLAN)
    rng.shuffle(plan)
    rows = []
    for n, final in enumerate(plan, start=1):
        area = rng.choice(areas)
        hardship, title, description, value = rng.choice(WISHES)
        staff = secretaries.get(area.pk)
        if final in (S.SUBMITTED,):
            posted = today - timedelta(days=rng.randint(0, 6))
        elif final in (S.OPEN, S.CLAIMED):
            posted = today - timedelta(days=rng.randint(10, 60))
        else:
            posted = today - timedelta(days=rng.randint(40, 720))
        wanted = posted + timedelta(days=rng.choice((30, 45, 60)))
        wish = Wish(code=f"WX{posted:%Y%m%d}-{n:03d}", region=area, beneficiary_name=names.name(),
                    beneficiary_phone=names.mobile(), hardship=hardship, title=title, description=description,
                    value=Decimal(value), wanted_by=wanted, state=final, posted_by=staff,
                    posted_at=_at(posted, rng))
        steps = [(A.SUBMIT, "", S.SUBMITTED, "", wish.posted_at, staff)]
        if final == S.REJECTED:
            steps.append((A.REJECT, S.SUBMITTED, S.REJECTED, rng.choice(REJECTIONS),
                          wish.posted_at + timedelta(days=2), staff))
        if final in (S.OPEN, S.CLAIMED, S.FULFILLED):
            steps.append((A.APPROVE, S.SUBMITTED, S.OPEN, "情况属实，同意发布", wish.posted_at + timedelta(days=1),
                          staff))
        if final in (S.CLAIMED, S.FULFILLED):
            claimed = wish.posted_at + timedelta(days=rng.randint(2, 9), hours=rng.randint(0, 5))
            by_unit = firm is not None and rng.random() < 0.45
            if by_unit:
                wish.claimer_unit = firm if rng.random() < 0.6 else rng.choice(units)  # 004: the firm's branch
            else:
                wish.claimer_member = rng.choice(members)
            wish.claimed_by = wish.claimer_member.user if wish.claimer_member else None
            wish.promise = rng.choice(PROMISES)
            wish.promised_on = min(wanted, claimed.date() + timedelta(days=rng.randint(7, 20)))
            wish.claimed_at = claimed
            steps.append((A.CLAIM, S.OPEN, S.CLAIMED, wish.promise, claimed, wish.claimed_by))
        if final == S.FULFILLED:
            done = wish.claimed_at + timedelta(days=rng.randint(3, 18))
            wish.fulfilled_at = min(done, timezone.now() - timedelta(hours=1))
            wish.fulfilment_note = rng.choice(FULFILMENTS)
            steps.append((A.FULFIL, S.CLAIMED, S.FULFILLED, wish.fulfilment_note, wish.fulfilled_at,
                          wish.claimed_by))
            if thanks := rng.choice(THANKS):
                wish.thanks, wish.thanks_at = thanks, min(wish.fulfilled_at + timedelta(days=2), timezone.now())
                steps.append((A.THANK, S.FULFILLED, S.FULFILLED, "", wish.thanks_at, staff))
        rows.append((wish, steps))
    # one open wish overdue (approved, unclaimed past its wanted-by date), one open for the demo unit liaison
    opens = [w for w, _s in rows if w.state == S.OPEN]
    if opens:
        opens[0].wanted_by = today - timedelta(days=3)
    if len(opens) > 1:
        opens[1].title, opens[1].hardship = "一辆轻便轮椅", HardshipKind.DISABILITY
        opens[1].description = "下肢残疾，原来的轮椅太重，出门下楼很吃力。欢迎共建单位认领。"
        opens[1].wanted_by = today + timedelta(days=30)
    made = seed_past_wishes(rows, actor=SYSTEM)
    ctx.extra["wishes"] = {"made": made, "for_unit1": opens[1] if len(opens) > 1 else None,
                           "unit1": unit1, "member1": member1}
