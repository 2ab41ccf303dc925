"""The demo's micro-wishes: 60 over the past two years in the demo areas, most fulfilled by party members and by
member units (one firm's party branch claims many), some claimed, some open (one overdue, one the demo unit
liaison may claim), a few waiting for approval and two not approved; each with a timeline that follows the
workflow. One module-scoped seed, rolled back at the end."""

from collections import Counter

import pytest
from django.utils import timezone

from gongzhi.demo.volunteering import wishes as demo
from gongzhi.volunteering.models import Wish, WishTransition
from gongzhi.volunteering.policies import wishes as policies
from gongzhi.volunteering.workflow import WISH_FLOW, WishAction, WishState
from tests.dbutil import kept, registry_then


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    yield from kept(django_db_blocker, lambda: registry_then(demo.seed, "volunteering.wishes"))


@pytest.mark.django_db
def test_sixty_wishes_in_the_planned_states_over_two_years(seeded):
    states = Counter(Wish.objects.values_list("state", flat=True))
    assert states == {WishState.FULFILLED: 40, WishState.CLAIMED: 8, WishState.OPEN: 6, WishState.SUBMITTED: 4,
                      WishState.REJECTED: 2}
    first = Wish.objects.order_by("posted_at").first().posted_at
    assert (timezone.now() - first).days > 365
    assert Wish.objects.filter(state=WishState.OPEN, wanted_by__lt=timezone.localdate()).count() == 1
    assert set(Wish.objects.values_list("region", flat=True)) <= {a.pk for a in seeded.areas}


@pytest.mark.django_db
def test_claims_by_members_and_by_units_with_a_firm_claiming_many(seeded):
    claimed = Wish.objects.filter(state__in=[WishState.CLAIMED, WishState.FULFILLED])
    assert not claimed.filter(claimer_member=None, claimer_unit=None).exists()
    assert claimed.exclude(claimer_member=None).count() >= 10 and claimed.exclude(claimer_unit=None).count() >= 10
    top, n = Counter(claimed.exclude(claimer_unit=None).values_list("claimer_unit__kind", "claimer_unit")
                     ).most_common(1)[0]
    assert top[0] == "enterprise" and n >= 5
    assert not claimed.filter(promise="").exists()
    assert Wish.objects.filter(state=WishState.FULFILLED).exclude(thanks="").count() >= 20


@pytest.mark.django_db
def test_every_timeline_follows_the_workflow(seeded):
    for wish in Wish.objects.prefetch_related("transitions"):
        steps = list(wish.transitions.all())
        assert steps[0].action == WishAction.SUBMIT and steps[0].from_state == ""
        for step in steps[1:]:
            assert WISH_FLOW.target(step.from_state, step.action) == step.to_state
        assert steps[-1].to_state == wish.state
        assert all(s.created_at <= timezone.now() for s in steps)
    assert WishTransition.objects.count() > 150


@pytest.mark.django_db
def test_the_demo_unit_liaison_may_claim_an_open_wish(seeded):
    unit1, wish = seeded.users["unit1"], seeded.extra["wishes"]["for_unit1"]
    wish.refresh_from_db()
    assert wish.state == WishState.OPEN and not wish.is_overdue
    assert policies.can(unit1, wish, WishAction.CLAIM)
