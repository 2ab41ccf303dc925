"""Estates (小区) and households (户) in the registry: services and their refusals, scoped pages and API, phones
encrypted and masked (lists, exports, API), all-or-nothing Excel import, and a household proving its phone by SMS
on an H5 page."""

import io
import re

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongzhi.accounts import services as account_services
from gongzhi.core.errors import NotFound, ValidationFailed
from gongzhi.core.excel import export_workbook, get_spec, import_file
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands.notify import MemoryNotifier
from gongzhi.registry import services
from gongzhi.registry.models import Building, BuildingKind, Estate, Household
from tests import factories
from tests.conftest import login
from tests.reveal import reveal_page

PHONE, OTHER = "13912345678", "13800001111"


@pytest.fixture
def estate(street, people):
    e = services.create_estate({"code": "E-WT", "name": "梧桐花园", "area": street.area_a.pk,
                                "property_company": "梧桐物业", "property_phone": "13700000001"}, actor=people.admin)
    Building.objects.filter(pk=street.building_a1.pk).update(estate=e)
    return e


@pytest.fixture
def household(street, people, estate):
    return services.create_household({"building": street.building_a1.pk, "room": "302", "size": 3,
                                      "head_name": "王阿姨", "phone": PHONE, "elderly_living_alone": True},
                                     actor=people.admin)


@pytest.fixture
def sms(settings):
    settings.GONGZHI_SMS_BACKEND = "gongzhi.demands.notify.MemoryNotifier"
    MemoryNotifier.outbox.clear()
    yield MemoryNotifier.outbox
    MemoryNotifier.outbox.clear()


# --- services -------------------------------------------------------------------------------------------------

def test_the_area_secretary_adds_an_estate_and_households_in_her_area(street, people):
    estate = services.create_estate({"code": "E1", "name": "梧桐新村", "area": street.area_a.pk}, actor=people.insider)
    services.update_building(street.building_a1.pk, {"estate": estate.pk}, actor=people.insider)
    h = services.create_household({"building": street.building_a1.pk, "room": " 101 ", "phone": PHONE},
                                  actor=people.insider)
    assert h.room == "101" and h.size == 1 and h.building.estate == estate
    assert Household.history.filter(id=h.pk, history_user=people.insider).count() == 1


def test_refusals_name_the_field_and_write_nothing(street, people, household):
    cases = [
        ({"code": "E2", "name": "石库门小区", "area": street.area_b.pk}, "estate", "area"),  # outside her area
        ({"code": "E3", "name": "网格里的小区", "area": street.grid_a1.pk}, "estate", "area"),  # not an area
        ({"building": street.building_a1.pk, "room": "302"}, "household", "__all__"),  # the room exists
        ({"building": street.building_b1.pk, "room": "101"}, "household", "building"),  # area B's building
        ({"building": street.building_a1.pk, "room": "102", "phone": "12345"}, "household", "phone"),
        ({"building": street.building_a1.pk, "room": "103", "size": 0}, "household", "size"),
    ]
    before = (Estate.objects.count(), Household.objects.count())
    for data, key, field in cases:
        with pytest.raises(ValidationFailed) as e:
            services.create(key, actor=people.insider, data=data)
        assert field in e.value.field_errors, (data, e.value.field_errors)
    tower = factories.building(street.grid_a1, kind=BuildingKind.OFFICE)
    with pytest.raises(ValidationFailed) as e:
        services.create_household({"building": tower.pk, "room": "1"}, actor=people.admin)
    assert "building" in e.value.field_errors
    assert (Estate.objects.count(), Household.objects.count()) == before


def test_a_building_joins_only_an_estate_of_its_own_area(street, people, estate):
    other = services.create_estate({"code": "E-B", "name": "石库门里", "area": street.area_b.pk}, actor=people.admin)
    with pytest.raises(ValidationFailed) as e:
        services.update_building(street.building_a1.pk, {"estate": other.pk}, actor=people.admin)
    assert "estate" in e.value.field_errors
    assert Building.objects.get(pk=street.building_a1.pk).estate == estate


