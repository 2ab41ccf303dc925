"""Helpers for tests that share seeded data across many tests."""

from django.db import connection


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
