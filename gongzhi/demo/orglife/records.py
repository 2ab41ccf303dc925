"""Demo organization life: the records part.

* "四先": contributions of members linked to the real seeded work the earlier apps made (demands claimed through
  members' accounts, wishes claimed by members, micro-items promised), written through the records service (which
  checks each link is the member's own work);
* last year's democratic appraisal of the members of the residential-area organizations: mostly 合格, some 优秀, a
  few 基本合格;
* the mobile members the registry marked (is_mobile): home organization, whereabouts, the day they left and a
  contact log, a few with no contact for months (the workbench card shows them).

Every random choice is ctx.rng's; rows are found in a stable order (codes, names), never chosen by primary key.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.orglife.models import (
    Appraisal,
    AppraisalResult,
    ContactChannel,
    FourFirstKind,
    MobileContact,
    MobileMember,
)
from gongzhi.orglife.services import records as services
from gongzhi.registry.models import PartyMember, RegionKind

FOUR_FIRSTS = {
    FourFirstKind.KNOW: ["第一时间了解到楼道积水情况并上报", "提前掌握小区加装电梯意向并告知支部", "最早发现独居老人异常"],
    FourFirstKind.DELIBERATE: ["牵头召集楼组议事讨论停车难", "提出议题并组织居民协商", "参与议事会讨论垃圾分类点位"],
    FourFirstKind.ACT: ["带头清理楼道堆物", "率先认领困难家庭微心愿", "带头参与小区环境整治"],
    FourFirstKind.DO: ["暴雨夜协助转移受困居民", "连夜联系物业抢修停水", "第一时间送医突发疾病的老人"],
}
PLACES = ["江苏省苏州市工业园区", "浙江省杭州市余杭区", "广东省深圳市南山区", "北京市海淀区", "四川省成都市高新区",
          "安徽省合肥市蜀山区", "湖北省武汉市江夏区", "福建省厦门市思明区"]
HOME_ORGS = ["安徽省六安市某村党支部", "江西省上饶市某社区党委", "河南省信阳市某村党总支", "江苏省南通市某社区党支部"]
NOTES = ["电话联系，近况良好，按时交纳党费", "微信视频，参加了所在地组织生活", "上门走访家属，转达组织关怀",
         "寄送学习资料", "电话未接通，已留言"]


def _work(ctx) -> list[tuple[PartyMember, ContentType, object]]:
    """The seeded work done by members: (member, content type, object), in a stable order."""
    from gongzhi.deliberation.models import MicroItem
    from gongzhi.demands.models import Demand
    from gongzhi.volunteering.models import Wish

    found = []
    members = {m.user_id: m for m in PartyMember.objects.filter(user__isnull=False)}
    for model, qs, who in (
        (Demand, Demand.objects.filter(claimed_by__in=list(members)).order_by("tracking_code"), "claimed_by_id"),
        (MicroItem, MicroItem.objects.filter(claimed_by__in=list(members)).order_by("grid_topic__title", "title",
                                                                                    "due_on"), "claimed_by_id"),
    ):
        ct = ContentType.objects.get_for_model(model)
        found += [(members[getattr(o, who)], ct, o) for o in qs[:200]]
    ct = ContentType.objects.get_for_model(Wish)
    found += [(w.claimer_member, ct, w) for w in Wish.objects.filter(claimer_member__isnull=False).select_related(
        "claimer_member").order_by("code")[:200]]
    return found


def _four_firsts(ctx, today) -> int:
    work = _work(ctx)
    picks = ctx.rng.sample(work, min(len(work), 24))
    made = 0
    for member, ct, obj in picks:
        kind = ctx.rng.choice(list(FOUR_FIRSTS))
        on = getattr(obj, "claimed_at", None) or getattr(obj, "created_at", None)
        day = min(timezone.localdate(on) if on else today, today)
        services.flag_four_first(member, actor=SYSTEM, kind=kind, occurred_on=day,
                                 description=ctx.rng.choice(FOUR_FIRSTS[kind]), work_type_id=ct.pk, work_id=obj.pk)
        made += 1
    # a few without a linked work (reported at a meeting)
    active = list(PartyMember.objects.filter(is_mobile=False).order_by("organization__code", "name", "joined_on")
                  .values_list("pk", flat=True))
    for m in ctx.rng.sample(active, min(len(active), 8)):
        kind = ctx.rng.choice(list(FOUR_FIRSTS))
        services.flag_four_first(m, actor=SYSTEM, kind=kind,
                                 occurred_on=today - timedelta(days=ctx.rng.randint(5, 300)),
                                 description=ctx.rng.choice(FOUR_FIRSTS[kind]))
        made += 1
    return made


def _appraisals(ctx, today) -> int:
    year = today.year - 1
    members = PartyMember.objects.filter(organization__region__kind=RegionKind.RESIDENTIAL_AREA).order_by(
        "organization__code", "name", "joined_on")
    rows = []
    for m in members:
        roll = ctx.rng.random()
        result = (AppraisalResult.EXCELLENT if roll < 0.15 else AppraisalResult.BASICALLY_QUALIFIED if roll > 0.93
                  else AppraisalResult.QUALIFIED)
        rows.append(Appraisal(member=m, year=year, result=result))
    services.bulk_add_records(appraisals=rows)
    return len(rows)


def _mobile(ctx, today) -> tuple[int, int]:
    members = list(PartyMember.objects.filter(is_mobile=True).order_by("organization__code", "name", "joined_on"))
    rows, contacts = [], []
    for m in members:
        left = today - timedelta(days=ctx.rng.randint(120, 1500))
        home = ctx.rng.choice(HOME_ORGS) if ctx.rng.random() < 0.3 else ""
        rows.append(MobileMember(member=m, home_org_name=home, whereabouts=ctx.rng.choice(PLACES), left_on=left))
    services.bulk_add_records(mobiles=rows)
    for row in MobileMember.objects.filter(member__in=members).select_related("member__organization").order_by(
            "member__organization__code", "member__name"):
        silent = ctx.rng.random() < 0.25  # a few with no contact for months
        last = today - timedelta(days=ctx.rng.randint(100, 240) if silent else ctx.rng.randint(3, 60))
        day = last
        for _n in range(ctx.rng.randint(1, 4)):
            if day < row.left_on:
                break
            contacts.append(MobileContact(mobile=row, contacted_on=day, note=ctx.rng.choice(NOTES),
                                          channel=ctx.rng.choice(ContactChannel.values)))
            day -= timedelta(days=ctx.rng.randint(30, 90))
    services.bulk_add_records(contacts=contacts)
    return len(rows), len(contacts)


def seed(ctx) -> None:
    today = timezone.localdate()
    ctx.extra["orglife_four_firsts"] = _four_firsts(ctx, today)
    ctx.extra["orglife_appraisals"] = _appraisals(ctx, today)
    ctx.extra["orglife_mobile_members"], ctx.extra["orglife_mobile_contacts"] = _mobile(ctx, today)
