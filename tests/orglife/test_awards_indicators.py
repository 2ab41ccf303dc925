"""The award indicators against hand-built data, one by one, and THE test of the issue: one more demand resolved
late moves the on-time indicator and so the entry's score, until the round is published."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from gongzhi.deliberation.models import GridTopic, MicroItem
from gongzhi.deliberation.workflows_grid import GridTopicState, MicroItemState
from gongzhi.demands import services as demand_services
from gongzhi.demands.models import Demand
from gongzhi.funds.models import ProposalTransition
from gongzhi.orglife.models import Indicator, JointCoverage, MeetingKind, Reviewer
from gongzhi.orglife.selectors import awards as sel
from gongzhi.orglife.selectors.meetings import meetings_rate
from gongzhi.orglife.services import awards as services
from gongzhi.orglife.workflow import RoundAction, RoundState
from gongzhi.registry.models import MemberUnitKind, PartyOrgKind
from gongzhi.volunteering.models import HoursEntry, Volunteer
from tests import factories
from tests.demands.conftest import MONDAY, submit
from tests.funds import factories_calls as funds
from tests.orglife import factories as f

YEAR = MONDAY.year
START, END = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)


def resolved(street, handler, *, late: bool = False, satisfaction: int | None = None, **kw) -> Demand:
    d = submit(street, **kw)
    d = demand_services.claim_demand(d, actor=handler, now=MONDAY)
    d = demand_services.start_demand(d, actor=handler, now=MONDAY)
    d.refresh_from_db()
    when = MONDAY + timedelta(days=60) if late else MONDAY
    d = demand_services.resolve_demand(d, actor=handler, resolution="已处理", now=when)
    if satisfaction is not None:
        Demand.objects.filter(pk=d.pk).update(satisfaction=satisfaction)
    return d


def test_demands_on_time_and_satisfaction_use_the_demands_definitions(street, people):
    resolved(street, people.colleague, satisfaction=5)
    resolved(street, people.colleague, satisfaction=4)
    resolved(street, people.colleague, late=True, satisfaction=2)
    v = sel.demands_on_time(street.org_a, START, END)
    assert (v.numerator, v.denominator, v.value) == (2, 3, Decimal("0.6667"))
    assert v.source_url.startswith(f"/orglife/awards/orgs/{street.org_a.pk}/source/?indicator=demands_on_time")
    s = sel.demands_satisfaction(street.org_a, START, END)
    assert (s.numerator, s.denominator) == (2, 3)
    # area B's organization answers for area B only; last year's period sees nothing
    assert sel.demands_on_time(street.org_b, START, END).denominator == 0
    assert sel.demands_on_time(street.org_a, dt.date(YEAR - 1, 1, 1), dt.date(YEAR - 1, 12, 31)).value is None


def test_grid_topics_and_micro_items_done(street, people):
    done = GridTopic.objects.create(year=YEAR, grid=street.grid_a1, title="加装电梯", state=GridTopicState.CLOSED)
    GridTopic.objects.create(year=YEAR, grid=street.grid_a2, title="停车难", state=GridTopicState.PUBLISHED)
    GridTopic.objects.create(year=YEAR, grid=street.grid_a2, title="草稿", state=GridTopicState.DRAFT)
    GridTopic.objects.create(year=YEAR, grid=street.grid_b1, title="B区", state=GridTopicState.CLOSED)
    v = sel.grid_topics_done(street.org_a, START, END)
    assert (v.value, v.numerator, v.denominator) == (Decimal(1), 1, 2)
    when = timezone.make_aware(dt.datetime(YEAR, 5, 1, 10))
    for i, state in enumerate((MicroItemState.DONE, MicroItemState.DONE, MicroItemState.CLAIMED)):
        MicroItem.objects.create(grid_topic=done, title=f"微事项{i}", due_on=dt.date(YEAR, 6, 1), state=state,
                                 claimed_by=people.colleague, done_at=when if state == MicroItemState.DONE else None)
    MicroItem.objects.create(grid_topic=done, title="去年的", due_on=dt.date(YEAR - 1, 6, 1),
                             state=MicroItemState.DONE, claimed_by=people.colleague,
                             done_at=when.replace(year=YEAR - 1))
    assert sel.micro_items_done(street.org_a, START, END).value == 2
    assert sel.micro_items_done(street.org_b, START, END).value == 0


def test_meetings_held_is_the_compliance_rule(street):
    f.meeting(street.org_a, MeetingKind.THEME_DAY, held_on=dt.date(YEAR, 1, 10))
    f.meeting(street.org_a, MeetingKind.COMMITTEE, held_on=dt.date(YEAR, 1, 12))
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 3, 31)
    met, required = meetings_rate(street.org_a, start, end)
    v = sel.meetings_held(street.org_a, start, end)
    assert (v.numerator, v.denominator) == (met, required) and met >= 2 and required > met
    assert v.value == (Decimal(met) / Decimal(required)).quantize(Decimal("0.0001"))


def test_autonomy_projects_completed_in_the_period(street):
    call = funds.call(funds.fund(street.area_a))
    p = funds.proposal(call, "completed")
    ProposalTransition.objects.create(proposal=p, action="complete", from_state="delivering", to_state="completed",
                                      created_at=timezone.make_aware(dt.datetime(YEAR, 9, 1, 10)))
    funds.proposal(call, "delivering")
    other = funds.proposal(funds.call(funds.fund(street.area_b)), "completed")
    ProposalTransition.objects.create(proposal=other, action="complete", from_state="delivering",
                                      to_state="completed", created_at=timezone.make_aware(dt.datetime(YEAR, 9, 1)))
    assert sel.autonomy_projects(street.org_a, START, END).value == 1
    assert sel.autonomy_projects(street.org_a, dt.date(YEAR - 1, 1, 1), dt.date(YEAR - 1, 12, 31)).value == 0


def test_volunteer_hours_per_member(street):
    branch = factories.party_org(street.area_a, PartyOrgKind.BRANCH, street.org_a, name="梧桐第一支部")
    second = factories.party_member(branch, name="王支部")
    factories.party_member(street.org_a, name="无时长")
    vol = Volunteer.objects.create(region=street.area_a, name="张梧桐", party_member=street.member_a)
    vol2 = Volunteer.objects.create(region=street.area_a, name="王支部", party_member=second)
    HoursEntry.objects.create(volunteer=vol, hours=Decimal("4"), served_on=dt.date(YEAR, 3, 1))
    HoursEntry.objects.create(volunteer=vol2, hours=Decimal("5"), served_on=dt.date(YEAR, 4, 1))
    HoursEntry.objects.create(volunteer=vol, hours=Decimal("7"), served_on=dt.date(YEAR - 1, 4, 1))
    v = sel.volunteer_hours(street.org_a, START, END)
    assert (v.numerator, v.denominator, v.value) == (Decimal("9.00"), 3, Decimal("3.00"))
    assert sel.volunteer_hours(branch, START, END).value == Decimal("5.00")


def test_coverage_is_the_organized_share_at_the_period_end(street):
    big = factories.member_unit(street.grid_a1, name="大企业", kind=MemberUnitKind.ENTERPRISE, headcount=80,
                                is_two_new=True)
    factories.member_unit(street.grid_a2, name="社会组织", kind=MemberUnitKind.SOCIAL_ORGANIZATION, headcount=40,
                          is_two_new=True)
    factories.member_unit(street.grid_a2, name="小企业", kind=MemberUnitKind.ENTERPRISE, headcount=10,
                          is_two_new=True)
    joint = factories.party_org(street.area_a, PartyOrgKind.JOINT_COMMITTEE, name="联合党委")
    JointCoverage.objects.create(unit=big, joint_org=joint, since=dt.date(YEAR, 6, 1))
    v = sel.coverage(street.org_a, START, END)
    assert (v.numerator, v.denominator, v.value) == (1, 2, Decimal("0.5000"))
    assert sel.coverage(street.org_a, START, dt.date(YEAR, 5, 1)).numerator == 0


def test_points_are_weight_times_value_over_target_capped():
    c = type("C", (), {"weight": 60, "target": Decimal("0.95")})()
    assert sel.indicator_points(c, Decimal("0.5")) == Decimal("31.58")
    assert sel.indicator_points(c, Decimal("1")) == Decimal("60.00")
    assert sel.indicator_points(c, None) == Decimal("0.00")
    c.target = None
    assert sel.indicator_points(c, Decimal("0.25")) == Decimal("15.00")


def test_one_more_late_demand_moves_the_indicator_and_the_score_until_published(street, people):
    """THE test of the issue."""
    for _i in range(3):
        resolved(street, people.colleague)
    r = f.award_round(street, RoundState.REVIEWING, year=YEAR, orgs=(street.org_a,))
    entry = r.entries.get()
    on_time = r.criteria.get(indicator=Indicator.DEMANDS_ON_TIME)
    self_c = r.criteria.exclude(pk=on_time.pk).get()
    Reviewer.objects.create(round=r, user=people.admin)
    services.score(entry, self_c, actor=people.admin, points="36")
    before = sel.breakdown(entry)
    row = next(x for x in before.rows if x.criterion_id == on_time.pk)
    assert (row.numerator, row.denominator, row.points) == ("3", "3", "60.00")
    assert before.total == "96.00" and before.tier == "金奖标兵"

    resolved(street, people.colleague, late=True)
    entry.refresh_from_db()
    after = sel.breakdown(entry)
    row = next(x for x in after.rows if x.criterion_id == on_time.pk)
    assert (row.numerator, row.denominator, row.value) == ("3", "4", "0.7500")
    assert row.points == "47.37"  # 60 × 0.75 / 0.95
    assert after.total == "83.37" and after.tier == "金奖"

    services.step_round(r, RoundAction.PUBLISH, actor=people.admin)
    entry.refresh_from_db()
    assert entry.score == Decimal("83.37") and entry.tier == "金奖" and entry.frozen["total"] == "83.37"
    resolved(street, people.colleague, late=True)
    entry.refresh_from_db()
    frozen = sel.breakdown(entry)
    assert frozen.frozen and frozen.total == "83.37"
    assert sel.demands_on_time(street.org_a, r.period_start, r.period_end).denominator == 5  # the data moved on
