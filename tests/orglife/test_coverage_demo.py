"""The demo's two-new coverage: one module-scoped seed (core, accounts, registry, then the coverage part); its
figures are the street's real ones (strictly between 0 and 100 %), equal to what the rule computes, and both
shares rise over the trend."""

from __future__ import annotations

import pytest

from gongzhi.demo.orglife import coverage as demo
from gongzhi.orglife.models import InstructorAssignment, JointCoverage
from gongzhi.orglife.selectors.coverage import annotate_coverage, counted_units, coverage_of, trend
from gongzhi.registry.models import PartyOrgKind
from tests.dbutil import kept, registry_then


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    yield from kept(django_db_blocker, lambda: registry_then(demo.seed, "orglife.coverage"))


@pytest.mark.django_db
def test_the_figure_is_real_and_the_rules(seeded):
    figures = seeded.extra["coverage"]
    c = coverage_of(seeded.subdistrict)
    print(figures, c.organized_pct, c.instructed_pct, [(d, x.organized_pct, x.instructed_pct)
                                                       for d, x in trend(seeded.subdistrict)])
    assert c.counted >= 20 and (figures["counted"], figures["organized"], figures["instructed"]) == (
        c.counted, c.organized, c.instructed)
    assert 0 < c.organized_share < 1 and 0 < c.instructed_share < 1
    rows = annotate_coverage(counted_units(seeded.subdistrict)).values_list("organized", "instructed")
    assert sum(o for o, _i in rows) == c.organized and sum(i for _o, i in rows) == c.instructed


@pytest.mark.django_db
def test_joint_coverage_is_by_a_tower_committee_for_units_without_their_own(seeded):
    rows = list(JointCoverage.objects.select_related("unit", "joint_org"))
    assert rows and all(r.joint_org.kind == PartyOrgKind.JOINT_COMMITTEE for r in rows)
    assert all(r.joint_org.region.parent_id == r.unit.region.parent_id for r in rows)  # a committee of its area
    assert not any(r.unit.party_orgs.exists() for r in rows)
    assert InstructorAssignment.objects.filter(ended_on__isnull=False).exists()


@pytest.mark.django_db
def test_both_shares_rise_over_the_trend(seeded):
    points = trend(seeded.subdistrict)
    first, last = points[0][1], points[-1][1]
    assert first.organized_share <= last.organized_share and first.instructed_share < last.instructed_share
