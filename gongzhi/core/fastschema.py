"""The schema of an empty demo database, built from the models in one pass.

`make demo` must serve within two minutes on a fresh machine. Applying the migrations one by one to an empty
SQLite database takes 70–100 s on a 2-core machine: after each `CreateModel` Django re-renders every model
related to the new one, and since every audited model points at the user and most at a region, that is the
whole project, over 30,000 model renders. Creating the tables straight from the final models takes a few
seconds, like pytest-django's ``--no-migrations`` or Django's own ``--run-syncdb``.

The migration history is then recorded as applied, and the data steps that fill an empty database (the default
taxonomy) run on the live models. Every data step of every migration is listed in `DATA_STEPS`;
tests/core/test_fastschema.py fails when a new one is unlisted, and checks that the tables, columns,
nullability, unique sets and foreign keys built here are those the migrations build.

Only the demo uses this, only on SQLite and only when the database has no tables; `gongzhi migrate` and
production (PostgreSQL) always migrate.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connections, migrations, router
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

# Every RunPython / RunSQL operation of every migration: "replay" runs its forward code on the live models of an
# empty database; "empty" means it only rewrites rows that an empty database does not have.
DATA_STEPS: dict[tuple[str, str], str] = {
    ("accounts", "0005_encrypt_personal_data"): "empty",
    ("auth", "0011_update_proxy_permissions"): "empty",
    ("axes", "0007_alter_accessattempt_unique_together"): "empty",
    ("contenttypes", "0002_remove_content_type_name"): "empty",
    ("demands", "0002_default_taxonomy"): "replay",
    ("demands", "0007_encrypt_personal_data"): "empty",
    ("demands", "0009_handling_unit_and_referrals"): "empty",
    ("django_tasks_database", "0008_separate_results_field"): "empty",
    ("django_tasks_database", "0011_rename_complete_status"): "empty",
    ("django_tasks_database", "0013_separate_exception_fields"): "empty",
    ("django_tasks_database", "0016_remove_dbtaskresult_django_task_new_ordering_idx_and_more"): "empty",
    ("django_tasks_database", "0018_rename_succeeded_status"): "empty",
    ("matching", "0004_transition_logs"): "empty",
    ("matching", "0006_encrypt_personal_data"): "empty",
    ("registry", "0004_encrypt_personal_data"): "empty",
}


def data_steps(loader: MigrationLoader) -> list[tuple[tuple[str, str], migrations.operations.base.Operation]]:
    """(migration key, operation) of every data operation in the migration graph."""
    found = []
    for key in sorted(loader.graph.nodes):
        for op in loader.graph.nodes[key].operations:
            if isinstance(op, (migrations.RunPython, migrations.RunSQL)):
                found.append((key, op))
    return found


def is_empty(using: str = "default") -> bool:
    connection = connections[using]
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def create_from_models(using: str = "default") -> bool:
    """Build the schema of an empty SQLite database from the models and record every migration as applied.
    Returns False (and does nothing) on another database or when any table exists."""
    connection = connections[using]
    if connection.vendor != "sqlite" or not is_empty(using):
        return False
    executor = MigrationExecutor(connection)
    steps = data_steps(executor.loader)
    unknown = sorted({key for key, _op in steps} - set(DATA_STEPS))
    if unknown:  # a new data migration nobody classified: take the slow, certain path
        return False
    executor.recorder.ensure_schema()
    with connection.schema_editor() as editor:  # one transaction: all of it, or an empty database again
        for config in apps.get_app_configs():
            if config.models_module is None:
                continue
            for model in router.get_migratable_models(config, using, include_auto_created=False):
                if model._meta.can_migrate(connection):
                    editor.create_model(model)
        for key, op in steps:
            if DATA_STEPS[key] == "replay":
                op.code(apps, editor)
        for key in executor.loader.graph.nodes:
            executor.record_migration(executor.loader.graph.nodes[key])
    return True
