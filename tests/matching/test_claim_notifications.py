"""Issue 11 (walk-through 9): a member unit is told when a community claims its resource, after commit, through the
platform's one notification service (the inbox, and e-mail where the liaison has an address)."""

import pytest
from django.core import mail
from django.db import transaction

from gongzhi.accounts.roles import Role
from gongzhi.demands.models import Notification
from gongzhi.matching import services
from tests import factories


def test_the_units_liaisons_are_told_when_a_community_claims_its_resource(
        world, people, street, django_capture_on_commit_callbacks):
    other_unit = factories.user("liaison_b", Role.UNIT_LIAISON, unit=street.unit_b)
    second = factories.user("liaison_a2", Role.UNIT_LIAISON, unit=street.unit_a, email="a2@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_resource(world.resource.pk, actor=people.insider, need=world.need_a.pk, amount=2)
    told = Notification.objects.filter(demand__isnull=True)
    assert set(told.values_list("user", flat=True)) == {world.liaison.pk, second.pk}
    text = told.first().text
    assert world.resource.title in text and world.need_a.title in text and world.resource.code in text
    assert not Notification.objects.filter(user__in=[other_unit, people.insider]).exists()
    assert [m.to for m in mail.outbox] == [["a2@example.org"]]


def test_a_claim_that_rolls_back_tells_nobody(world, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.claim_resource(world.resource.pk, actor=people.insider, need=world.need_a.pk, amount=2)
            raise RuntimeError("the request failed later")
    assert callbacks == [] and not Notification.objects.exists()
