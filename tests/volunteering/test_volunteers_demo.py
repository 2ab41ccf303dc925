"""The demo's volunteers: about 600, most of them party members of the areas, residents (the demo resident's
account linked), unit staff linked to their units; 8 riverside (滨江) teams among the 21; the demo member has a
volunteer the activities part can sign up; every one consented; the self-service lookup finds member1's."""

import re

import pytest

from gongzhi.core.crypto import lookup_hash
from gongzhi.core.workflow import SYSTEM
from gongzhi.demo.volunteering import volunteers as demo
from gongzhi.registry.models import VolunteerTeam
from gongzhi.volunteering.models import Volunteer
from gongzhi.volunteering.selectors.volunteers import volunteer_of_member
from gongzhi.volunteering.services.volunteers import get_or_create_volunteer_for
from tests.dbutil import kept, registry_then


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    yield from kept(django_db_blocker, lambda: registry_then(demo.seed, "volunteering.volunteers"))


@pytest.mark.django_db
def test_about_600_volunteers_of_every_kind_all_consented(seeded):
    qs = Volunteer.objects.all()
    assert 550 <= qs.count() <= 650 and len(seeded.extra["volunteers"]) == qs.count()
    members = qs.filter(party_member__isnull=False).count()
    assert members > qs.count() / 2  # most are party members of the areas
    assert qs.filter(member_unit__isnull=False).count() >= 50
    assert qs.filter(party_member=None, member_unit=None).count() >= 100  # residents
    assert not qs.filter(consented_at=None).exists()
    assert qs.filter(teams__isnull=False).distinct().count() > qs.count() / 2
    assert all(re.fullmatch(r"1\d{10}", p) for p in qs.exclude(phone_hash=lookup_hash("")).values_list(
        "phone", flat=True))
    assert qs.values("skills").distinct().count() > 50


@pytest.mark.django_db
def test_8_riverside_teams_among_the_21(seeded):
    assert VolunteerTeam.objects.count() == 21
    riverside = VolunteerTeam.objects.filter(name__regex=r"^滨江.号志愿服务队$", member_unit=None)
    assert riverside.count() == 8
    assert Volunteer.objects.filter(teams__in=riverside).distinct().count() >= 30


@pytest.mark.django_db
def test_member1_and_resident1_have_their_volunteers(seeded):
    member1, resident1 = seeded.users["member1"], seeded.users["resident1"]
    v = volunteer_of_member(member1.party_member)
    assert v is not None and v.user == member1
    assert get_or_create_volunteer_for(member1, actor=member1, consent=False) == v  # found: no consent asked again
    assert Volunteer.objects.get(user=resident1).party_member is None
    assert get_or_create_volunteer_for(resident1, actor=SYSTEM, consent=False).user == resident1


@pytest.mark.django_db
def test_the_seed_is_fast(seeded):
    print(seeded.timings["volunteering.volunteers"])  # measured, not asserted (timings belong in benchmarks)
