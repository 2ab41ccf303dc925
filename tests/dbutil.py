"""Helpers for tests that share seeded data across many tests."""

import time

from django.db import connection, transaction


def settle_constraints() -> None:
    """Check the deferred constraints of what a shared fixture just wrote, once, in its own outer transaction.

    PostgreSQL defers foreign-key checks to the end of the transaction. A fixture that seeds data for a module in an
    outer transaction leaves those checks pending, and Django's TestCase runs `SET CONSTRAINTS ALL IMMEDIATE` after
    every test inside that test's savepoint: the pending checks of the whole seed fire there and are rolled back with
    the savepoint, so every test repeated them (minutes per test after a full demo seed). Fired here, they are done
    for good. No-op on SQLite, which checks at once.

    On PostgreSQL the tables are then analysed too: rows a transaction wrote have no statistics yet, and the planner,
    taking the seeded tables for empty, chose nested loops over them (the demo digests took minutes)."""
    connection.check_constraints()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def kept(django_db_blocker, seed):
    """The body of a module- or package-scoped fixture sharing seeded data: `seed()` runs in an outer transaction,
    its constraints are settled, what it returns is yielded to the tests (each runs in a savepoint), and everything is
    rolled back when the fixture ends. Use as ``yield from kept(django_db_blocker, seed)``."""
    with django_db_blocker.unblock(), transaction.atomic():
        value = seed()
        settle_constraints()
        try:
            yield value
        finally:
            transaction.set_rollback(True)


def registry_then(part_seed, label: str):
    """Seed the demo's core, accounts and registry, then one part (`part_seed(ctx)`), timing it under `label`."""
    from gongzhi.demo import run_seed

    ctx = run_seed(["core", "accounts", "registry"])
    started = time.perf_counter()
    part_seed(ctx)
    ctx.timings[label] = time.perf_counter() - started
    print(ctx.timings)  # seconds per step, visible with -s
    return ctx
