"""Demo of the sessions part: two years of quarterly sessions of the sub-district's joint meeting (the platforms
part's ``ctx.extra["joint_platform"]``, or the sub-district's own opened here), each with its agenda, the member
units' and residential areas' sign-ins, minutes and decisions owned by units (most done, the recent ones open);
three district departments (区级职能部门) with a demo account at the first (``department1``); and the
sub-district leader's referrals of open sub-district-level enterprise demands, each joining the next session's
agenda, where most are handed to a district department by a decision. The next session is planned in two weeks.

Everything goes through the services, dated by their ``now``, in the order it would have happened."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands.models import Channel, Demand, EscalationLevel
from gongzhi.demands.workflow import OPEN_STATES
from gongzhi.demo.accounts import create_demo_user
from gongzhi.demo.demands import anchor, aware
from gongzhi.joint.models import AgendaKind
from gongzhi.joint.services import sessions as services
from gongzhi.registry.models import MemberUnit, MemberUnitKind, RegionKind
from gongzhi.registry.services import import_records

DEPARTMENTS = (("SFQ-LHSR", "示范区绿化和市容管理局"), ("SFQ-JTW", "示范区交通委员会"),
               ("SFQ-JSW", "示范区建设和管理委员会"))
QUARTERS = 8  # two years of quarterly sessions
MAX_REFERRALS = 16
MIN_REFERRALS = 10
KEEP_WAITING = 3  # overdue demands left with the sub-district's leaders
FREE_ITEMS = (
    ("老旧小区加装电梯推进情况", "通报加装电梯签约和施工进度，协调管线迁移。"),
    ("背街小巷环境整治", "商议沿街商铺门责制落实和垃圾分类督导。"),
    ("辖区停车资源共享", "共建单位错时开放停车位，方便居民夜间停车。"),
    ("为老服务项目对接", "社区医院、养老机构与居民区对接助餐、助医服务。"),
    ("防汛防台准备", "检查地下空间、低洼小区排水设施，落实应急物资。"),
    ("楼宇党建与白领服务", "楼宇党群服务站开展午间课堂、青年联谊活动。"),
    ("文明创建迎检", "梳理创建测评问题清单，明确责任单位。"),
    ("共建资源清单更新", "各成员单位更新年度可开放资源和服务项目。"),
)
DECISIONS = (
    "牵头制定工作方案，明确时间节点并报联席会议办公室",
    "会同相关单位开展联合检查，形成问题清单并逐项整改",
    "开放单位停车位、会议室等资源供居民错时使用",
    "组织党员志愿者参与，每月通报一次进展",
    "落实专项经费，完成相关设施改造",
)
OUTCOMES = ("已按期完成，整改问题全部销项。", "方案已印发，相关单位按节点推进完毕。", "资源已开放，居民反映良好。",
            "已组织联合检查三次，问题均已整改。")


def _at(day, hour=14, minute=30):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _departments(ctx) -> list:
    found = {u.code: u for u in MemberUnit.objects.filter(code__in=[c for c, _n in DEPARTMENTS])}
    new = [MemberUnit(code=code, name=name, kind=MemberUnitKind.GOVERNMENT_DEPARTMENT, region=ctx.district,
                      address="示范区人民大道100号", headcount=ctx.rng.randint(60, 300), has_party_org=True,
                      in_joint_meeting=True, contact_name=ctx.names.name(), contact_phone=ctx.names.mobile())
           for code, name in DEPARTMENTS if code not in found]
    made = {u.code: u for u in import_records(new, actor=SYSTEM, reason="演示数据")} if new else {}
    return [found.get(code) or made[code] for code, _n in DEPARTMENTS]


def _referable(limit: int) -> list:
    # the newest overdue demands that stopped at the sub-district stay there: the demo shows them waiting on its
    # leaders (the timer marks them and goes no higher)
    waiting = list(Demand.objects.filter(state__in=OPEN_STATES, escalation_level=EscalationLevel.SUBDISTRICT,
                                         overdue_since__isnull=False).order_by("-created_at", "-pk")
                   .values_list("pk", flat=True)[:KEEP_WAITING])
    candidates = Demand.objects.filter(escalation_level=EscalationLevel.SUBDISTRICT, state__in=OPEN_STATES).exclude(
        pk__in=waiting)
    rows = list(candidates.filter(channel=Channel.ENTERPRISE).order_by("created_at", "pk")[:limit])
    if len(rows) < MIN_REFERRALS:  # few firms' demands stalled: the leader refers residents' too
        rows += list(candidates.exclude(channel=Channel.ENTERPRISE).order_by("created_at", "pk")[
            :MIN_REFERRALS - len(rows)])
    return rows


def seed(ctx) -> None:
    rng = ctx.rng
    platform = ctx.extra.get("joint_platform") or services.default_platform(ctx.subdistrict, actor=SYSTEM)
    departments = _departments(ctx)
    if "department1" not in ctx.users:
        create_demo_user(ctx, "department1", ctx.names.name(), Role.DISTRICT_DEPARTMENT, unit=departments[0])
    leader = ctx.users.get("street") or SYSTEM
    units = [u for u in ctx.units if u.in_joint_meeting] or list(ctx.units)
    owners = [u for u in ctx.units if u.kind in (MemberUnitKind.GOVERNMENT_DEPARTMENT, MemberUnitKind.HOSPITAL,
                                                MemberUnitKind.PUBLIC_INSTITUTION)] or list(ctx.units)
    areas = [a for a in ctx.areas if a.kind == RegionKind.RESIDENTIAL_AREA]
    now = aware(anchor()[1])  # the start of today, like the demands' history: two seeds on one day are identical
    today = timezone.localdate()

    # the sessions, planned first (quarterly, the last one a few weeks ago), and the next one in two weeks
    first = today - timedelta(days=91 * QUARTERS - 21)
    sessions = []
    for k in range(QUARTERS):
        day = first + timedelta(days=91 * k + rng.randint(-5, 5))
        year, quarter = day.year, (day.month - 1) // 3 + 1
        sessions.append(services.plan_session(
            platform, actor=leader, title=f"{year}年第{quarter}季度区域化党建联席会议", starts_at=_at(day),
            place="梧桐街道党群服务中心三楼会议室", now=_at(day - timedelta(days=14), 9)))

    # the leader's referrals, each once the demand's own history is done; they join the next planned session
    referrals = []
    for demand in _referable(MAX_REFERRALS):
        last = demand.transitions.order_by("-created_at").values_list("created_at", flat=True).first() or demand.created_at
        when = min(last + timedelta(hours=rng.randint(2, 48)), now)
        when = max(when, last + timedelta(minutes=5))
        referrals.append((when, demand))
    events = sorted([(_at(s.starts_at.date()), 1, s) for s in sessions] + [(t, 0, d) for t, d in referrals],
                    key=lambda e: (e[0], e[1]))
    for when, kind, subject in events:
        if kind == 0:
            services.refer_to_platform(subject, actor=leader, platform_id=platform.pk, now=when,
                                       note=rng.choice(("涉及区级多个职能部门，街道层面难以协调解决",
                                                        "企业反映问题跨街区，需提请联席会议统筹",
                                                        "需区级部门配合执法，提交联席会议研究")))
        else:
            _hold(ctx, subject, when, units, owners, areas, departments, leader)

    services.date_demands_from_timeline([d.pk for _t, d in referrals])

    upcoming = services.plan_session(platform, actor=leader, title="下一次区域化党建联席会议",
                                     starts_at=_at(today + timedelta(days=14)), place="梧桐街道党群服务中心三楼会议室")
    for kind, candidates in ((AgendaKind.NEED, services.agenda_needs(platform)),
                             (AgendaKind.PROJECT, services.agenda_projects(platform))):
        subject = candidates.order_by("pk").first()
        if subject is not None:
            services.add_agenda_item(upcoming, actor=SYSTEM, kind=kind, **{kind: subject.pk})
    ctx.extra["joint_next_session"] = upcoming
    _inbox(ctx, departments[0])


def _inbox(ctx, department) -> None:
    """The department's demo account finds the demands handed to its unit in its inbox (unread)."""
    from gongzhi.demands.services import import_notifications

    user = ctx.users["department1"]
    handed = list(Demand.objects.filter(handling_unit=department).order_by("-pk")[:3])
    rows = [(user, d, f"联席会议决议交办诉求 {d.tracking_code}「{d.title}」，请及时办理。") for d in handed]
    import_notifications(rows or [(user, None, "欢迎：联席会议交办本单位的诉求和决议列在“本单位的决议”中。")],
                         actor=SYSTEM)


