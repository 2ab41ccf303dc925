"""The demo street's estates and households, and the councils part's demo: the 零距离家园理事会 shaped "1+4+16",
rules for every area, owners' committees with party work groups, and an election like seed 002's. Seeds the registry
and this part only (the other parts' seeders are theirs to test), once for the module."""

import random
import time

import pytest
from django.db import transaction
from django.db.models import Count
from django.test import override_settings

from gongzhi.deliberation.models.councils import (
    Council,
    DeliberationRules,
    OwnersCommittee,
    OwnersElection,
)
from gongzhi.deliberation.selectors import councils as selectors
from gongzhi.deliberation.workflows_councils import ElectionState
from gongzhi.demo import SEED, SeedContext
from gongzhi.registry.models import Building, BuildingKind, Estate, Household, Region, RegionKind
from tests.dbutil import settle_constraints


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    from gongzhi.demo import registry
    from gongzhi.demo.deliberation import councils

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                ctx = SeedContext(rng=random.Random(SEED))
                registry.seed(ctx)
                started = time.process_time()
                councils.seed(ctx)
                ctx.timings["councils"] = time.process_time() - started
            settle_constraints()  # tests/dbutil.py
            yield ctx
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(seeded, db):
    return seeded


def test_every_area_has_one_to_three_estates_covering_its_homes(demo):
    for area in Region.objects.filter(kind=RegionKind.RESIDENTIAL_AREA):
        assert 1 <= Estate.objects.filter(area=area).count() <= 3
    homes = Building.objects.filter(kind=BuildingKind.RESIDENTIAL)
    assert not homes.filter(estate__isnull=True).exists()
    assert all(b.region.path.startswith(b.estate.area.path) for b in homes.select_related("region", "estate__area"))
    assert not Building.objects.filter(kind=BuildingKind.OFFICE, estate__isnull=False).exists()


def test_every_home_has_plausible_households(demo):
    counts = dict(Household.objects.values_list("building").annotate(n=Count("pk")).order_by())
    for b in Building.objects.filter(kind=BuildingKind.RESIDENTIAL):
        assert counts.get(b.pk) == b.households  # the building's own count
    sample = list(Household.objects.select_related("building")[:3000])
    assert all(h.room[:-2].isdigit() and 1 <= int(h.room[:-2]) <= h.building.floors for h in sample)
    assert {"101", "102", "201"} <= {h.room for h in sample}
    share = lambda flag: sum(1 for h in sample if getattr(h, flag)) / len(sample)  # noqa: E731
    assert 0.02 < share("elderly_living_alone") < 0.2 and 0 < share("hardship") < 0.1
    assert 0.1 < share("phone_verified_at") < 0.5
    alone = [h for h in sample if h.elderly_living_alone]
    assert all(h.size == 1 for h in alone)
    assert all(h.phone_verified_at is None or h.phone for h in sample)


def test_the_zero_distance_council_is_seated_1_4_16(demo):
    council = Council.objects.get(name="零距离家园理事会")
    assert council.shape == "1+4+16" and selectors.seated_shape(council) == "1+4+16"
    assert council.area == demo.areas[0]
    kinds = set(council.seats.values_list("kind", flat=True))
    assert {"convener", "residents_committee", "property_company", "member_unit", "resident_representative"} <= kinds
    assert Council.objects.filter(shape="1+3+N").exists()


def test_every_area_has_rules_in_force_some_revised(demo):
    for area in demo.areas:
        assert selectors.rules_in_force(area) is not None
    revised = DeliberationRules.objects.filter(number=2)
    assert revised.exists()
    v2 = revised.first()
    v1 = DeliberationRules.objects.get(area=v2.area, number=1)
    assert any(op != "same" for op, _line in selectors.rules_diff(v1.text, v2.text))


def test_committees_with_party_work_groups_and_an_election_like_seed_002(demo):
    committees = OwnersCommittee.objects.all()
    assert committees.count() >= 5
    assert all(c.party_work_group.exists() and c.members.filter(role="director").count() == 1 for c in committees)
    recorded = OwnersElection.objects.get(state=ElectionState.RECORDED)
    assert recorded.notary_present and recorded.term_number == 1 and recorded.owners_outcome
    committee = recorded.committee
    director = committee.members.get(role="director")
    assert director.is_party_member and "物业" in director.skills  # seed 004's director
    shares = selectors.election_shares(selectors.candidates_of(recorded))
    assert shares["elected"].total == 7 and 0 < shares["elected"].party < 7
    assert recorded.candidates.filter(state="rejected", keeps_hallway_clear=False).exists()
    assert OwnersElection.objects.filter(state=ElectionState.VETTING).exists()

