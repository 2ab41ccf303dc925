"""gongzhi rotate-keys: re-encrypt personal data under the current data key and re-hash it under the current
lookup key (the first of GONGZHI_DATA_KEYS / GONGZHI_LOOKUP_KEYS), every model and history table included.

Rotation: put the new key first in the variable and keep the old one after it, restart, run this command, then
drop the old key. Rows are rewritten in batches, each in its own transaction; running it again is harmless."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from gongzhi.core import crypto
from gongzhi.core.fields import EncryptedCharField, LookupHashField

BATCH = 500


def protected_models():
    """(model, encrypted field names, lookup hash fields) for every model holding personal data at rest."""
    for model in apps.get_models():
        fields = model._meta.concrete_fields
        encrypted = [f.attname for f in fields if isinstance(f, EncryptedCharField)]
        hashes = [f for f in fields if isinstance(f, LookupHashField)]
        if encrypted or hashes:
            yield model, encrypted, hashes


def rotate() -> dict[str, int]:
    """Rewrite every protected row; returns the rows rewritten per model label."""
    done = {}
    for model, encrypted, hashes in protected_models():
        manager = model._base_manager
        names = list(dict.fromkeys([*encrypted, *(h.of for h in hashes)]))
        pks = list(manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH):
            with transaction.atomic():
                for row in manager.filter(pk__in=pks[start:start + BATCH]).values("pk", *names):
                    values = {n: row[n] for n in encrypted if row[n]}  # saved again: encrypted under the current key
                    values.update({h.attname: crypto.lookup_hash(row[h.of] or "") for h in hashes})
                    if values:
                        manager.filter(pk=row["pk"]).update(**values)
        done[model._meta.label] = len(pks)
    return done


class Command(BaseCommand):
    help = "Re-encrypt and re-hash personal data under the current keys (after adding a new key in front)."

    def handle(self, **options):
        self.stdout.write(f"当前数据密钥 / current data key: {crypto.current_key_id()}")
        for label, n in rotate().items():
            self.stdout.write(f"{label}: {n}")