def _hold(ctx, session, when, units, owners, areas, departments, leader) -> None:
    rng = ctx.rng
    today = timezone.localdate()
    for title, note in rng.sample(FREE_ITEMS, 2):
        services.add_agenda_item(session, actor=SYSTEM, kind=AgendaKind.FREE, title=title, note=note)
    for unit in rng.sample(units, min(len(units), rng.randint(8, 14))):
        services.sign_in(session, actor=SYSTEM, member_unit=unit.pk, person_name=ctx.names.name(),
                         now=when - timedelta(minutes=rng.randint(1, 25)))
    for area in rng.sample(areas, min(len(areas), rng.randint(5, max(5, len(areas))))):
        services.sign_in(session, actor=SYSTEM, area=area.pk, now=when - timedelta(minutes=rng.randint(1, 25)))
    services.hold_session(session, actor=leader, now=when)
    items = list(session.agenda_items.all())
    for item in items:
        if item.kind == AgendaKind.DEMAND:
            if rng.random() < 0.8:  # handed to a district department; the rest stays with the sub-district for now
                department = rng.choice(departments)
                services.record_decision(session, actor=leader, text=f"交{department.name}牵头办理，街道配合，限期答复企业",
                                         owner_unit=department.pk, agenda_item=item.pk, now=when,
                                         deadline=(when + timedelta(days=rng.randint(20, 45))).date())
            continue
        for _n in range(rng.randint(1, 2)):
            deadline = (when + timedelta(days=rng.randint(20, 90))).date()
            decision = services.record_decision(
                session, actor=leader, text=f"{item.title}：{rng.choice(DECISIONS)}", agenda_item=item.pk, now=when,
                owner_unit=rng.choice(owners + departments).pk, deadline=deadline)
            _follow(ctx, decision, when, deadline, today)
    minutes = "；".join(f"{i + 1}. {item.title}" for i, item in enumerate(items))
    services.publish_minutes(session, actor=leader, now=when + timedelta(days=2),
                             minutes=f"会议听取并研究了以下事项：{minutes}。会议形成决议{session.decisions.count()}项，"
                                     "明确责任单位和完成时限，由联席会议办公室跟踪督办。")


def _follow(ctx, decision, when, deadline, today) -> None:
    """Most decisions whose deadline is well past are done (a few cancelled); recent ones are open or under way."""
    rng = ctx.rng
    started = when + timedelta(days=rng.randint(2, 10))
    if deadline > today - timedelta(days=7):
        if rng.random() < 0.5 and started < aware(anchor()[1]):
            services.start_decision(decision, actor=SYSTEM, now=started)
        return
    roll = rng.random()
    if roll < 0.06:
        services.cancel_decision(decision, actor=SYSTEM, reason="情况变化，经联席会议同意撤销",
                                 now=started)
        return
    services.start_decision(decision, actor=SYSTEM, now=started)
    if roll < 0.9:
        done = min(_at(deadline, 17, 0) - timedelta(days=rng.randint(0, 10)), aware(anchor()[1]))
        services.complete_decision(decision, actor=SYSTEM, outcome=rng.choice(OUTCOMES), now=max(done, started))
