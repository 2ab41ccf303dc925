"""The demo street, seeded once for the whole tests/demo package.

A full seed is the slowest fixture of the suite, so the package shares one: the street is seeded, its digests
taken and the seed rolled back; then it is seeded again with ``--if-empty`` (which seeds an empty database) and
kept, in a transaction rolled back when the package ends, for every test here (each runs in a savepoint). The two
digests prove the seed reproducible.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from gongzhi.registry.models import Region
from tests.dbutil import settle_constraints


class Rollback(Exception):
    pass


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def digests() -> tuple[str, str]:
    settle_constraints()  # statistics for PostgreSQL's planner first (tests/dbutil.py)
    from tests.demo.test_demo import digest as registry_digest
    from tests.demo.test_demo_demands import digest as demands_digest

    return registry_digest(), demands_digest()


@pytest.fixture(scope="package")
def demo_street(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # the hasher the tests verify with (tests/conftest.py)
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            with pytest.raises(Rollback), transaction.atomic():
                seed()
                first = digests()
                raise Rollback
            assert not Region.objects.exists()
            outer = transaction.atomic()
            outer.__enter__()
            try:
                output = seed("--if-empty")  # on an empty database --if-empty seeds
                print(output)  # the seed time, visible with -s; not asserted
                settle_constraints()  # tests/dbutil.py
                yield {"output": output, "digests": (first, digests())}
            finally:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)


@pytest.fixture
def demo(demo_street, db):
    return demo_street["output"]


@pytest.fixture
def street(demo_street, db):
    return demo_street
