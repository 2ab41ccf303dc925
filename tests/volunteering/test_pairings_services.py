"""Pairings: the capacity per anchor as a field error (defaults and a sub-district's rule), duplicates, contacts
(who may record them, dates), ending with a reason, the overdue rule, cohorts (the default checklist, progress %)
and `pairings_of_member`."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.volunteering.models import (
    DEFAULT_REQUIREMENTS,
    CohortProgress,
    ContactKind,
    Pairing,
    PairingContact,
    PairingKind,
    PairingTransition,
)
from gongzhi.volunteering.selectors import pairings as selectors
from gongzhi.volunteering.services import pairings as services
from gongzhi.volunteering.workflow import PairingState
from tests import factories
from tests.volunteering import factories as vf
from tests.volunteering import factories_pairings as fp

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_a_shop_pairing_is_logged_and_counts_against_the_default_capacity(street, people):
    made = services.pair(actor=people.insider, kind=PairingKind.MEMBER_SHOP, region=street.area_a,
                         member=street.member_a, shop_name="老城隍庙五香豆", shop_address="豫园路1号")
    assert made.state == PairingState.ACTIVE and made.code.startswith("JD") and made.created_by == people.insider
    assert list(made.transitions.values_list("action", "to_state")) == [("pair", "active")]
    loads = {load.kind: (load.held, load.capacity) for load in selectors.anchor_load(street.member_a)}
    assert loads[PairingKind.MEMBER_SHOP] == (1, 50) and loads[PairingKind.MEMBER_HOUSEHOLD] == (0, 10)


def test_over_capacity_is_a_field_error_on_the_anchor_and_writes_nothing(street, people):
    services.set_rule(street.subdistrict, actor=people.admin, kind=PairingKind.MEMBER_SHOP, capacity=2,
                      contact_interval_days=14)
    fp.shop_pairing(street)
    fp.shop_pairing(street)
    before = (Pairing.objects.count(), PairingTransition.objects.count())
    with pytest.raises(ValidationFailed) as e:
        services.pair(actor=people.insider, kind=PairingKind.MEMBER_SHOP, region=street.area_a,
                      member=street.member_a, shop_name="第三家")
    assert list(e.value.field_errors) == ["member"] and "2" in e.value.field_errors["member"][0]
    assert (Pairing.objects.count(), PairingTransition.objects.count()) == before
    # another member of the same sub-district still has room; ending a pairing frees a place
    fp.shop_pairing(street, member=street.member_b, region=street.area_b)
    services.end_pairing(Pairing.objects.filter(member=street.member_a).first(), actor=people.insider, reason="歇业")
    assert fp.shop_pairing(street).state == PairingState.ACTIVE


def test_youth_pairings_are_one_to_one(street, people):
    youth = vf.volunteer(street.area_a, name="小王")
    fp.youth_pairing(street, volunteer=youth)
    other_member = factories.party_member(street.org_a)
    with pytest.raises(ValidationFailed) as e:  # the member holds their one youth already
        fp.youth_pairing(street, volunteer=vf.volunteer(street.area_a))
    assert list(e.value.field_errors) == ["member"]
    with pytest.raises(ValidationFailed) as e:  # the youth is paired already
        fp.youth_pairing(street, member=other_member, volunteer=youth)
    assert list(e.value.field_errors) == ["volunteer"]


def test_bad_input_gives_field_errors(street, people):
    with pytest.raises(ValidationFailed) as e:
        services.pair(actor=people.insider, kind=PairingKind.MEMBER_SHOP, region=street.area_a, member=None,
                      shop_name="", started_on=TODAY() + timedelta(days=1))
    assert set(e.value.field_errors) == {"member", "shop_name", "started_on"}
    well_off = fp.household(street.building_a1, hardship=False)
    with pytest.raises(ValidationFailed) as e:
        services.pair(actor=people.insider, kind=PairingKind.UNIT_HOUSEHOLD, region=street.area_a,
                      unit=street.unit_a, household=well_off)
    assert list(e.value.field_errors) == ["household"]
    with pytest.raises(ValidationFailed):  # the same shop twice for one member
        fp.shop_pairing(street, name="同一家")
        fp.shop_pairing(street, name="同一家")


def test_only_managers_of_the_region_pair(street, people):
    for user in (people.outsider, people.colleague, people.resident):
        with pytest.raises(Forbidden):
            services.pair(actor=user, kind=PairingKind.MEMBER_SHOP, region=street.area_a, member=street.member_a,
                          shop_name="某店")


def test_contacts_are_recorded_by_staff_and_by_the_anchor_only(street, people):
    member_user = factories.user("member-a", Role.PARTY_MEMBER, street.grid_a1)
    street.member_a.user = member_user
    street.member_a.save()
    made = fp.shop_pairing(street, days_ago=10)
    services.record_contact(made, actor=member_user, contacted_on=TODAY() - timedelta(days=2),
                            kind=ContactKind.VISIT, note="了解经营情况")
    services.record_contact(made, actor=people.insider, contacted_on=TODAY(), kind=ContactKind.PHONE)
    with pytest.raises(NotFound):
        services.record_contact(made, actor=people.outsider, contacted_on=TODAY(), kind=ContactKind.PHONE)
    with pytest.raises(ValidationFailed) as e:
        services.record_contact(made, actor=people.insider, contacted_on=TODAY() + timedelta(days=1), kind="fax")
    assert set(e.value.field_errors) == {"contacted_on", "kind"}
    with pytest.raises(ValidationFailed):  # before the pairing began
        services.record_contact(made, actor=people.insider, contacted_on=TODAY() - timedelta(days=11),
                                kind=ContactKind.VISIT)
    assert PairingContact.objects.filter(pairing=made).count() == 2
    assert selectors.pairing(member_user, made.pk).last_contact == TODAY()
    unit_pairing = fp.unit_pairing(street)
    liaison = factories.user("liaison-a", Role.UNIT_LIAISON, unit=street.unit_a)
    services.record_contact(unit_pairing, actor=liaison, contacted_on=TODAY(), kind=ContactKind.ACTIVITY)
    with pytest.raises(NotFound):  # the member is not this unit's liaison
        services.record_contact(unit_pairing, actor=member_user, contacted_on=TODAY(), kind=ContactKind.VISIT)


def test_ending_needs_a_reason_and_stops_contacts(street, people):
    made = fp.shop_pairing(street)
    with pytest.raises(ValidationFailed):
        services.end_pairing(made, actor=people.insider, reason="")
    with pytest.raises(NotFound):
        services.end_pairing(made, actor=people.outsider, reason="x")
    ended = services.end_pairing(made, actor=people.insider, reason="商户搬迁")
    assert ended.state == PairingState.ENDED and ended.ended_on == TODAY()
    assert ended.transitions.last().note == "商户搬迁"
    with pytest.raises(Conflict):
        services.record_contact(made, actor=people.insider, contacted_on=TODAY(), kind=ContactKind.VISIT)


def test_overdue_uses_the_kind_interval_and_the_subdistrict_rule(street, people):
    fresh = fp.shop_pairing(street, days_ago=40)
    fp.contact(fresh, days_ago=5)
    stale = fp.shop_pairing(street, days_ago=90)
    fp.contact(stale, days_ago=31)
    never = fp.shop_pairing(street, days_ago=31)
    young = fp.shop_pairing(street, days_ago=30)  # exactly 30 days: not yet overdue
    ended = fp.shop_pairing(street, days_ago=100)
    services.end_pairing(ended, actor=SYSTEM, reason="结束")
    found = set(selectors.overdue(people.admin).values_list("pk", flat=True))
    assert found == {stale.pk, never.pk}
    services.set_rule(street.subdistrict, actor=people.admin, kind=PairingKind.MEMBER_SHOP, capacity=50,
                      contact_interval_days=3)
    found = set(selectors.overdue(people.admin).values_list("pk", flat=True))
    assert found == {stale.pk, never.pk, fresh.pk, young.pk}
    assert not selectors.overdue(people.outsider).exists()


def test_rules_are_per_subdistrict_and_validated(street, people):
    with pytest.raises(ValidationFailed) as e:
        services.set_rule(street.subdistrict, actor=people.admin, kind=PairingKind.YOUTH, capacity=0,
                          contact_interval_days=30)
    assert list(e.value.field_errors) == ["capacity"]
    with pytest.raises(ValidationFailed):
        services.set_rule(street.area_a, actor=people.admin, kind=PairingKind.YOUTH, capacity=2,
                          contact_interval_days=30)
    with pytest.raises(Forbidden):  # the area secretary does not manage the whole sub-district
        services.set_rule(street.subdistrict, actor=people.insider, kind=PairingKind.YOUTH, capacity=2,
                          contact_interval_days=30)
    services.set_rule(street.subdistrict, actor=people.admin, kind=PairingKind.YOUTH, capacity=2,
                      contact_interval_days=20)
    rule = services.set_rule(street.subdistrict, actor=people.admin, kind=PairingKind.YOUTH, capacity=3,
                             contact_interval_days=20)
    assert selectors.rule_of(street.grid_a1, PairingKind.YOUTH) == (3, 20) and rule.history.count() == 2


def test_pairings_of_member_counts_contacts_per_year(street, people):
    made = fp.shop_pairing(street, days_ago=400)
    fp.contact(made, days_ago=390)
    fp.contact(made, days_ago=1)
    fp.contact(made, days_ago=0)
    rows = selectors.pairings_of_member(street.member_a)
    this, last = TODAY().year, (TODAY() - timedelta(days=390)).year
    expected = {}
    for d in (390, 1, 0):
        y = (TODAY() - timedelta(days=d)).year
        expected[y] = expected.get(y, 0) + 1
    assert [p.pk for p in rows] == [made.pk] and rows[0].contacts_by_year == expected
    assert rows[0].contacts_total == 3 and this >= last
    assert selectors.pairings_of_member(street.member_a, user=people.outsider) == []


def test_a_new_cohort_gets_the_five_ones_and_progress_gives_percentages(street, people):
    cohort = fp.cohort(street)
    assert [r.title for r in cohort.requirements.all()] == list(DEFAULT_REQUIREMENTS)
    services.add_requirement(cohort, actor=people.admin, title="红色寻访")
    a = services.add_participant(cohort, actor=people.admin, name="小李", phone="13912345678", workplace="某科技公司")
    b = services.add_participant(cohort, actor=people.admin, volunteer=vf.volunteer(street.area_a, name="小赵"))
    reqs = list(cohort.requirements.order_by("position"))
    assert len(reqs) == 6 and reqs[-1].title == "红色寻访"
    for r in reqs[:3]:
        services.record_progress(a, r, actor=people.admin, done_on=TODAY(), note="已完成")
    services.record_progress(a, reqs[0], actor=people.admin, done_on=TODAY() - timedelta(days=1))  # a correction
    services.record_progress(b, reqs[0], actor=people.admin, done_on=TODAY())
    grid = selectors.cohort_grid(cohort)
    by_name = {row.participant.name: row for row in grid["rows"]}
    assert (by_name["小李"].done, by_name["小李"].percent) == (3, 50) and by_name["小赵"].percent == 17
    assert grid["per_requirement"] == [2, 1, 1, 0, 0, 0] and grid["percent"] == 33
    assert CohortProgress.objects.count() == 4
    with pytest.raises(Conflict):  # done by someone: stays on the checklist
        services.remove_requirement(reqs[0], actor=people.admin)
    services.remove_requirement(reqs[-1], actor=people.admin)
    with pytest.raises(ValidationFailed):
        services.add_participant(cohort, actor=people.admin, name="")
    with pytest.raises(NotFound):
        services.add_participant(cohort, actor=people.outsider, name="某人")