def test_a_grid_leader_may_see_but_not_change_households(street, people, household):
    from gongzhi.core.errors import Forbidden

    with pytest.raises(Forbidden):
        services.update_household(household.pk, {"size": 4}, actor=people.colleague)
    with pytest.raises(NotFound):  # area B's secretary: as if it did not exist
        services.update_household(household.pk, {"size": 4}, actor=people.outsider)
    assert Household.objects.get(pk=household.pk).size == 3


def test_phones_are_encrypted_at_rest_and_found_by_their_hash(household):
    with connection.cursor() as c:
        c.execute("SELECT phone, phone_hash FROM registry_household WHERE id = %s", [household.pk])
        stored, digest = c.fetchone()
    assert PHONE not in stored and digest
    assert list(services.households_with_phone(PHONE)) == [household]


def test_a_changed_phone_is_no_longer_verified(people, household):
    from django.utils import timezone

    Household.objects.filter(pk=household.pk).update(phone_verified_at=timezone.now())
    services.update_household(household.pk, {"note": "新备注"}, actor=people.admin)
    assert Household.objects.get(pk=household.pk).phone_verified_at is not None
    services.update_household(household.pk, {"phone": OTHER}, actor=people.admin)
    assert Household.objects.get(pk=household.pk).phone_verified_at is None


# --- pages: scope, search, filters, masking -------------------------------------------------------------------

def test_household_list_masks_phones_and_filters_by_building_and_flags(client, street, people, household):
    other = services.create_household({"building": street.building_a1.pk, "room": "501", "head_name": "李老师",
                                       "phone": OTHER}, actor=people.admin)
    login(client, people.insider)
    url = reverse("registry:household_list")
    html = client.get(url).content.decode()
    assert "139****5678" in html and PHONE not in html and OTHER not in html  # lists never show personal data
    assert f'<option value="{street.building_a1.pk}">梧桐1号楼</option>' in html  # the building filter
    assert f'<option value="{street.building_b1.pk}">' not in html
    html = client.get(url, {"elderly_living_alone": "1"}).content.decode()
    assert "王阿姨" in html and "李老师" not in html
    html = client.get(url, {"building": street.building_a1.pk, "q": "501"}).content.decode()
    assert "李老师" in html and "王阿姨" not in html
    # a search by full number, for those who may see the numbers
    html = client.get(url, {"q": OTHER}).content.decode()
    assert "李老师" in html and "王阿姨" not in html
    html = login(client, people.colleague).get(url, {"q": OTHER}).content.decode()
    assert "李老师" not in html  # the grid leader sees masked numbers: a number search confirms nothing
    assert other.pk


def test_detail_shows_the_phone_to_whom_may_see_it(client, people, household):
    url = reverse("registry:household_detail", args=[household.pk])
    login(client, people.insider)
    assert PHONE not in client.get(url).content.decode()  # masked until revealed with a reason
    assert PHONE in reveal_page(client, url)
    html = login(client, people.colleague).get(url).content.decode()
    assert "139****5678" in html and PHONE not in html


def test_out_of_scope_pages_are_404_like_missing_ones(client, street, people, household, estate):
    login(client, people.outsider)
    for name, pk in (("household_detail", household.pk), ("household_edit", household.pk),
                     ("estate_detail", estate.pk), ("estate_edit", estate.pk)):
        assert client.get(reverse(f"registry:{name}", args=[pk])).status_code == 404
        assert client.get(reverse(f"registry:{name}", args=[999999])).status_code == 404
    assert "王阿姨" not in client.get(reverse("registry:household_list")).content.decode()


