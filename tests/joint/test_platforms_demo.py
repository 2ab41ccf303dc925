"""The platforms part's demo: the district platform, the sub-district's 1+11+103+X counted from its members, the
thematic culture platform, and the six 联合党委 with their posts. Seeds the registry and this part only, once for
the module."""

import random
import time

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from gongzhi.demo import SEED, SeedContext
from gongzhi.joint.models import PartyPost, PlatformKind, PlatformLevel, PostKind
from gongzhi.joint.selectors import platforms as selectors
from gongzhi.registry.models import PartyOrg, PartyOrgKind
from tests.dbutil import settle_constraints


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    from gongzhi.demo import registry
    from gongzhi.demo.joint import platforms

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                ctx = SeedContext(rng=random.Random(SEED))
                registry.seed(ctx)
                started = time.process_time()
                platforms.seed(ctx)
                ctx.timings["joint_platforms"] = time.process_time() - started
            settle_constraints()  # tests/dbutil.py
            yield ctx
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(seeded, db):
    return seeded


def test_the_sub_districts_roster_reads_1_11_103_x(demo):
    street = demo.extra["joint_platform"]
    roster = selectors.roster(street)
    assert (roster.conveners, roster.areas, roster.units) == (1, 11, 103)
    assert roster.committees >= 3
    assert street.brand == "同心家园" and street.parent == demo.extra["joint_district_platform"]
    assert street.members.filter(left_on__isnull=False).count() == 1  # a unit that left and came back


def test_the_district_and_the_culture_platforms(demo):
    district = demo.extra["joint_district_platform"]
    assert district.level == PlatformLevel.DISTRICT and district.region == demo.district
    assert district.members.count() > 5
    culture = demo.extra["joint_culture_platform"]
    assert culture.kind == PlatformKind.THEMATIC and culture.members.count() > 3


def test_six_joint_committees_with_a_firm_head_as_secretary_and_the_area_secretary_as_deputy(demo):
    today = timezone.localdate()
    joint = list(PartyOrg.objects.filter(kind=PartyOrgKind.JOINT_COMMITTEE))
    assert len(joint) == 6
    for org in joint:
        current = [p for p in PartyPost.objects.filter(org=org) if p.is_current(today)]
        secretaries = [p for p in current if p.kind == PostKind.SECRETARY]
        assert len(secretaries) == 1 and secretaries[0].holder_unit is not None  # a firm's party head
        deputies = [p for p in current if p.kind == PostKind.DEPUTY_SECRETARY]
        assert deputies and all(d.is_part_time and d.holder_unit is None for d in deputies)  # the area's secretary
    assert PartyPost.objects.filter(org__kind=PartyOrgKind.JOINT_COMMITTEE, ends_on__isnull=False).count() == 2


def test_big_committees_take_in_a_police_officer_as_part_time_deputy(demo):
    police = PartyPost.objects.filter(org__kind=PartyOrgKind.GENERAL_BRANCH, kind=PostKind.DEPUTY_SECRETARY,
                                      is_part_time=True, party_member__isnull=True)
    assert police.count() == 2 and all("派出所" in p.unit.name for p in police)
