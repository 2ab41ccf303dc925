"""The pages of the cases part: accepting a case (the checklist loaded with htmx, field errors), the incomplete
case's printable notice, the case page (masked phone and ID, the steps by policy, remote sessions), the list and
the back office's queue, and their scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongzhi.core.masking import mask_phone
from gongzhi.services.models import Case
from gongzhi.services.services import cases as services
from gongzhi.services.workflow import CaseState
from tests.conftest import login
from tests.services import factories as f

PHONE = "13812345678"
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def station(street):
    return f.place(street.area_a, "梧桐家门口服务站")


@pytest.fixture
def item(street):
    return f.item("居民医保参保登记", materials=("身份证", "户口簿"), time_limit_days=5)


def ids(item_):
    return list(item_.materials.values_list("pk", flat=True))


def test_the_accept_form_loads_the_checklist_with_htmx(client, people, station, item):
    login(client, people.insider)
    page = client.get(reverse("services:cases_open")).content.decode()
    assert station.name in page and item.name in page and 'hx-get="/services/cases/new/materials/"' in page
    fragment = client.get(reverse("services:cases_materials"), {"item": item.pk},
                          headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'name="provided"' in fragment and "户口簿" in fragment
    options = client.get(reverse("services:cases_items"), {"q": "医保"}).content.decode()
    assert item.name in options
    assert item.name not in client.get(reverse("services:cases_items"), {"q": "不存在的事项"}).content.decode()


def test_accepting_with_every_material_opens_an_accepted_case(client, people, station, item):
    login(client, people.insider)
    response = client.post(reverse("services:cases_open"), {
        "place": station.pk, "item": item.pk, "provided": ids(item), "applicant_name": "王阿姨",
        "applicant_phone": PHONE, "applicant_id_number": ID_NUMBER})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("services:cases_detail", args=[case.pk])
    assert case.state == CaseState.ACCEPTED and case.applicant_phone == PHONE


def test_missing_materials_lead_to_the_printable_notice(client, people, station, item):
    login(client, people.insider)
    first = item.materials.get(name="身份证")
    response = client.post(reverse("services:cases_open"), {
        "place": station.pk, "item": item.pk, "provided": [first.pk], "applicant_name": "王阿姨",
        "applicant_phone": PHONE})
    case = Case.objects.get()
    assert case.state == CaseState.INCOMPLETE
    assert response["Location"] == reverse("services:cases_notice", args=[case.pk])
    notice = client.get(response["Location"]).content.decode()
    missing = notice.split('id="missing"')[1].split("</ol>")[0]
    assert "户口簿" in missing and "身份证" not in missing
    assert "data-print" in notice and "no-print" in notice and case.code in notice
    assert PHONE not in notice and mask_phone(PHONE) in notice


def test_bad_input_is_shown_on_the_fields(client, people, station, item):
    login(client, people.insider)
    response = client.post(reverse("services:cases_open"), {
        "place": station.pk, "item": item.pk, "applicant_name": "王阿姨", "applicant_phone": "12345",
        "applicant_id_number": "110105194912310021"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="row-applicant_phone"' in page and "has-error" in page.split('id="row-applicant_phone"')[0][-80:]
    assert "has-error" in page.split('id="row-applicant_id_number"')[0][-80:]
    assert not Case.objects.exists()


def test_a_place_outside_my_scope_is_not_offered_nor_accepted(client, people, street, item):
    other = f.place(street.area_b, "石库门服务站")
    login(client, people.insider)
    assert other.name not in client.get(reverse("services:cases_open")).content.decode()
    response = client.post(reverse("services:cases_open"), {
        "place": other.pk, "item": item.pk, "provided": ids(item), "applicant_name": "王阿姨"})
    assert response.status_code == 422 and not Case.objects.exists()  # not a choice of the form


def test_the_case_page_masks_and_offers_the_steps_by_policy(client, people, station, item):
    case, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="王阿姨",
                                  applicant_phone=PHONE, applicant_id_number=ID_NUMBER, provided=ids(item))
    login(client, people.insider)
    page = client.get(reverse("services:cases_detail", args=[case.pk])).content.decode()
    assert PHONE not in page and mask_phone(PHONE) in page and ID_NUMBER not in page
    assert 'id="action-forward"' in page and 'id="action-complete"' in page and 'id="action-receive"' not in page
    assert 'id="remote-form"' in page and "reveal" in page
    assert client.get(reverse("services:cases_detail", args=[case.pk]), {"reveal": "1"}).content.decode().count(
        PHONE) == 0  # a reveal id that is not one of mine shows nothing
    client.post(reverse("services:cases_act", args=[case.pk]), {"action": "forward", "back_office": "区社保中心"})
    case.refresh_from_db()
    assert case.state == CaseState.FORWARDED
    client.post(reverse("services:cases_act", args=[case.pk]), {"action": "receive"})
    case.refresh_from_db()
    assert case.state == CaseState.FORWARDED  # the station worker is not the back office: refused
    login(client, people.admin)
    page = client.get(reverse("services:cases_detail", args=[case.pk])).content.decode()
    assert 'id="action-receive"' in page and 'id="action-send_back"' in page
    client.post(reverse("services:cases_act", args=[case.pk]), {"action": "receive"})
    client.post(reverse("services:cases_act", args=[case.pk]), {"action": "complete", "result": "办结"})
    case.refresh_from_db()
    assert (case.state, case.visits) == (CaseState.DONE, 1)


def test_remote_session_from_the_page(client, people, station, item):
    case, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="王阿姨",
                                  provided=ids(item))
    login(client, people.insider)
    client.post(reverse("services:cases_remote", args=[case.pk]),
                {"kind": "phone", "duration_minutes": "8", "outcome": "长护险电话咨询"})
    assert "长护险电话咨询" in client.get(reverse("services:cases_detail", args=[case.pk])).content.decode()


def test_list_filters_masks_and_scope(client, people, street, station, item):
    mine, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="王阿姨",
                                  applicant_phone=PHONE, provided=ids(item))
    other_station = f.place(street.area_b)
    theirs, _m = services.open_case(other_station, actor=people.outsider, item=item, applicant_name="石库门李",
                                    provided=ids(item))
    login(client, people.insider)
    page = client.get(reverse("services:cases_list")).content.decode()
    assert mine.code in page and theirs.code not in page and PHONE not in page and mask_phone(PHONE) in page
    assert mine.code in client.get(reverse("services:cases_list"), {"q": "王阿"}).content.decode()
    assert mine.code not in client.get(reverse("services:cases_list"), {"state": "done"}).content.decode()
    fragment = client.get(reverse("services:cases_list"), {"q": "王"}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode() and mine.code in fragment.content.decode()
    assert client.get(reverse("services:cases_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("services:cases_queue")).status_code == 403


def test_the_back_office_queue(client, people, station, item):
    case, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="王阿姨",
                                  provided=ids(item))
    waiting, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="李",
                                     provided=ids(item))
    services.act_on_case(case, "forward", actor=people.insider, back_office="区社保中心")
    login(client, people.admin)
    page = client.get(reverse("services:cases_queue")).content.decode()
    assert case.code in page and waiting.code not in page