def test_estate_page_lists_its_buildings_households_and_committee(client, street, people, household, estate):
    from gongzhi.deliberation.services import councils

    committee = councils.create_committee(actor=SYSTEM, estate=estate, name="梧桐花园业委会", term_number=2,
                                          term_start=__import__("datetime").date(2024, 1, 1))
    councils.add_committee_member(committee, actor=SYSTEM, name="赵主任", role="director", is_party_member=True)
    html = login(client, people.insider).get(reverse("registry:estate_detail", args=[estate.pk])).content.decode()
    assert "梧桐1号楼" in html and "302" in html and "梧桐花园业委会" in html and "赵主任" in html
    assert "1 / 1" in html or "（100%）" in html or "(100%)" in html  # the party-member share


def test_household_form_shows_field_errors(client, street, people, household):
    login(client, people.insider)
    r = client.post(reverse("registry:household_create"), {"building": street.building_a1.pk, "room": "302",
                                                            "size": 1, "phone": "abc"})
    html = r.content.decode()
    assert r.status_code == 200 and "errorlist" in html
    assert Household.objects.count() == 1


# --- Excel ----------------------------------------------------------------------------------------------------

def _xlsx(headers, *rows) -> io.BytesIO:
    wb = Workbook()
    wb.active.append(list(headers))
    for row in rows:
        wb.active.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


HEADERS = ("楼栋编码", "室号", "人数", "户主", "联系电话", "独居老人")


def test_import_is_all_or_nothing(street, people, household):
    code = street.building_a1.code
    bad = _xlsx(HEADERS, (code, "101", 2, "甲", "13911110000", "是"), (code, "102", "两", "乙", "", "否"),
                ("NO-SUCH", "103", 1, "丙", "", "否"), (code, "104", 1, "丁", "139", "否"))
    result = import_file(get_spec("households"), bad, people.admin)
    assert not result.ok
    assert {(e["row"], e["column"]) for e in result.errors} == {(3, "人数"), (4, "楼栋编码"), (5, "联系电话")}
    assert Household.objects.count() == 1  # nothing written
    good = _xlsx(HEADERS, (code, "101", 2, "甲", "13911110000", "是"), (code, "302", 4, "王阿姨", PHONE, "否"))
    result = import_file(get_spec("households"), good, people.admin)
    assert result.ok and (result.created, result.updated) == (1, 1)
    assert Household.objects.get(room="302").size == 4
    assert Household.objects.get(room="101").elderly_living_alone is True


def test_export_masks_phones_unless_the_user_may_see_them(street, people, household):
    def cells(user):
        rows = list(load_workbook(io.BytesIO(export_workbook(get_spec("households"), user))).active.iter_rows(
            values_only=True))
        return [str(v) for row in rows for v in row if v is not None]

    assert PHONE not in cells(people.insider)  # an export with the numbers is a reveal, asked with a reason
    masked = cells(people.colleague)
    assert "139****5678" in masked and PHONE not in masked
    assert all("王阿姨" not in c for c in cells(people.outsider))


def test_masked_export_imports_again_without_touching_phones(street, people, household):
    data = export_workbook(get_spec("households"), people.colleague)
    result = import_file(get_spec("households"), io.BytesIO(data), people.admin)
    assert result.ok and result.unchanged == 1
    assert Household.objects.get(pk=household.pk).phone == PHONE


def test_estates_export_and_import(street, people, estate):
    data = export_workbook(get_spec("estates"), people.insider)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("E-WT", "梧桐花园", street.area_a.code)
    result = import_file(get_spec("estates"), _xlsx(("编码", "名称", "所属居民区编码"),
                                                    ("E-B2", "石库门新苑", street.area_b.code)), people.insider)
    assert not result.ok and "不在您的管理范围内" in result.errors[0]["message"]
    assert not Estate.objects.filter(code="E-B2").exists()


# --- API ------------------------------------------------------------------------------------------------------

