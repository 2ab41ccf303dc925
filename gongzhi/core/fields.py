"""Model fields for personal data at rest (see `gongzhi.core.crypto`).

`EncryptedCharField` behaves as a CharField in Python (forms, validators and ``max_length`` apply to the plaintext)
and stores ciphertext in a text column. It can't be searched: only ``isnull`` and ``=""`` look-ups are allowed;
look a value up through its `LookupHashField` instead. `LookupHashField` keeps the keyed hash of another field,
computed whenever the row is saved (`save`, `create`, `bulk_create`; not `QuerySet.update`, which callers avoid for
these fields).
"""

from __future__ import annotations

from django.core.exceptions import FieldError
from django.db import models

from gongzhi.core import crypto


class EncryptedCharField(models.CharField):
    def get_internal_type(self) -> str:
        return "TextField"  # ciphertext is longer than the plaintext's max_length

    def from_db_value(self, value, expression, connection):
        return crypto.decrypt(value) if value else value

    def get_db_prep_save(self, value, connection):
        value = self.to_python(value)
        return crypto.encrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value:  # a look-up by value: the ciphertext differs on every write, so it could never match
            raise FieldError(f"{self.name} is encrypted: look it up by its hash field")
        return value

    def get_lookup(self, lookup_name):
        if lookup_name not in {"exact", "isnull", "in"}:
            raise FieldError(f"{self.name} is encrypted: '{lookup_name}' look-ups are impossible")
        return super().get_lookup(lookup_name)


class LookupHashField(models.CharField):
    """The keyed hash (HMAC-SHA256, `crypto.lookup_hash`) of the field named ``of``."""

    def __init__(self, *args, of: str, **kwargs):
        self.of = of
        kwargs.setdefault("max_length", 80)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["of"] = self.of
        for key, default in (("max_length", 80), ("blank", True), ("editable", False), ("db_index", True)):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = crypto.lookup_hash(getattr(model_instance, self.of) or "")
        setattr(model_instance, self.attname, value)
        return value


# --- migrations ------------------------------------------------------------------------------------------------

def encrypt_columns(app_label: str, fields: dict[str, tuple[str, ...]]) -> list:
    """Migration operations that encrypt the existing rows of plain-text columns (``{model_name: (field, …)}``,
    history models included): widen each column to text, then encrypt every row in place and fill the model's
    lookup hashes. Put them before the `AlterField`s to `EncryptedCharField`; they reverse (decrypt) too."""
    from django.db import migrations

    def run(apps, schema_editor, forwards: bool):
        for model_name, names in fields.items():
            model = apps.get_model(app_label, model_name)
            hashes = [f for f in model._meta.concrete_fields if isinstance(f, LookupHashField)]
            manager = model._base_manager.using(schema_editor.connection.alias)
            for row in manager.values("pk", *names).iterator():
                values = {n: (crypto.encrypt if forwards else crypto.decrypt)(row[n]) for n in names if row[n]}
                if forwards:
                    values.update({h.attname: crypto.lookup_hash(row[h.of] or "") for h in hashes if h.of in row})
                if values:
                    manager.filter(pk=row["pk"]).update(**values)

    widen = [migrations.AlterField(model_name=m, name=n, field=models.TextField(blank=True))
             for m, names in fields.items() for n in names]
    return [*widen, migrations.RunPython(lambda apps, se: run(apps, se, True), lambda apps, se: run(apps, se, False))]
