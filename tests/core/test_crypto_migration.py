"""The data migrations encrypt the rows that existed before (issue 11, security item 13), history rows too."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongzhi.accounts.models import User
from gongzhi.registry.models import PartyMember
from tests import factories

PHONE, ID_NUMBER, HOME = "13912345678", "310101199001011234", "梧桐路88弄3号502室"
BEFORE = [("accounts", "0004_user_phone_verified_at"), ("registry", "0003_building_location_index")]
AFTER = [("accounts", "0005_encrypt_personal_data"), ("registry", "0004_encrypt_personal_data")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _raw(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


@pytest.mark.django_db(transaction=True)
def test_existing_rows_and_history_rows_are_encrypted_by_the_migration():
    street = factories.street()
    member = street.member_a
    user = factories.user("plain")
    _migrate(BEFORE)
    try:
        # rows written before encryption existed: plain text in the table and in its history
        _raw("UPDATE registry_partymember SET phone=%s, id_number=%s, address=%s WHERE id=%s",
             (PHONE, ID_NUMBER, HOME, member.pk))
        _raw("UPDATE registry_historicalpartymember SET phone=%s, id_number=%s, address=%s WHERE id=%s",
             (PHONE, ID_NUMBER, HOME, member.pk))
        _raw("UPDATE accounts_user SET phone=%s WHERE id=%s", (PHONE, user.pk))
        _raw("UPDATE accounts_historicaluser SET phone=%s WHERE id=%s", (PHONE, user.pk))
        assert _raw("SELECT phone FROM registry_partymember WHERE id=%s", (member.pk,)) == [(PHONE,)]
    finally:
        _migrate(AFTER)
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # the later tests need today's schema
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
