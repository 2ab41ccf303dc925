"""`seed_demo` on an empty database: --if-empty is idempotent and two seeds are identical."""

import pytest
from django.core.management import CommandError
from django.db import transaction

from gongzhi.accounts.models import User
from gongzhi.registry.models import PartyMember, Region
from tests.demo.test_demo import digest, seed


def test_if_empty_does_nothing_the_second_time(db):
    seed("--if-empty")
    before = digest(), User.objects.count(), PartyMember.history.count()
    assert "skipped" in seed("--if-empty")
    assert (digest(), User.objects.count(), PartyMember.history.count()) == before
    with pytest.raises(CommandError):
        seed()


class Rollback(Exception):
    pass


def test_two_seeds_of_an_empty_database_are_identical(db):
    with pytest.raises(Rollback), transaction.atomic():
        seed()
        first = digest()
        raise Rollback
    assert not Region.objects.exists()
    seed()
    assert digest() == first