@pytest.fixture
def bearer(people):
    def make(persona):
        _token, key = account_services.issue_token(getattr(people, persona), actor=SYSTEM, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    return make


def test_api_lists_masked_and_scoped(client, street, bearer, household, estate):
    body = client.get("/api/v1/registry/households", **bearer("colleague")).json()
    assert [x["phone"] for x in body["items"]] == ["139****5678"] and body["items"][0]["estate_id"] == estate.pk
    body = client.get("/api/v1/registry/households", **bearer("insider")).json()
    assert body["items"][0]["phone"] == PHONE
    assert client.get("/api/v1/registry/households", **bearer("outsider")).json()["count"] == 0
    assert client.get(f"/api/v1/registry/households/{household.pk}", **bearer("outsider")).status_code == 404
    detail = client.get(f"/api/v1/registry/estates/{estate.pk}", **bearer("insider")).json()
    assert detail["buildings"][0]["code"] == street.building_a1.code


def test_api_writes_households_with_field_errors(client, street, bearer, household):
    auth = bearer("insider")
    r = client.post("/api/v1/registry/households", {"building_id": street.building_a1.pk, "room": "302"},
                    content_type="application/json", **auth)
    assert r.status_code == 422
    r = client.post("/api/v1/registry/households", {"building_id": street.building_a1.pk, "room": "601",
                                                    "phone": OTHER}, content_type="application/json", **auth)
    assert r.status_code == 201 and r.json()["phone"] == OTHER
    r = client.patch(f"/api/v1/registry/households/{household.pk}", {"hardship": True},
                     content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["hardship"] is True


# --- H5: proving the phone by SMS -----------------------------------------------------------------------------

def _code(outbox) -> str:
    return re.search(r"\d{6}", outbox[-1][1]).group()


def test_a_household_proves_its_phone_with_an_sms_code(client, sms, household, django_capture_on_commit_callbacks):
    url = reverse("registry:household_phone")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"step": "phone", "phone": PHONE})
    assert r.status_code == 200 and 'id="code-form"' in r.content.decode()
    assert sms[-1][0] == PHONE
    r = client.post(url, {"step": "code", "code": "000000" if _code(sms) != "000000" else "111111"})
    assert r.status_code == 422
    assert Household.objects.get(pk=household.pk).phone_verified_at is None
    r = client.post(url, {"step": "code", "code": _code(sms)})
    assert r.status_code == 200 and 'id="phone-confirmed"' in r.content.decode()
    h = Household.objects.get(pk=household.pk)
    assert h.phone_verified_at is not None
    assert h.history.first().history_change_reason == services.VERIFIED_REASON


def test_a_phone_not_on_file_is_refused_neutrally_and_gets_no_sms(client, sms, household,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("registry:household_phone"), {"step": "phone", "phone": "13500000000"})
    html = r.content.decode()
    assert r.status_code == 422 and 'id="code-form"' not in html
    assert "王阿姨" not in html and "302" not in html  # says nothing about any household
    assert sms == []
    with pytest.raises(ValidationFailed):
        services.send_household_phone_code("13500000000")


def test_the_other_phone_proves_nothing(sms, people, household, django_capture_on_commit_callbacks):
    services.update_household(household.pk, {"other_phone": OTHER}, actor=people.admin)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationFailed):
        services.send_household_phone_code(OTHER)
    assert sms == []


def test_an_imported_new_phone_is_no_longer_verified(street, people, household):
    from django.utils import timezone

    Household.objects.filter(pk=household.pk).update(phone_verified_at=timezone.now())
    code = street.building_a1.code
    same = _xlsx(("楼栋编码", "室号", "联系电话", "备注"), (code, "302", PHONE, "改了备注"))
    assert import_file(get_spec("households"), same, people.admin).ok
    assert Household.objects.get(pk=household.pk).phone_verified_at is not None
    new = _xlsx(("楼栋编码", "室号", "联系电话"), (code, "302", OTHER))
    assert import_file(get_spec("households"), new, people.admin).ok
    h = Household.objects.get(pk=household.pk)
    assert (h.phone, h.phone_verified_at) == (OTHER, None)
