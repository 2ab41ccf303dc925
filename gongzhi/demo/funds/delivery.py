"""Demo data of the funds delivery part, written through the delivery services (and the deliberation services for
the closing review), with the area's secretary as the actor where there is one.

The calls part leaves the granted proposals in ``ctx.extra["funds"]["granted"]`` (nothing to do without them).
Last year's projects are carried to the end: their milestones done, two to five spending records each with a
receipt number (no scans: paper receipts filed at the station), progress 100 %, a closing review meeting per
area (事后评议 of the year's autonomy projects) and completion, the unspent rest returned to the fund. This
year's granted projects are part-way: a milestone done, one past due, spending begun, progress reported. The
ledger stays the sum of its rows, so it balances to the fen by construction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.funds.models import FEN, EntryKind, LedgerEntry, Proposal
from gongzhi.funds.services import delivery as services
from gongzhi.funds.workflow import ProposalState
from gongzhi.registry.models import RegionKind

PAYEES = ("社区五金店", "绿意园艺服务部", "便民家具厂", "健康器械商行", "文印服务部", "装修施工队", "办公用品超市")
MILESTONES = ("采购材料", "安装施工", "居民验收")


def seed(ctx) -> None:
    granted = (ctx.extra.get("funds") or {}).get("granted") or []
    if not granted:
        return
    today = timezone.localdate()
    proposals = list(Proposal.objects.filter(pk__in=[getattr(p, "pk", p) for p in granted],
                                             state=ProposalState.GRANTED).select_related("call__fund__region")
                     .prefetch_related("budget_lines").order_by("pk"))
    grants = dict(LedgerEntry.objects.filter(proposal__in=proposals, kind=EntryKind.GRANT)
                  .values_list("proposal_id", "occurred_on"))
    secretaries = {a.pk: ctx.users.get(f"secretary{i}") for i, a in enumerate(ctx.areas, start=1)}
    counter = iter(range(1, 100000))
    by_area: dict[int, list] = {}
    for p in proposals:
        region = p.call.fund.region
        actor = secretaries.get(region.pk) if region.kind == RegionKind.RESIDENTIAL_AREA else None
        p.demo_actor = actor or SYSTEM
        year = p.call.fund.year or p.created_at.year
        start = max(d for d in (p.starts_on, grants.get(p.pk), date(year, 1, 1)) if d)
        end = min(d for d in (p.ends_on, today - timedelta(days=1)) if d)
        if year < today.year:
            if start <= end and _finish(ctx, p, start, end, counter):
                by_area.setdefault(region.pk, []).append(p)
        else:
            _part_way(ctx, p, start, today, counter)
    for area_pk, done in by_area.items():
        _close(ctx, done, secretaries.get(area_pk))


def _days_between(rng, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _spend(ctx, p, start: date, end: date, counter, n: int, share: tuple[float, float]) -> None:
    """`n` spending records over the approved lines, each line spent to a share of what was approved."""
    rng = ctx.rng
    lines = [b for b in p.budget_lines.all() if b.approved]
    if not lines:
        return
    per_line: dict[int, list] = {b.pk: [] for b in lines}
    for i in range(n):
        per_line[lines[i % len(lines)].pk].append(i)
    days = sorted(_days_between(rng, start, end) for _ in range(n))
    for line in lines:
        parts = per_line[line.pk]
        if not parts:
            continue
        target = (line.approved * Decimal(str(rng.uniform(*share)))).quantize(FEN, rounding=ROUND_DOWN)
        each = (target / len(parts)).quantize(FEN, rounding=ROUND_DOWN)
        for k, i in enumerate(parts):
            amount = each if k < len(parts) - 1 else target - each * (len(parts) - 1)
            if amount <= 0:
                continue
            services.record_spending(p, actor=p.demo_actor, budget_line=line, amount=amount, spent_on=days[i],
                                     payee=rng.choice(PAYEES), receipt_no=f"NO{days[i]:%Y}{next(counter):05d}")


def _milestones(p, start: date, end: date) -> list:
    span = max(1, (end - start).days)
    made = []
    for i, title in enumerate(MILESTONES, start=1):
        due = start + timedelta(days=span * i // len(MILESTONES))
        made.append(services.add_milestone(p, actor=p.demo_actor, title=title, due_on=due))
    return made


def _finish(ctx, p, start: date, end: date, counter) -> bool:
    """Last year's project carried to the closing review: milestones done, spending, 100 %."""
    for m in _milestones(p, start, end):
        services.mark_milestone_done(m, actor=p.demo_actor, done_on=min(m.due_on, end))
    _spend(ctx, p, start, end, counter, ctx.rng.randint(2, 5), (0.85, 1.0))
    reached = max(1, int(p.beneficiary_count * ctx.rng.uniform(0.9, 1.2)))
    services.set_progress(p, actor=p.demo_actor, percent=100, beneficiaries_reached=reached)
    p.demo_end = end
    return True


