"""INSERT statements compiled by Django's SQL compiler ahead of the transaction that runs them.

On SQLite one writer holds the database at a time, so the time a hot write path holds it bounds its throughput.
Compiling an INSERT (preparing every field's value, assembling the SQL) takes several times longer than SQLite
takes to run it. A `PreparedInsert` is compiled before the transaction, by the same compiler `Model.save()` uses,
and runs inside it as one statement. The foreign keys that point at rows written earlier in the same transaction
are left open and filled in by name when it runs.

Like `QuerySet.bulk_create`, it sends no `pre_save`/`post_save` signals: where receivers listen, the caller does
their work itself (intake writes the demand's history row, and sends the task library's `pre_save` for its job row).
Values must be plain values (no query expressions).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.db.models.sql import InsertQuery

_SQL: dict[tuple, str] = {}  # (model, database alias, vendor, primary key given) -> INSERT statement


class PreparedInsert:
    """One row's INSERT: `PreparedInsert(obj, open_fields=("demand_id",))`, later `.run(demand_id=pk)`."""

    def __init__(self, obj: Model, *, open_fields: Iterable[str] = (), using: str = DEFAULT_DB_ALIAS):
        meta = obj._meta
        self.obj, self.using = obj, using
        connection = connections[using]
        pk_set = obj.pk is not None
        # the fields Model._save_table inserts, with their values as its compiler prepares them (pre_save,
        # get_db_prep_save); the SQL text depends only on the model and is compiled once per model
        fields = [f for f in meta.local_concrete_fields if pk_set or f is not meta.auto_field]
        if any(hasattr(getattr(obj, f.attname), "resolve_expression") for f in fields):
            raise ValueError(f"{meta.label}: only rows of plain values can be prepared")
        self.returning = [] if pk_set else list(meta.db_returning_fields)
        self.returns_rows = bool(self.returning) and connection.features.can_return_columns_from_insert
        key = (type(obj), connection.alias, connection.vendor, pk_set)
        if key in _SQL:
            self.sql = _SQL[key]
            self.params = [f.get_db_prep_save(f.pre_save(obj, True), connection=connection) for f in fields]
        else:
            query = InsertQuery(type(obj))
            query.insert_values(fields, [obj])
            compiler = query.get_compiler(using=using)
            if self.returns_rows:
                compiler.returning_fields = self.returning
            [(self.sql, params)] = compiler.as_sql()
            if len(params) != len(fields):  # one parameter per field, in field order
                raise ValueError(f"{meta.label}: the compiled INSERT does not take one parameter per field")
            self.params = list(params)
            _SQL[key] = self.sql
        self._slots = {f.attname: (i, f) for i, f in enumerate(fields)}
        self.open_fields = tuple(open_fields)
        unknown = set(self.open_fields) - set(self._slots)
        if unknown:
            raise ValueError(f"{meta.label} has no field {', '.join(sorted(unknown))}")

    def run(self, **values) -> Model:
        """Insert the row inside the caller's transaction; `values` fill the open fields. Returns the object,
        saved (its primary key set, as after `save()`)."""
        if set(values) != set(self.open_fields):
            raise ValueError(f"give exactly the open fields {self.open_fields}")
        connection = connections[self.using]
        params = list(self.params)
        for name, value in values.items():
            index, field = self._slots[name]
            setattr(self.obj, name, value)
            params[index] = field.get_db_prep_save(value, connection)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            if self.returns_rows:
                row = cursor.fetchone()
                for field, value in zip(self.returning, row, strict=True):
                    setattr(self.obj, field.attname, value)
            elif self.returning:
                pk = self.obj._meta.pk
                self.obj.pk = connection.ops.last_insert_id(cursor, self.obj._meta.db_table, pk.column)
        self.obj._state.adding = False
        self.obj._state.db = self.using
        return self.obj
