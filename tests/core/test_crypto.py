"""Personal data at rest (issue 11, security item 13): phones, ID numbers and home addresses are ciphertext in every
table that holds them, history tables included; look-ups go through keyed hashes; keys rotate; logs are masked."""

import logging
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from gongzhi.accounts.models import User
from gongzhi.accounts.selectors import managed_users
from gongzhi.core import crypto
from gongzhi.core.audit import HistoryRow
from gongzhi.core.errors import NotFound
from gongzhi.core.management.commands.rotate_keys import protected_models
from gongzhi.demands import services as demand_services
from gongzhi.demands.models import Demand, Follower, Support
from gongzhi.demands.notify import ConsoleNotifier
from gongzhi.matching.models import Resource
from gongzhi.registry.models import Liaison, PartyMember, ProfessionalTeam, VolunteerTeam
from tests import factories
from tests.conftest import login
from tests.reveal import reveal_page

PHONE, ID_NUMBER, HOME = "13912345678", "310101199001011234", "梧桐路88弄3号502室"
ROOT = Path(__file__).resolve().parents[2]


def _raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name(column)} FROM {connection.ops.quote_name(table)}")
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def personal(street, people):
    """One row with personal data in every model that stores it (their history rows come with them)."""
    member = factories.party_member(street.org_a, name="王党员", phone=PHONE, id_number=ID_NUMBER, address=HOME)
    member.phone = "13912345679"  # a second version: the history keeps both
    member.save()
    street.unit_a.contact_phone = PHONE
    street.unit_a.save()
    Liaison.objects.create(name="楼宇联络员", phone=PHONE, region=street.subdistrict)
    ProfessionalTeam.objects.create(name="城管队", kind="urban_management", region=street.subdistrict,
                                    leader_phone=PHONE)
    VolunteerTeam.objects.create(name="志愿队", region=street.subdistrict, leader_phone=PHONE)
    people.resident.phone = PHONE
    people.resident.save()
    demand, _ = demand_services.submit_demand(channel="web", title="楼道灯坏了", description="3号楼楼道灯不亮",
                                              building=street.building_a1, submitter_name="王居民",
                                              submitter_phone=PHONE)
    Follower.objects.create(demand=demand, name="李居民", phone=PHONE)
    demand_services.add_support(demand, verified_phone="13700009999")
    resource = Resource.objects.create(
        code="R-CRYPTO", title="义诊", category="medical", provider_unit=street.unit_a, capacity=1, unit="sessions",
        starts_on=date(2026, 1, 1), ends_on=date.today() + timedelta(days=30), contact_phone=PHONE)
    return {"member": member, "demand": demand, "resource": resource}


def test_every_personal_column_holds_only_ciphertext_in_model_and_history_tables(personal):
    tables = 0
    for model, encrypted, _hashes in protected_models():
        for name in encrypted:
            column = model._meta.get_field(name).column
            values = [v for v in _raw(model._meta.db_table, column) if v]
            for value in values:
                assert PHONE not in value and "5678" not in value and ID_NUMBER not in value and "梧桐路" not in value
                assert value.startswith(crypto.current_key_id() + ":")
            tables += bool(values)
    # user, party member (phone, ID, address), unit, liaison, two teams, demand, follower, resource, and the
    # history tables of all but the follower
    assert tables >= 2 * 11 - 1
    assert {"historicaldemand", "historicalpartymember", "historicaluser"} <= {
        m._meta.model_name for m, enc, _ in protected_models() if enc}
    # the keyed hashes and the "me too" key reveal nothing either
    assert all(PHONE not in v for v in _raw("demands_support", "key"))
    assert all(PHONE not in v for v in _raw("accounts_user", "phone_hash"))
    # … while the application reads plaintext
    member = PartyMember.objects.get(pk=personal["member"].pk)
    assert (member.phone, member.id_number, member.address) == ("13912345679", ID_NUMBER, HOME)
    assert [h.phone for h in member.history.order_by("history_id")] == [PHONE, "13912345679"]
    assert Demand.objects.get(pk=personal["demand"].pk).submitter_phone == PHONE


def test_lookups_by_phone_use_the_keyed_hash(personal, people):
    demand = personal["demand"]
    # tracking: the one row is decrypted and its last four digits compared
    assert demand_services.access_by_tracking(demand.tracking_code, "5678").pk == demand.pk
    with pytest.raises(NotFound):
        demand_services.access_by_tracking(demand.tracking_code, "5679")
    # a resident's demands by (verified) phone, written with separators or +86 or not
    for written in (PHONE, "139 1234 5678", "+86 139-1234-5678"):
        assert list(Demand.objects.filter(submitter_phone_hash__in=crypto.lookup_hashes(written))) == [demand]
        assert User.objects.get(phone_hash__in=crypto.lookup_hashes(written)) == people.resident
    assert PartyMember.objects.filter(id_number_hash__in=crypto.lookup_hashes(ID_NUMBER.lower())).count() == 1
    # staff searching accounts by phone
    assert list(managed_users(people.admin, q=PHONE)) == [people.resident]
    # "me too" still counts a contact once
    assert demand_services.add_support(demand, verified_phone="13700009999") == 1
    assert Support.objects.filter(demand=demand).count() == 1
    # a look-up by value on the encrypted column would silently never match: it is refused instead
    with pytest.raises(FieldError):
        list(Demand.objects.filter(submitter_phone=PHONE))
    with pytest.raises(FieldError):
        list(User.objects.filter(phone__contains="5678"))
    assert Demand.objects.exclude(submitter_phone="").count() == 1


