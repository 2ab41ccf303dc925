"""The data migrations encrypt the rows that existed before (issue 11, security item 13), history rows too.

Plain-text rows are written into today's tables with SQL, then each encrypting migration's data step runs on them
with the models as they stood at that step (the migration's own historical state), as `migrate` runs it. Migrating
the whole database back and forth instead (every app depends on the accounts and the registry) took over three
minutes of each suite run for the same check."""

from types import SimpleNamespace

from django.db import connection, migrations
from django.db.migrations.loader import MigrationLoader

from gongzhi.accounts.models import User
from gongzhi.registry.models import PartyMember
from tests import factories

PHONE, ID_NUMBER, HOME = "13912345678", "310101199001011234", "梧桐路88弄3号502室"
STEPS = [("accounts", "0005_encrypt_personal_data"), ("registry", "0004_encrypt_personal_data")]


def _run_data_steps():
    """Each migration's RunPython, on the project state just before it (its earlier operations applied)."""
    loader = MigrationLoader(connection)
    for app_label, name in STEPS:
        migration = loader.get_migration(app_label, name)
        state = loader.project_state((app_label, name), at_end=False)
        steps = 0
        for op in migration.operations:
            if isinstance(op, migrations.RunPython):
                op.code(state.apps, SimpleNamespace(connection=connection))
                steps += 1
            else:
                op.state_forwards(app_label, state)
        assert steps == 1, (app_label, name)


def _raw(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def test_existing_rows_and_history_rows_are_encrypted_by_the_migration(db):
    street = factories.street()
    member = street.member_a
    user = factories.user("plain")
    # rows written before encryption existed: plain text in the table and in its history, no lookup hashes
    _raw("UPDATE registry_partymember SET phone=%s, id_number=%s, address=%s, phone_hash='', id_number_hash='' "
         "WHERE id=%s", (PHONE, ID_NUMBER, HOME, member.pk))
    _raw("UPDATE registry_historicalpartymember SET phone=%s, id_number=%s, address=%s WHERE id=%s",
         (PHONE, ID_NUMBER, HOME, member.pk))
    _raw("UPDATE accounts_user SET phone=%s, phone_hash='' WHERE id=%s", (PHONE, user.pk))
    _raw("UPDATE accounts_historicaluser SET phone=%s WHERE id=%s", (PHONE, user.pk))
    assert _raw("SELECT phone FROM registry_partymember WHERE id=%s", (member.pk,)) == [(PHONE,)]
    _run_data_steps()
    for table in ("registry_partymember", "registry_historicalpartymember"):
        for phone, id_number, address in _raw(f"SELECT phone, id_number, address FROM {table} WHERE id=%s",
                                              (member.pk,)):
            assert PHONE not in phone and ID_NUMBER not in id_number and "梧桐路" not in address
            assert phone.startswith("dev:") and id_number.startswith("dev:")
    for table in ("accounts_user", "accounts_historicaluser"):
        assert all(p.startswith("dev:") and PHONE not in p
                   for (p,) in _raw(f"SELECT phone FROM {table} WHERE id=%s", (user.pk,)))
    member = PartyMember.objects.get(pk=member.pk)
    assert (member.phone, member.id_number, member.address) == (PHONE, ID_NUMBER, HOME)
    assert {h.phone for h in member.history.all()} == {PHONE}
    assert PartyMember.objects.filter(phone_hash=member.phone_hash, id_number_hash__startswith="dev:").count() == 1
    assert User.objects.get(pk=user.pk).phone == PHONE
    assert User.objects.filter(phone_hash__startswith="dev:").get() == user
