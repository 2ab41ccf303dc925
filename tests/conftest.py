import os

import pytest

from tests import factories

os.environ.setdefault("GONGZHI_TASKS", "immediate")
os.environ.setdefault("GONGZHI_DEV_KEYS", "1")  # subprocesses (servers, CLI) use the development data keys too


@pytest.fixture(autouse=True)
def _settings_for_tests(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "zh-hans"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests (live server, browser) flush every table when they end, taking the rows that data
    migrations created with them. Put the default taxonomy and deadline policies back so test order never matters."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps

    importlib.import_module("gongzhi.demands.migrations.0002_default_taxonomy").forwards(apps, None)


@pytest.fixture
def street(db):
    return factories.street()


@pytest.fixture
def people(street):
    return factories.personas(street)


def login(client, user):
    client.force_login(user)
    return client


skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """CI sets GONGZHI_FORBID_SKIPS: a skipped test there is a failure (e.g. no browser, no database)."""
    if os.environ.get("GONGZHI_FORBID_SKIPS") and skipped and session.exitstatus == 0:
        print(f"\n{len(skipped)} test(s) skipped but skips are forbidden here: {skipped[:5]}")
        session.exitstatus = 1
