"""The demo's organization life against the seeded work (the package's street, tests/demo/conftest.py): two years of
meetings with gaps, a two-new coverage figure that is measured rather than decreed, a published 金银奖 round whose
frozen scores are those the live indicators give from the seeded demands, meetings and hours, and a 五星奖 round
under review."""

from collections import Counter
from decimal import Decimal

from django.utils import timezone

from gongzhi.orglife.models import AwardEntry, AwardRound, Indicator, Meeting, SchemeKind
from gongzhi.orglife.selectors.awards import indicator_value, live_breakdown
from gongzhi.orglife.selectors.coverage import coverage_of
from gongzhi.orglife.selectors.meetings import MEASURED_ORG_KINDS, meetings_rate
from gongzhi.orglife.workflow import RoundState
from gongzhi.registry.models import PartyOrg, Region, RegionKind


def test_two_years_of_meetings_with_gaps(demo):
    today = timezone.localdate()
    orgs = list(PartyOrg.objects.filter(kind__in=MEASURED_ORG_KINDS))
    assert len(orgs) >= 100
    years = set(Meeting.objects.values_list("held_on__year", flat=True))
    assert years == {today.year - 1, today.year}
    rates = [meetings_rate(o, today.replace(year=today.year - 1, month=1, day=1),
                           today.replace(year=today.year - 1, month=12, day=31), today=today) for o in orgs]
    shares = [met / required for met, required in rates if required]
    assert len(shares) >= 100
    assert sum(s == 1 for s in shares) < len(shares)  # realistic gaps: not every organization kept every rule
    assert sum(shares) / len(shares) > 0.6  # but most rules are kept


def test_two_new_coverage_is_measured_not_decreed(demo):
    cov = coverage_of(Region.objects.get(kind=RegionKind.SUBDISTRICT, code="WT"))
    assert cov.counted >= 20
    assert 0 < cov.organized < cov.counted and 0 < cov.instructed < cov.counted


def test_the_published_gold_round_scores_the_seeded_work(demo):
    gold = AwardRound.objects.get(scheme__kind=SchemeKind.GOLD_SILVER)
    assert gold.state == RoundState.PUBLISHED
    entries = list(AwardEntry.objects.filter(round=gold).select_related("org", "round"))
    assert len(entries) == 11
    tiers = Counter(e.tier for e in entries)
    assert sum(n for t, n in tiers.items() if t) >= 1 and len({e.score for e in entries}) > 1
    on_time = [indicator_value(Indicator.DEMANDS_ON_TIME, e.org, gold.period_start, gold.period_end) for e in entries]
    assert any(v.value for v in on_time) and all(v.denominator for v in on_time)  # from the seeded demands
    for entry in entries:  # the frozen scores are what the data gave when published (nothing changed since)
        assert Decimal(live_breakdown(entry).total) == entry.score
        rows = {r["criterion_id"]: r for r in entry.frozen["rows"]}
        assert all(r["source_url"] for r in rows.values() if r["source"] == "indicator")


def test_the_five_star_round_is_under_review_with_live_scores(demo):
    five = AwardRound.objects.get(scheme__kind=SchemeKind.FIVE_STAR)
    assert five.state == RoundState.REVIEWING
    entries = list(AwardEntry.objects.filter(round=five).select_related("org", "round"))
    assert len(entries) >= 5 and all(e.org.member_unit and e.org.member_unit.is_two_new for e in entries)
    totals = [Decimal(live_breakdown(e).total) for e in entries]
    assert max(totals) > 0 and len(set(totals)) > 1