def test_screens_still_mask_decrypted_values(client, street, personal, people):
    html = login(client, people.colleague).get(reverse("registry:memberunit_list")).content.decode()
    assert street.unit_a.name in html and "139****5678" in html and PHONE not in html
    url = reverse("registry:partymember_detail", args=[personal["member"].pk])
    assert "13912345679" not in login(client, people.insider).get(url).content.decode()  # masked by default
    assert "13912345679" in reveal_page(client, url)  # decrypted for those who may see it in full, once revealed


def test_rotation_reencrypts_and_rehashes_every_row(personal):
    old_data, old_lookup = crypto.settings.GONGZHI_DATA_KEYS, crypto.settings.GONGZHI_LOOKUP_KEYS
    new_data, new_lookup = "k2:a-new-data-secret-of-length", "h2:a-new-lookup-secret-of-length"
    with override_settings(GONGZHI_DATA_KEYS=f"{new_data},{old_data}", GONGZHI_LOOKUP_KEYS=f"{new_lookup},{old_lookup}"):
        # before the rotation: old values still decrypt, look-ups still match under the old lookup key
        assert PartyMember.objects.get(pk=personal["member"].pk).id_number == ID_NUMBER
        assert Demand.objects.filter(submitter_phone_hash__in=crypto.lookup_hashes(PHONE)).count() == 1
        call_command("rotate_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115
        assert {v.split(":")[0] for v in _raw("registry_historicalpartymember", "id_number") if v} == {"k2"}
        assert {v.split(":")[0] for v in _raw("demands_demand", "submitter_phone_hash") if v} == {"h2"}
    with override_settings(GONGZHI_DATA_KEYS=new_data, GONGZHI_LOOKUP_KEYS=new_lookup):  # the old keys dropped
        member = PartyMember.objects.get(pk=personal["member"].pk)
        assert (member.id_number, member.address) == (ID_NUMBER, HOME)
        assert member.history.earliest("history_date").phone == PHONE
        assert Demand.objects.filter(submitter_phone_hash__in=crypto.lookup_hashes(PHONE)).count() == 1
        assert demand_services.access_by_tracking(personal["demand"].tracking_code, "5678")


def test_the_cipher_is_swappable_and_a_value_needs_its_key(db):
    with override_settings(GONGZHI_CIPHER="gongzhi.core.crypto.SM4GCMCipher"):
        stored = crypto.encrypt(PHONE)
        assert crypto.decrypt(stored) == PHONE and PHONE not in stored
    with pytest.raises(Exception):  # noqa: B017 - AES-GCM refuses what SM4 wrote (the tag does not verify)
        crypto.decrypt(stored)
    assert crypto.encrypt(PHONE) != crypto.encrypt(PHONE)  # a fresh nonce each time
    with override_settings(GONGZHI_DATA_KEYS="other:another-secret-of-length"):
        with pytest.raises(Exception, match="no data key"):
            crypto.decrypt(stored)


def test_console_sms_log_masks_the_number(caplog):
    with caplog.at_level(logging.WARNING, logger="gongzhi.demands.notify"):
        ConsoleNotifier().send(PHONE, "您的诉求已受理")
    assert "139****5678" in caplog.text and PHONE not in caplog.text


def test_settings_refuse_to_start_without_keys_when_debug_is_off():
    env = {k: v for k, v in os.environ.items()
           if k not in {"GONGZHI_DATA_KEYS", "GONGZHI_LOOKUP_KEYS", "GONGZHI_DEV_KEYS", "DEBUG"}}
    run = subprocess.run([sys.executable, "-c", "import gongzhi.settings"], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "GONGZHI_DATA_KEYS must be set" in run.stderr
    env |= {"GONGZHI_DATA_KEYS": "p1:a-production-data-secret", "GONGZHI_LOOKUP_KEYS": "l1:a-production-lookup-key"}
    assert subprocess.run([sys.executable, "-c", "import gongzhi.settings"], env=env, cwd=ROOT,
                          capture_output=True, timeout=60).returncode == 0


def test_audit_lists_the_phone_change_not_its_hash(personal):
    member = personal["member"]  # its phone was changed once after creation
    latest = member.history.latest("history_date")
    changes = HistoryRow(latest.history_date, PartyMember, latest.history_id, masked=True).changes
    assert [c["field"] for c in changes] == ["phone"]
    assert (changes[0]["old"], changes[0]["new"]) == ("139****5678", "139****5679")
