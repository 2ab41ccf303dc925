"""Authorization matrix: every named URL of the project × every persona → the expected HTTP status (GET).

Each app declares its rows in its manifest (``authz`` in its apps.py, gongzhi.core.modules.AuthzCase); each
cell is its own test id, e.g. `test_cell[registry:partymember_detail-outsider]`.
`test_every_url_name_is_in_the_matrix` fails when a URL name exists that is neither in the matrix nor excluded
(``authz_excluded``), so every new page must state who may open it. Adding a page is one entry in the app's
manifest:

    "app:name": AuthzCase("anonymous resident outsider insider colleague admin", <target>),

target: None (no URL parameters), the name of a fixture object (its pk fills every URL parameter; the objects
come from each app's ``authz_fixtures`` builder, see gongzhi.core.authz), or a dict of literal URL kwargs. The
targets are in area A (insider: its secretary; colleague: grid leader of grid A1; outsider: area B's secretary;
admin: the sub-district administrator; resident: no registry rights).
"""

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from gongzhi.core.authz import PERSONAS
from gongzhi.core.modules import authz_excluded, authz_matrix
from tests.authz import make_world, url_names

MATRIX = authz_matrix()
EXCLUDED = authz_excluded()


def is_excluded(name: str) -> bool:
    return name in EXCLUDED or name.startswith(tuple(e for e in EXCLUDED if e.endswith(":")))


def test_every_url_name_is_in_the_matrix():
    missing = sorted(n for n in url_names() if n not in MATRIX and not is_excluded(n))
    assert not missing, f"add these URL names to the authz of their app's manifest (apps.py): {missing}"


def test_the_matrix_names_only_existing_urls():
    stale = sorted(set(MATRIX) - set(url_names()))
    assert not stale, f"remove these names from the apps' authz manifests (no such URL): {stale}"


@pytest.fixture(scope="module")
def observed(django_db_setup, django_db_blocker) -> dict[tuple[str, str], object]:
    """Every cell's actual status, measured once on one data set (rolled back afterwards) to keep it fast."""
    names = url_names()
    results: dict[tuple[str, str], object] = {}
    with django_db_blocker.unblock(), override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], AXES_ENABLED=False,
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    ), transaction.atomic():
        world = make_world()
        people, objects = world.people, world.objects
        for persona in PERSONAS:
            client = Client()
            if persona != "anonymous":
                client.force_login(getattr(people, persona))
            for name, case in MATRIX.items():
                if name not in names:
                    continue
                target = case.target
                if isinstance(target, dict):
                    kwargs = target
                else:
                    kwargs = {p: objects[target].pk for p in names[name]} if target else {}
                try:
                    with transaction.atomic():  # a savepoint: one failing request cannot spoil the others
                        results[name, persona] = client.get(reverse(name, kwargs=kwargs)).status_code
                except Exception as e:  # a crash is reported in its own cell
                    results[name, persona] = repr(e)
        transaction.set_rollback(True)
    return results


CELLS = [(name, persona) for name in MATRIX for persona in PERSONAS]


# The mark makes pytest-django set up the test database even when only these cells are selected
# (it sets up only the databases that the selected tests ask for).
@pytest.mark.django_db
@pytest.mark.parametrize(("name", "persona"), CELLS, ids=[f"{n}-{p}" for n, p in CELLS])
def test_cell(observed, name, persona):
    expected = int(MATRIX[name].statuses.split()[PERSONAS.index(persona)])
    actual = observed.get((name, persona), "no such URL")
    assert actual == expected, f"{persona} GET {name}: {actual}, expected {expected}"


def test_personas_are_the_factories_personas(people):
    assert {p for p in PERSONAS if p != "anonymous"} == set(vars(people))