def _part_way(ctx, p, start: date, today: date, counter) -> None:
    """This year's project under way: the first milestone done, the second past due for some, spending begun."""
    end = p.ends_on or today + timedelta(days=120)
    if start > today:
        return
    milestones = _milestones(p, start, end)
    first = milestones[0]
    if first.due_on <= today:
        services.mark_milestone_done(first, actor=p.demo_actor, done_on=first.due_on)
    spent_until = min(today - timedelta(days=1), end)
    if spent_until >= start and ctx.rng.random() < 0.8:
        _spend(ctx, p, start, spent_until, counter, ctx.rng.randint(1, 3), (0.2, 0.6))
    services.set_progress(p, actor=p.demo_actor, percent=ctx.rng.choice((20, 30, 40, 50, 60)),
                          beneficiaries_reached=int(p.beneficiary_count * ctx.rng.uniform(0.1, 0.5)))


def _close(ctx, done: list, staff) -> None:
    """One closing review meeting per area for last year's projects, then each project completed."""
    from gongzhi.deliberation.models import MeetingKind, TopicSource
    from gongzhi.deliberation.selectors.topics import invitable
    from gongzhi.deliberation.services import topics as deliberation
    from gongzhi.deliberation.workflow import MeetingAction, TopicAction

    area = done[0].call.fund.region
    now = timezone.now()
    review_at = min(now - timedelta(days=2), _at(max(p.demo_end for p in done) + timedelta(days=5)))
    actor = staff or SYSTEM
    topic = deliberation.create_topic(
        actor=actor, title=f"{review_at.year}年自治金项目评议", area=area, source=TopicSource.COUNCIL,
        description="对本年度自治金项目的实施情况和资金使用进行事后评议。", now=review_at - timedelta(days=70))
    deliberation.transition_topic(topic, TopicAction.ACCEPT, actor=actor, now=review_at - timedelta(days=69))
    allowed = invitable(topic)
    place = next((s for s in ctx.service_places if s.region_id == area.pk), None) or allowed["places"].first()
    convener = staff or allowed["people"].first()
    if place is None or convener is None:
        return

    def meeting(kind, days_before: int, title: str):
        at = review_at - timedelta(days=days_before)
        m = deliberation.schedule_meeting(topic, actor=actor, kind=kind, title=title, starts_at=at, quorum=1,
                                          place=place, convener=convener, now=at - timedelta(days=7))
        deliberation.check_in(m, actor=actor, name=ctx.names.name(), phone=ctx.names.mobile(), now=at)
        deliberation.transition_meeting(m, MeetingAction.HOLD, actor=actor, now=at)
        return m

    meeting(MeetingKind.HEARING, 60, "自治金项目听证会")
    deliberation.transition_topic(topic, TopicAction.HEAR, actor=actor, now=review_at - timedelta(days=59))
    deliberation.transition_topic(topic, TopicAction.COORDINATE, actor=actor, now=review_at - timedelta(days=58))
    meeting(MeetingKind.COORDINATION, 40, "自治金项目推进协调会")
    deliberation.transition_topic(topic, TopicAction.DECIDE, actor=actor, now=review_at - timedelta(days=39),
                                  decision="按计划推进各自治项目，年底前完成事后评议。")
    deliberation.transition_topic(topic, TopicAction.IMPLEMENT, actor=actor, now=review_at - timedelta(days=38))
    review = meeting(MeetingKind.REVIEW, 0, f"{review_at.year}年自治金项目评议会")
    for p in done:
        services.complete_proposal(p, actor=p.demo_actor, closing_meeting=review, now=review_at + timedelta(hours=3),
                                   result=f"项目按计划完成，惠及{p.beneficiary_count}余人，居民评议满意。")


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=14))
