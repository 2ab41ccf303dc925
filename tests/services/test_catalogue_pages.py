"""The catalogue's pages: the staff list with search and filters, the print-friendly item page, the item form with
its checklist and field errors, deactivation, the categories; and the public H5 catalogue, searchable by keyword,
category and audience, with an item's checklist and its booking link."""

import pytest
from django.urls import reverse
from django.utils import translation

from gongzhi.services.models import ServiceItem, ServiceLevel
from tests.conftest import login
from tests.services import factories as sf

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(street):
    return {"city": sf.item("医保账单打印", code="C1", keywords="医保", remote=True, legal_basis="《医保办法》"),
            "office": sf.item("人才公寓申请", code="C2", for_office_workers=True, category=sf.category("housing", "住房保障")),
            "a": sf.item("梧桐睦邻点活动报名", code="A1", level=ServiceLevel.AREA, region=street.area_a, bookable=True),
            "b": sf.item("乙区助餐登记", code="B1", level=ServiceLevel.AREA, region=street.area_b)}


def test_the_staff_list_searches_and_stays_in_scope(client, people, items):
    login(client, people.insider)
    page = client.get(reverse("services:catalogue_list")).content.decode()
    assert "医保账单打印" in page and "梧桐睦邻点活动报名" in page and "乙区助餐登记" not in page
    fragment = client.get(reverse("services:catalogue_list"), {"q": "医保"}, headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert "医保账单打印" in text and "人才公寓申请" not in text and "<html" not in text
    assert f'href="{reverse("excel:export", args=["service_items"])}?q=' in text
    assert client.get(reverse("services:catalogue_list"), {"bookable": "maybe"}).status_code == 400


def test_the_item_page_is_print_friendly_and_editing_is_for_managers(client, people, items):
    login(client, people.insider)
    page = client.get(reverse("services:catalogue_detail", args=[items["city"].pk])).content.decode()
    assert "《医保办法》" in page and "身份证" in page and "data-print" in page and "edit-item" not in page
    assert client.get(reverse("services:catalogue_edit", args=[items["a"].pk])).status_code == 403
    assert client.get(reverse("services:catalogue_detail", args=[items["b"].pk])).status_code == 404


def test_a_manager_creates_an_item_with_its_checklist_and_sees_field_errors(client, people, items, street):
    login(client, people.admin)
    url = reverse("services:catalogue_create")
    data = {"code": "S1", "name": "便民理发预约", "category": sf.category().pk, "level": "subdistrict",
            "region": street.subdistrict.pk, "time_limit_days": 0, "fee": "0", "position": 0, "for_residents": "on",
            "materials": "身份证\n老年卡（可选）"}
    r = client.post(url, data | {"code": "C1", "level": "city"})
    assert r.status_code == 422
    body = r.content.decode()
    with translation.override("zh-hans"):
        expected = [translation.gettext("This code is already in use."),
                    translation.gettext("A city-wide item belongs to no region: leave it empty.")]
    assert all(message in body for message in expected)
    r = client.post(url, data)
    made = ServiceItem.objects.get(code="S1")
    assert r.status_code == 302 and r["Location"] == reverse("services:catalogue_detail", args=[made.pk])
    assert [(m.name, m.required) for m in made.materials.all()] == [("身份证", True), ("老年卡", False)]
    edit = client.get(reverse("services:catalogue_edit", args=[made.pk])).content.decode()
    assert "老年卡（可选）" in edit


def test_deactivating_takes_an_item_out_of_the_public_catalogue(client, people, items):
    login(client, people.admin)
    r = client.post(reverse("services:catalogue_active", args=[items["city"].pk]), {"active": "0"})
    assert r.status_code == 302
    items["city"].refresh_from_db()
    assert not items["city"].active
    client.logout()
    assert client.get(reverse("services:catalogue_h5_item", args=[items["city"].pk])).status_code == 404


def test_categories_are_listed_and_edited_by_managers(client, people, items):
    login(client, people.admin)
    r = client.post(reverse("services:catalogue_category_create"), {"code": "elderly", "name": "为老服务",
                                                                      "position": 2})
    assert r.status_code == 302
    page = client.get(reverse("services:catalogue_categories")).content.decode()
    assert "为老服务" in page and "住房保障" in page
    login(client, people.insider)
    assert client.get(reverse("services:catalogue_category_create")).status_code == 403


def test_the_public_h5_catalogue_searches_by_keyword_category_and_audience(client, street, items):
    url = reverse("services:catalogue_h5")
    page = client.get(url, {"region": street.area_a.pk}).content.decode()
    assert "梧桐睦邻点活动报名" in page and "医保账单打印" in page and "乙区助餐登记" not in page
    assert "梧桐睦邻点活动报名" not in client.get(url).content.decode()  # without a region: city-wide only
    found = client.get(url, {"region": street.area_a.pk, "q": "医保"}).content.decode()
    assert "医保账单打印" in found and "人才公寓申请" not in found
    office = client.get(url, {"audience": "office_workers"}).content.decode()
    assert "人才公寓申请" in office and "医保账单打印" not in office
    housing = client.get(url, {"category": items["office"].category_id}).content.decode()
    assert "人才公寓申请" in housing and "医保账单打印" not in housing


def test_the_public_item_page_shows_the_checklist_and_the_booking_link(client, items):
    page = client.get(reverse("services:catalogue_h5_item", args=[items["a"].pk])).content.decode()
    assert "身份证" in page and "户口簿" in page and "/services/h5/appointments/book/?item=A1" in page
    other = client.get(reverse("services:catalogue_h5_item", args=[items["city"].pk])).content.decode()
    assert 'id="book"' not in other and 'id="remote-note"' in other
