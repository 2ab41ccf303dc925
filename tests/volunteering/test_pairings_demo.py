"""The demo's pairings: 54 members of the market area each linking about 50 shops (within the capacity), youth
pairings one to one, unit ↔ households in hardship, member ↔ households, a year of contacts with some pairings
overdue, and the "V.I.P" cohort with the 五个一 and partial progress; fast."""


import pytest
from django.db.models import Count

from gongzhi.demo.volunteering import pairings as demo
from gongzhi.volunteering.models import DEFAULT_REQUIREMENTS, Cohort, Pairing, PairingContact, PairingKind
from gongzhi.volunteering.selectors import pairings as selectors
from gongzhi.volunteering.workflow import PairingState
from tests.dbutil import kept, registry_then


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    yield from kept(django_db_blocker, lambda: registry_then(demo.seed, "volunteering.pairings"))


@pytest.mark.django_db
def test_market_members_link_about_fifty_shops_each(seeded):
    shops = (Pairing.objects.filter(kind=PairingKind.MEMBER_SHOP).values("member").annotate(n=Count("pk"))
             .values_list("n", flat=True))
    assert len(shops) == 54 and all(44 <= n <= 50 for n in shops)
    assert Pairing.objects.filter(kind=PairingKind.MEMBER_SHOP).values("region").distinct().count() == 1
    assert seeded.extra["pairings"] == Pairing.objects.count() > 2500


@pytest.mark.django_db
def test_every_kind_with_contacts_and_some_overdue(seeded):
    kinds = set(Pairing.objects.values_list("kind", flat=True))
    assert kinds == set(PairingKind.values)
    youth = Pairing.objects.filter(kind=PairingKind.YOUTH, state=PairingState.ACTIVE)
    assert youth.count() >= 10
    assert youth.values("member").distinct().count() == youth.count() == youth.values("volunteer").distinct().count()
    assert not Pairing.objects.filter(kind=PairingKind.UNIT_HOUSEHOLD, household__hardship=False).exists()
    assert PairingContact.objects.count() > 10000
    active = selectors.with_last_contact(Pairing.objects.filter(state=PairingState.ACTIVE))
    overdue = active.filter(selectors.overdue_q()).count()
    assert 0.05 * active.count() < overdue < 0.3 * active.count()
    assert Pairing.objects.filter(state=PairingState.ENDED).exists()


@pytest.mark.django_db
def test_the_vip_cohort_has_the_five_ones_and_partial_progress(seeded):
    cohort = Cohort.objects.get()
    assert [r.title for r in cohort.requirements.order_by("position")] == list(DEFAULT_REQUIREMENTS)
    grid = selectors.cohort_grid(cohort)
    assert len(grid["rows"]) == 18 and 20 < grid["percent"] < 90
    assert grid["per_requirement"][0] > grid["per_requirement"][-1]
