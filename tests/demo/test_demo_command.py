"""`seed_demo`: --if-empty seeds an empty database (the package's street was seeded that way) and does nothing the
second time; a plain seed refuses a database that holds data; two seeds of an empty database are identical."""

import pytest
from django.core.management import CommandError

from gongzhi.accounts.models import User
from gongzhi.registry.models import PartyMember
from tests.demo.conftest import digests, seed


def test_if_empty_does_nothing_the_second_time(street):
    assert "seeded in" in street["output"]
    before = digests(), User.objects.count(), PartyMember.history.count()
    assert "skipped" in seed("--if-empty")
    assert (digests(), User.objects.count(), PartyMember.history.count()) == before
    with pytest.raises(CommandError):
        seed()


def test_two_seeds_of_an_empty_database_are_identical(street):
    first, second = street["digests"]
    assert first == second
    assert User.objects.filter(username="secretary1").exists()
