"""The two-new coverage rule (gongzhi.orglife.selectors.coverage) and the services writing coverage data: which
units count (thresholds 50 / 30), organizational coverage by an own organization from its founding date or by a
联合党委 while it runs, work coverage by an instructor while assigned, the awards' `coverage_share`, and the
refusals (field errors) of bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.core.errors import ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.orglife.selectors.coverage import (
    annotate_coverage,
    counted_units,
    coverage_of,
    coverage_share,
    month_ends,
    trend,
    year_ends,
)
from gongzhi.orglife.services import coverage as services
from gongzhi.registry.models import MemberUnitKind, PartyOrgKind
from tests import factories

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def firm(region, headcount, kind=MemberUnitKind.ENTERPRISE, two_new=True, **kw):
    return factories.member_unit(region, kind=kind, headcount=headcount, is_two_new=two_new, **kw)


def joint_org(street):
    return factories.party_org(street.area_a, PartyOrgKind.JOINT_COMMITTEE, name="梧桐大厦联合党委")


@pytest.mark.django_db
def test_thresholds_49_50_and_29_30(street):
    counted = {firm(street.grid_a1, 50).pk, firm(street.grid_a1, 30, MemberUnitKind.SOCIAL_ORGANIZATION).pk}
    firm(street.grid_a1, 49)
    firm(street.grid_a1, 29, MemberUnitKind.SOCIAL_ORGANIZATION)
    firm(street.grid_a1, 500, two_new=False)  # not a two-new unit
    firm(street.grid_a1, 500, MemberUnitKind.SCHOOL)  # not a kind the rule counts
    assert set(counted_units(street.subdistrict).values_list("pk", flat=True)) == counted
    assert coverage_of(street.subdistrict).counted == 2


@pytest.mark.django_db
def test_own_org_counts_from_its_founding_date(street):
    u = firm(street.grid_a1, 80)
    factories.party_org(street.area_a, member_unit=u, founded_on=TODAY - 10 * DAY)
    assert coverage_of(street.subdistrict, TODAY - 11 * DAY).organized == 0
    assert coverage_of(street.subdistrict, TODAY - 10 * DAY).organized == 1
    assert coverage_of(street.subdistrict).organized_share == 1


@pytest.mark.django_db
def test_joint_coverage_counts_while_it_runs(street):
    u = firm(street.grid_a1, 80)
    row = services.cover_by_joint_committee(u, actor=SYSTEM, joint_org=joint_org(street), since=TODAY - 30 * DAY)
    services.end_joint_coverage(row, actor=SYSTEM, until=TODAY - 5 * DAY)
    assert coverage_of(street.subdistrict, TODAY - 31 * DAY).organized == 0
    assert coverage_of(street.subdistrict, TODAY - 5 * DAY).organized == 1
    assert coverage_of(street.subdistrict, TODAY - 4 * DAY).organized == 0  # ended
    annotated = annotate_coverage(counted_units(street.subdistrict), TODAY - 10 * DAY).get()
    assert annotated.joint and not annotated.own_org and annotated.organized


@pytest.mark.django_db
def test_instructor_is_work_coverage(street):
    u = firm(street.grid_a1, 60)
    a = services.assign_instructor(u, actor=SYSTEM, instructor="周指导", phone="13700000001",
                                   assigned_on=TODAY - 20 * DAY)
    assert coverage_of(street.subdistrict).instructed == 1
    assert coverage_of(street.subdistrict).organized == 0  # an instructor is not an organization
    services.end_instructor(a, actor=SYSTEM, ended_on=TODAY - 2 * DAY)
    assert coverage_of(street.subdistrict).instructed == 0
    assert coverage_of(street.subdistrict, TODAY - 2 * DAY).instructed == 1
    assert a.phone == "13700000001"


@pytest.mark.django_db
def test_coverage_share_of_a_period_is_taken_on_its_end(street):
    u = firm(street.grid_a1, 80)
    firm(street.grid_b1, 80)
    factories.party_org(street.area_a, member_unit=u, founded_on=dt.date(2024, 6, 1))
    assert coverage_share(street.subdistrict, dt.date(2023, 1, 1), dt.date(2023, 12, 31)) == (0, 2)
    assert coverage_share(street.subdistrict, dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == (1, 2)
    assert coverage_share(street.area_b, dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == (0, 1)
    assert coverage_share(street.subdistrict, None, None, work=True) == (0, 2)


def test_trend_dates():
    assert month_ends(dt.date(2026, 3, 15), 3) == [dt.date(2025, 12, 31), dt.date(2026, 1, 31), dt.date(2026, 2, 28)]
    assert month_ends(dt.date(2026, 2, 28), 2) == [dt.date(2026, 1, 31), dt.date(2026, 2, 28)]
    assert year_ends(dt.date(2026, 3, 15)) == [dt.date(2023, 12, 31), dt.date(2024, 12, 31), dt.date(2025, 12, 31)]


@pytest.mark.django_db
def test_trend_has_fifteen_dates_and_rises(street):
    u = firm(street.grid_a1, 80)
    factories.party_org(street.area_a, member_unit=u, founded_on=TODAY - 100 * DAY)
    points = trend(street.subdistrict)
    assert 14 <= len(points) <= 15  # a December year-end may be a month-end too
    shares = [c.organized for _d, c in points]
    assert shares[0] == 0 and shares[-1] == 1 and shares == sorted(shares)


# --- refusals -------------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_joint_coverage_refusals(street):
    u = firm(street.grid_a1, 80)
    org = joint_org(street)
    branch = factories.party_org(street.area_a)
    cases = [
        (dict(joint_org=branch, since=TODAY), "joint_org"),  # not a 联合党委
        (dict(joint_org=org, since=TODAY + DAY), "since"),  # in the future
        (dict(joint_org=org, since=TODAY - DAY, until=TODAY - 2 * DAY), "until"),  # ends before it starts
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationFailed) as e:
            services.cover_by_joint_committee(u, actor=SYSTEM, **kwargs)
        assert field in e.value.field_errors
    school = firm(street.grid_a1, 80, MemberUnitKind.SCHOOL, two_new=False)
    with pytest.raises(ValidationFailed) as e:
        services.cover_by_joint_committee(school, actor=SYSTEM, joint_org=org, since=TODAY)
    assert "unit" in e.value.field_errors
    owned = firm(street.grid_a1, 80)
    factories.party_org(street.area_a, member_unit=owned, founded_on=TODAY - 400 * DAY)
    with pytest.raises(ValidationFailed) as e:
        services.cover_by_joint_committee(owned, actor=SYSTEM, joint_org=org, since=TODAY - DAY)
    assert "unit" in e.value.field_errors
    services.cover_by_joint_committee(u, actor=SYSTEM, joint_org=org, since=TODAY - 10 * DAY)
    with pytest.raises(ValidationFailed) as e:  # overlaps the running one
        services.cover_by_joint_committee(u, actor=SYSTEM, joint_org=org, since=TODAY - DAY)
    assert "since" in e.value.field_errors


@pytest.mark.django_db
def test_instructor_refusals(street, people):
    u = firm(street.grid_a1, 80)
    cases = [
        (dict(instructor="", assigned_on=TODAY), "instructor"),
        (dict(instructor="周指导", assigned_on=TODAY + DAY), "assigned_on"),
        (dict(instructor="周指导", assigned_on=TODAY - DAY, ended_on=TODAY - 2 * DAY), "ended_on"),
        (dict(instructor="周指导", assigned_on=TODAY, phone="12345"), "phone"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationFailed) as e:
            services.assign_instructor(u, actor=SYSTEM, **kwargs)
        assert field in e.value.field_errors
    outside = firm(street.grid_b1, 80)  # not managed by... the admin manages the whole sub-district: use area B's
    with pytest.raises(Exception) as e:  # noqa: PT011 (the insider has no orglife.manage at all)
        services.assign_instructor(outside, actor=people.insider, instructor="周指导", assigned_on=TODAY)
    assert type(e.value).__name__ == "Forbidden"
    a = services.assign_instructor(u, actor=SYSTEM, instructor="", member=street.member_a, assigned_on=TODAY - DAY)
    assert a.instructor == street.member_a.name and a.instructor_member == street.member_a
    with pytest.raises(ValidationFailed) as e:
        services.assign_instructor(u, actor=SYSTEM, instructor="吴指导", assigned_on=TODAY)
    assert "assigned_on" in e.value.field_errors
    with pytest.raises(ValidationFailed) as e:
        services.end_instructor(a, actor=SYSTEM, ended_on=TODAY - 5 * DAY)
    assert "ended_on" in e.value.field_errors
