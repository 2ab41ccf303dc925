"""The records part's demo on the registry alone (no other app's work seeded: the "四先" records then have no linked
work): last year's appraisal of every member of the residential-area organizations (mostly 合格, some 优秀, a few
基本合格), the registry's mobile members with whereabouts (encrypted) and a contact log, some silent for months;
fast."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from gongzhi.demo.orglife import records as demo
from gongzhi.orglife.models import Appraisal, FourFirst, MobileContact, MobileMember
from gongzhi.orglife.selectors.records import NO_CONTACT_DAYS, no_contact_q
from gongzhi.registry.models import PartyMember, RegionKind
from tests.dbutil import kept, registry_then


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    yield from kept(django_db_blocker, lambda: registry_then(demo.seed, "orglife.records"))


@pytest.mark.django_db
def test_last_years_appraisal_of_the_residential_area_members(seeded):
    year = timezone.localdate().year - 1
    members = PartyMember.objects.filter(organization__region__kind=RegionKind.RESIDENTIAL_AREA).count()
    results = dict(Appraisal.objects.filter(year=year).values_list("result").annotate(n=Count("pk")))
    assert sum(results.values()) == members == seeded.extra["orglife_appraisals"] > 20
    assert results["qualified"] > results["excellent"] > results.get("basically_qualified", 0) > 0
    assert not Appraisal.objects.exclude(year=year).exists()


@pytest.mark.django_db
def test_the_mobile_members_have_whereabouts_and_contacts_some_silent(seeded):
    mobile = PartyMember.objects.filter(is_mobile=True).count()
    assert mobile == MobileMember.objects.count() == seeded.extra["orglife_mobile_members"] > 5
    assert not MobileMember.objects.filter(whereabouts="").exists()
    with connection.cursor() as c:  # encrypted at rest
        c.execute("SELECT whereabouts FROM orglife_mobilemember")
        assert all("省" not in row[0] and "市" not in row[0] for row in c.fetchall())
    assert MobileContact.objects.count() == seeded.extra["orglife_mobile_contacts"] >= mobile
    assert not MobileContact.objects.filter(contacted_on__gt=timezone.localdate()).exists()
    silent = mobile_members_for_all().filter(no_contact_q()).count()
    assert 0 < silent < mobile
    assert silent == PartyMember.objects.filter(is_mobile=True).exclude(
        orglife_mobile__contacts__contacted_on__gte=timezone.localdate() - timedelta(days=NO_CONTACT_DAYS)).count()


def mobile_members_for_all():
    from django.db.models import Max

    return PartyMember.objects.filter(is_mobile=True).annotate(last_contact=Max("orglife_mobile__contacts__contacted_on"))


@pytest.mark.django_db
def test_four_firsts_without_other_apps_work(seeded):
    assert FourFirst.objects.count() == seeded.extra["orglife_four_firsts"] == 8
    assert not FourFirst.objects.filter(work_id__isnull=False).exists()
