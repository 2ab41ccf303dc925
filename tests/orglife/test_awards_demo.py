"""The demo's awards: the 金银奖 第七轮 for the sub-district's 11 residential-area organizations, published (the
honour roll shows its winners by tier), and the 五星奖 第四轮 for the two-new organizations, left in review; criteria
weighted to 100 mixing indicators and self-assessment, evidence and reviewers' scores for most entries, no reviewer
scoring their own organization, and the frozen breakdowns agreeing with the scores. One module-scoped seed of the
registry and the orglife parts, rolled back at the end."""

import time
from importlib import import_module

import pytest
from django.urls import reverse

from gongzhi.orglife.apps import PARTS
from gongzhi.orglife.models import AwardEntry, CriterionSource, Evidence, ReviewScore, SchemeKind
from gongzhi.orglife.policies import awards as policies
from gongzhi.orglife.selectors import awards as sel
from gongzhi.orglife.workflow import RoundState
from tests.dbutil import kept, registry_then


def _orglife(ctx):
    for part in PARTS[:-1]:
        import_module(f"gongzhi.demo.orglife.{part}").seed(ctx)
    started = time.perf_counter()
    import_module("gongzhi.demo.orglife.awards").seed(ctx)
    ctx.timings["orglife.awards"] = time.perf_counter() - started


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    yield from kept(django_db_blocker, lambda: registry_then(_orglife, "orglife"))


@pytest.mark.django_db
def test_two_rounds_one_published_one_in_review_within_the_time(seeded):
    made = seeded.extra["orglife_awards"]
    gold, five = made["gold_round"], made["five_star_round"]
    gold.refresh_from_db()
    five.refresh_from_db()
    assert (gold.scheme.kind, gold.number, gold.state) == (SchemeKind.GOLD_SILVER, 7, RoundState.PUBLISHED)
    assert (five.scheme.kind, five.number, five.state) == (SchemeKind.FIVE_STAR, 4, RoundState.REVIEWING)
    assert gold.entries.count() == 11 == made["eligible_gold"]
    assert five.entries.count() >= 5 and all(e.org.member_unit.is_two_new for e in five.entries.all())
    for r in (gold, five):
        assert sum(c.weight for c in r.criteria.all()) == 100
        assert {c.source for c in r.criteria.all()} == {CriterionSource.INDICATOR, CriterionSource.SELF}


@pytest.mark.django_db
def test_evidence_and_scores_for_most_entries_never_the_reviewers_own(seeded):
    for r in (seeded.extra["orglife_awards"]["gold_round"], seeded.extra["orglife_awards"]["five_star_round"]):
        entries = r.entries.count()
        with_evidence = Evidence.objects.filter(entry__round=r).values("entry").distinct().count()
        scored = ReviewScore.objects.filter(entry__round=r).values("entry").distinct().count()
        assert with_evidence >= entries * 0.6 and scored >= entries * 0.6
        for s in ReviewScore.objects.filter(entry__round=r).select_related("reviewer__user", "entry__org",
                                                                           "criterion"):
            assert not policies.is_own(s.reviewer.user, s.entry.org)
            assert 0 <= s.points <= s.criterion.weight


@pytest.mark.django_db
def test_published_scores_are_frozen_with_tiers_and_the_honour_roll_shows_them(seeded, client):
    gold = seeded.extra["orglife_awards"]["gold_round"]
    cut = {t.name: t.min_score for t in gold.tiers.all()}
    for e in AwardEntry.objects.filter(round=gold):
        assert e.frozen["total"] == str(e.score) and len(e.frozen["rows"]) == gold.criteria.count()
        assert e.tier == sel.tier_for(gold, e.score) and (not e.tier or e.score >= cut[e.tier])
    winners = AwardEntry.objects.filter(round=gold).exclude(tier="")
    page = client.get(reverse("orglife:award_honours")).content.decode()
    assert gold.name in page and all(w.org.name in page for w in winners)
