"""Demo organization life: the meetings part. Two years of 三会一课 (the previous year and the current year to
date) for every measured party organization (MEASURED_ORG_KINDS), with realistic gaps: most organizations keep
most requirements, some miss some months, and the small branches of two-new organizations are weaker. Meetings
have the attendance of their organization's members (some on leave with a reason, a few absent); lessons have a
speaker, some of them micro or walking lessons given by the secretaries of the office towers' joint committees
(楼宇党建); some members have study records (四史 and others). Written through the meetings services' seeder
(bulk). `ctx.extra["orglife_meetings"]` tells the awards part which organizations were made weak and the span."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.orglife.models import (
    DEFAULT_FREQUENCY,
    Attendance,
    AttendanceStatus,
    Frequency,
    LessonForm,
    Meeting,
    MeetingKind,
    StudyRecord,
)
from gongzhi.orglife.selectors.meetings import MEASURED_ORG_KINDS, period_of
from gongzhi.orglife.services import meetings as services
from gongzhi.registry.models import PartyOrgKind

K = MeetingKind
TOPICS = {
    K.GENERAL_ASSEMBLY: ("传达学习上级会议精神", "讨论发展党员事项", "通报支部工作情况", "选举支部委员会", "讨论年度工作计划"),
    K.COMMITTEE: ("研究本月支部工作", "研究党员发展和教育管理", "研究居民区重点工作", "研究党费收缴和使用",
                  "研究主题党日安排"),
    K.GROUP: ("学习党章党规", "交流学习体会", "讨论楼组自治事项", "学习时事政策"),
    K.LESSON: ("学习贯彻党的二十大精神", "四史学习教育", "党章专题党课", "红色上海的初心故事", "基层治理中的党员作用",
               "从“一大”会址出发"),
    K.THEME_DAY: ("重温入党誓词", "党员志愿服务进楼组", "参观中共一大纪念馆", "垃圾分类宣传值守", "为老服务走访慰问",
                  "社区环境整治", "“我为群众办实事”实践活动", "防汛防台安全巡查"),
    K.LIFE_MEETING: ("年度组织生活会", "专题组织生活会"),
    K.APPRAISAL: ("年度民主评议党员",),
    K.TALK: ("支部书记与党员谈心谈话", "与新党员谈心谈话"),
}
PLACES = ("党群服务站", "居民区活动室", "会议室", "楼宇党群服务站", "红色阵地")
LEAVE_REASONS = ("生病住院", "外出旅游", "照顾家人", "单位加班", "出差", "身体不适", "在外地探亲")
STUDY = (("四史", ("党史学习：中国共产党简史", "新中国史专题学习", "改革开放史专题学习", "社会主义发展史学习")),
         ("党章", ("学习新党章",)), ("二十大精神", ("二十大报告原文学习",)), ("党纪", ("党纪学习教育",)))
WALK_PLACES = ("中共一大纪念馆", "中共二大会址", "龙华烈士陵园", "宋庆龄故居")


def _diligence(ctx, org, size: int) -> float:
    """The chance an organization holds a required meeting in a period."""
    rng = ctx.rng
    unit = org.member_unit
    if unit is not None and unit.is_two_new and size <= 3:
        return rng.uniform(0.45, 0.7)  # small two-new branches: weaker
    roll = rng.random()
    if roll < 0.65:
        return rng.uniform(0.93, 1.0)
    if roll < 0.9:
        return rng.uniform(0.8, 0.93)
    return rng.uniform(0.6, 0.8)


def _periods(frequency: str, start: dt.date, today: dt.date):
    day = start
    while day <= today:
        p_start, p_end = period_of(frequency, day)
        yield p_start, p_end
        day = p_end + timedelta(days=1)


def _day_in(rng, start: dt.date, end: dt.date) -> dt.date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def seed(ctx) -> None:
    rng = ctx.rng
    today = timezone.localdate()
    start = dt.date(today.year - 1, 1, 1)
    orgs = sorted((o for o in ctx.orgs.values() if o.kind in MEASURED_ORG_KINDS), key=lambda o: o.code)
    if not orgs:
        return
    by_org: dict[int, list] = {}
    for m in ctx.members:
        by_org.setdefault(m.organization_id, []).append(m)
    building_secretaries = [o.secretary for o in orgs if o.kind == PartyOrgKind.JOINT_COMMITTEE and o.secretary_id]
    rows, weak, kept = [], [], {}
    for org in orgs:
        members = by_org.get(org.pk, [])
        p = _diligence(ctx, org, len(members))
        if p < 0.8:
            weak.append(org.code)
        committee = members[:5]
        for kind, frequency in DEFAULT_FREQUENCY.items():
            if frequency == Frequency.NONE:
                periods = [(dt.date(y, m, 1), period_of(Frequency.MONTHLY, dt.date(y, m, 1))[1])
                           for y in (today.year - 1, today.year) for m in range(1, 13)
                           if dt.date(y, m, 1) <= today and rng.random() < 0.15]
            else:
                periods = list(_periods(frequency, start, today))
            for p_start, p_end in periods:
                last = min(p_end, today)
                running = p_end >= today
                chance = p if not running else p * ((today - p_start).days + 1) / ((p_end - p_start).days + 1)
                if rng.random() >= chance:
                    continue
                held = _day_in(rng, p_start, last)
                if kind == K.APPRAISAL:
                    held = _day_in(rng, p_start, min(dt.date(p_start.year, 3, 31), last))
                meeting = Meeting(org=org, kind=kind, held_on=held, topic=rng.choice(TOPICS[kind]),
                                  place=org.name[:10] + rng.choice(PLACES), minutes="会议按议程进行，形成记录。",
                                  created_at=timezone.make_aware(dt.datetime.combine(held, dt.time(18, 0))))
                if kind == K.LESSON:
                    roll = rng.random()
                    if building_secretaries and roll < 0.2:
                        speaker = rng.choice(building_secretaries)
                        meeting.lesson_form = rng.choice((LessonForm.MICRO, LessonForm.WALKING))
                        meeting.speaker, meeting.speaker_member = speaker.name, speaker
                        if meeting.lesson_form == LessonForm.WALKING:
                            meeting.place = rng.choice(WALK_PLACES)
                    else:
                        head = org.secretary or (members[0] if members else None)
                        meeting.lesson_form = LessonForm.MICRO if roll < 0.35 else LessonForm.STANDARD
                        meeting.speaker = head.name if head else "支部书记"
                        meeting.speaker_member = head
                attendees = committee if kind == K.COMMITTEE else (
                    rng.sample(members, min(len(members), rng.randint(4, 8))) if kind in (K.GROUP, K.TALK) else members)
                if kind == K.TALK:
                    attendees = attendees[:2]
                lines = []
                for m in attendees:
                    roll = rng.random()
                    if roll < 0.08:
                        lines.append(Attendance(member=m, status=AttendanceStatus.LEAVE,
                                                leave_reason=rng.choice(LEAVE_REASONS)))
                    elif roll < 0.11:
                        lines.append(Attendance(member=m, status=AttendanceStatus.ABSENT))
                    else:
                        lines.append(Attendance(member=m, status=AttendanceStatus.PRESENT))
                rows.append((meeting, lines))
                kept[org.code] = kept.get(org.code, 0) + 1
    studies = []
    for m in ctx.members:
        if rng.random() >= 0.3:
            continue
        for _ in range(rng.randint(1, 3)):
            subject, titles = rng.choice(STUDY)
            studies.append(StudyRecord(member=m, subject=subject, title=rng.choice(titles),
                                       studied_on=_day_in(rng, start, today), hours=rng.choice((1, 2, 2, 3, 4))))
    services.seed_meetings(rows, studies, actor=SYSTEM)
    ctx.extra["orglife_meetings"] = {
        "start": start, "end": today, "orgs": [o.code for o in orgs], "weak": weak,
        "meetings": len(rows), "attendance": sum(len(lines) for _m, lines in rows), "studies": len(studies),
        "building_secretaries": [s.pk for s in building_secretaries],
    }
