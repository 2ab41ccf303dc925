"""The demo's one-pass schema (gongzhi/core/fastschema.py) builds what the migrations build.

The test database was built by the migrations (SQLite or PostgreSQL); a subprocess builds an empty SQLite demo
database from the models and describes it the same vendor-neutral way: tables, columns with their nullability,
unique column sets and foreign keys.
"""

import json
import os
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from gongzhi.core import fastschema

ROOT = Path(__file__).resolve().parents[2]


def describe(conn) -> dict:
    out = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            columns = {c.name: bool(c.null_ok) for c in conn.introspection.get_table_description(cursor, table)}
            constraints = conn.introspection.get_constraints(cursor, table)
            unique = sorted({",".join(sorted(c["columns"])) for c in constraints.values()
                             if (c["unique"] or c["primary_key"]) and c["columns"]})
            relations = {col: f"{other_table}.{other_col}"
                         for col, (other_col, other_table) in conn.introspection.get_relations(cursor, table).items()}
            out[table] = {"columns": columns, "unique": unique, "relations": relations}
    return out


SCRIPT = """
import json, os, django
django.setup()
from django.db import connection
from gongzhi.core import fastschema
from tests.core.test_fastschema import describe
built = fastschema.create_from_models()
again = fastschema.create_from_models()
from gongzhi.demands.models import Category, DeadlinePolicy
from django.db.migrations.recorder import MigrationRecorder
print(json.dumps({"built": built, "again": again, "schema": describe(connection),
                  "categories": Category.objects.filter(subdistrict=None).count(),
                  "policies": DeadlinePolicy.objects.filter(category=None).count(),
                  "applied": sorted(f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations())}))
"""


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(GONGZHI_VAR_DIR=str(tmp_path_factory.mktemp("fastschema")), DJANGO_SETTINGS_MODULE="tests.settings",
               GONGZHI_DEV_KEYS="1", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_data_step_of_every_migration_is_classified():
    steps = {key for key, _op in fastschema.data_steps(MigrationLoader(None, ignore_no_migrations=True))}
    assert steps == set(fastschema.DATA_STEPS), "classify the new data migration in fastschema.DATA_STEPS"
    assert set(fastschema.DATA_STEPS.values()) <= {"replay", "empty"}


@pytest.mark.django_db
def test_the_tables_built_from_the_models_are_the_migrations_tables(fresh):
    assert fresh["built"] is True and fresh["again"] is False  # a second call finds tables and does nothing
    migrated = describe(connection)
    built = fresh["schema"]
    assert len(migrated) > 200 and sum(len(t["relations"]) for t in migrated.values()) > 300
    assert sorted(built) == sorted(migrated)
    for table, shape in migrated.items():
        assert built[table]["columns"] == shape["columns"], table
        assert built[table]["unique"] == shape["unique"], table
        assert built[table]["relations"] == shape["relations"], table


@pytest.mark.django_db
def test_the_whole_history_is_recorded_and_the_taxonomy_is_filled(fresh):
    taxonomy = import_module("gongzhi.demands.migrations.0002_default_taxonomy").TAXONOMY
    assert fresh["categories"] == len(taxonomy) + sum(len(children) for _c, _n, children in taxonomy)
    assert fresh["policies"] == 2
    graph = MigrationExecutor(connection).loader.graph
    assert fresh["applied"] == sorted(f"{a}.{n}" for a, n in graph.nodes)


@pytest.mark.django_db
def test_a_database_with_tables_is_left_to_the_migrations():
    assert fastschema.create_from_models() is False
