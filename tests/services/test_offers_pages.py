"""Pages, API and Excel of the offers part: the place list and page in scope (outsider 404), the edit forms with
field errors, the staff calendar's counts per slot with holidays and make-up days marked, the public slots API and
its 422, the staff's PUT of plans and rules, the Excel export and all-or-nothing import, the workbench card."""

import io
import json
from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongzhi.core.excel import export_workbook, get_spec, import_file
from gongzhi.core.workbench import cards_for
from gongzhi.demands.models import CalendarDay
from gongzhi.services.models import Appointment, BookingRules, Duty, Offer, WorkingPlan
from gongzhi.services.selectors import offers as sel
from tests import factories
from tests.conftest import login
from tests.core.test_excel import xlsx
from tests.services import factories as f

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 9, 28)


@pytest.fixture
def station(street, people):
    place = f.open_place(f.place(street.area_a, "梧桐服务站"), weekdays=range(5), capacity=2)
    Duty.objects.create(place=place, user=people.insider, weekday=0)
    return place


def book(place, item, start, seat=1, state="booked"):
    return Appointment.objects.create(code=f"A{factories.seq():07d}", place=place, item=item, starts_at=start,
                                      ends_at=start + timedelta(minutes=30), seat=seat, state=state, name="李先生",
                                      phone="13900139000")


def at(day, hh, mm=0):
    return timezone.make_aware(timezone.datetime.combine(day, time(hh, mm)))


def test_the_place_list_and_page_are_scoped(client, people, street, station):
    f.offer(station, f.item("居民医保参保登记", keywords="医保"))
    f.offer(station, f.item("护照申领", category=f.category("exit", "出入境")))
    other = f.place(street.area_b, "石库门服务站")
    page = login(client, people.insider).get(reverse("services:offers_places")).content.decode()
    assert "梧桐服务站" in page and "石库门服务站" not in page and "09:00–11:30, 13:00–17:00" in page
    detail = client.get(reverse("services:offers_place", args=[station.pk]))
    assert detail.status_code == 200 and "出入境" in detail.content.decode()
    searched = client.get(reverse("services:offers_place", args=[station.pk]), {"q": "医保"}).content.decode()
    assert "居民医保参保登记" in searched and "护照申领" not in searched
    assert client.get(reverse("services:offers_place", args=[other.pk])).status_code == 404
    login(client, people.outsider)
    assert client.get(reverse("services:offers_place", args=[station.pk])).status_code == 404
    assert client.get(reverse("services:offers_calendar", args=[station.pk])).status_code == 404
    assert client.get(reverse("services:offers_plan", args=[station.pk])).status_code == 403


def test_the_items_form_offers_exactly_the_ticked_items(client, people, station):
    keep, drop, new = f.item("甲"), f.item("乙"), f.item("丙")
    f.offer(station, keep)
    f.offer(station, drop)
    login(client, people.admin)
    url = reverse("services:offers_items", args=[station.pk])
    assert "丙" in client.get(url).content.decode()
    response = client.post(url, {"items": [keep.code, new.code]})
    assert response.status_code == 302
    assert set(sel.offers_of(station).values_list("item__name", flat=True)) == {"甲", "丙"}
    assert not Offer.objects.get(item=drop).active


def test_the_plan_form_shows_the_services_field_errors(client, people, station):
    login(client, people.admin)
    url = reverse("services:offers_plan", args=[station.pk])
    data = {"open_0": "on", "opens_at_0": "09:00", "closes_at_0": "08:00", "open_6": "on", "opens_at_6": "09:00",
            "closes_at_6": "12:00"}
    response = client.post(url, data)
    assert response.status_code == 422
    assert "closes_at_0" in response.context["form"].errors
    assert WorkingPlan.objects.filter(place=station).count() == 5  # unchanged
    data["closes_at_0"] = "12:00"
    assert client.post(url, data).status_code == 302
    assert sorted(WorkingPlan.objects.filter(place=station).values_list("weekday", flat=True)) == [0, 6]


def test_the_rules_and_roster_forms(client, people, station):
    login(client, people.admin)
    url = reverse("services:offers_rules", args=[station.pk])
    bad = {"slot_minutes": 30, "capacity": 2, "min_notice_hours": 100, "max_advance_days": 1, "max_per_phone": 3,
           "remind_hours_before": 24}
    response = client.post(url, bad)
    assert response.status_code == 422 and "min_notice_hours" in response.context["form"].errors
    assert client.post(url, {**bad, "min_notice_hours": 2, "capacity": 4}).status_code == 302
    assert BookingRules.objects.get(place=station).capacity == 4
    url = reverse("services:offers_roster", args=[station.pk])
    page = client.get(url).content.decode()
    assert str(people.insider) in page and str(people.outsider) not in page  # only who may serve here
    assert client.post(url, {"duties": [f"{people.insider.pk}-2", f"{people.admin.pk}-3"]}).status_code == 302
    assert set(Duty.objects.filter(place=station).values_list("user", "weekday")) == {
        (people.insider.pk, 2), (people.admin.pk, 3)}
    response = client.post(url, {"duties": [f"{people.outsider.pk}-2"]})  # not offered: a form error
    assert response.status_code == 422


def test_the_staff_calendar_counts_bookings_per_slot_and_marks_holidays(client, people, station):
    item = f.item(bookable=True)
    f.offer(station, item)
    book(station, item, at(MONDAY, 9), seat=1)
    book(station, item, at(MONDAY, 9), seat=2, state="checked_in")
    book(station, item, at(MONDAY, 9, 30), seat=1, state="cancelled")  # holds no seat
    CalendarDay.objects.create(date=MONDAY + timedelta(days=3), is_working=False, note="国庆节")
    CalendarDay.objects.create(date=MONDAY + timedelta(days=6), is_working=True, note="国庆调休")
    days = sel.week(station, MONDAY + timedelta(days=2))
    assert [d.day for d in days] == [MONDAY + timedelta(days=i) for i in range(7)]
    monday = days[0]
    assert (monday.slots[0].booked, monday.slots[0].capacity, monday.slots[0].full) == (2, 2, True)
    assert monday.slots[1].booked == 0 and monday.booked == 2 and monday.staff == [people.insider]
    assert days[3].holiday and not days[3].open and days[3].note == "国庆节"
    assert days[5].note and not days[5].open  # Saturday: not in this plan
    assert days[6].make_up and days[6].open and days[6].staff == [people.insider]  # Monday's plan and roster
    login(client, people.insider)
    page = client.get(reverse("services:offers_calendar", args=[station.pk]), {"week": MONDAY.isoformat()})
    text = page.content.decode()
    assert page.status_code == 200 and "2 / 2" in text and "国庆节" in text and "国庆调休" in text and "data-print" in text
    bad = client.get(reverse("services:offers_calendar", args=[station.pk]), {"week": "2026-13-45"})
    assert bad.status_code == 400


def test_the_public_slots_api_gives_seats_left_and_refuses_an_item_not_offered(client, station):
    item, other = f.item(bookable=True), f.item("未提供")
    f.offer(station, item, capacity=3)
    day = timezone.localdate() + timedelta(days=7)
    while day.weekday() != 0:
        day += timedelta(days=1)
    book(station, item, at(day, 9), seat=2)
    url = f"/api/v1/services/offers/places/{station.pk}/slots"
    response = client.get(url, {"item": item.pk, "day": day.isoformat()})  # anonymous
    assert response.status_code == 200
    body = response.json()
    assert body["open"] and len(body["slots"]) == 13
    assert (body["slots"][0]["capacity"], body["slots"][0]["remaining"], body["slots"][0]["bookable"]) == (3, 2, True)
    assert body["slots"][1]["remaining"] == 3
    refused = client.get(url, {"item": other.pk, "day": day.isoformat()})
    assert refused.status_code == 422 and "item" in refused.json()["errors"]
    assert client.get(url, {"item": item.pk, "day": "2026-02-30"}).status_code == 422
    assert client.get(f"/api/v1/services/offers/places/{station.pk + 999}/slots").status_code == 404
    saturday = day + timedelta(days=5)
    assert client.get(url, {"item": item.pk, "day": saturday.isoformat()}).json()["slots"] == []


def test_staff_put_plans_and_rules_through_the_api(client, people, station):
    url = f"/api/v1/services/offers/places/{station.pk}/working-plan"
    body = {"days": [{"weekday": 0, "opens_at": "09:00", "closes_at": "12:00"},
                     {"weekday": 2, "opens_at": "13:00", "closes_at": "17:00", "break_starts_at": "15:00",
                      "break_ends_at": "15:30"}]}
    login(client, people.insider)
    assert client.put(url, json.dumps(body), content_type="application/json").status_code == 403
    login(client, people.admin)
    response = client.put(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200 and [r["weekday"] for r in response.json()] == [0, 2]
    assert sel.opening(station, MONDAY + timedelta(days=2), {}) == [(time(13), time(15)), (time(15, 30), time(17))]
    body["days"][1]["break_starts_at"] = "18:00"
    body["days"][1]["break_ends_at"] = "18:30"
    refused = client.put(url, json.dumps(body), content_type="application/json")
    assert refused.status_code == 422 and "break_starts_at_2" in refused.json()["errors"]
    rules = {"slot_minutes": 20, "capacity": 5, "min_notice_hours": 1, "max_advance_days": 7, "max_per_phone": 2,
             "remind_hours_before": 12}
    url = f"/api/v1/services/offers/places/{station.pk}/booking-rules"
    assert client.put(url, json.dumps(rules), content_type="application/json").json()["capacity"] == 5
    assert client.put(url, json.dumps({**rules, "min_notice_hours": 200}),
                      content_type="application/json").status_code == 422
    assert client.put(url, json.dumps({**rules, "capacity": 0}), content_type="application/json").status_code == 422


def test_the_staff_api_lists_places_in_scope_with_their_offers(client, people, street, station):
    f.offer(station, f.item("居民医保参保登记"))
    f.place(street.area_b, "石库门服务站")
    body = login(client, people.insider).get("/api/v1/services/offers/places").json()
    assert [p["name"] for p in body] == ["梧桐服务站"]
    assert body[0]["offers"][0]["item_name"] == "居民医保参保登记"


def test_excel_export_and_all_or_nothing_import_of_offers(people, street, station):
    item, other = f.item("甲", code="IT-1"), f.item("乙", code="IT-2")
    elsewhere = f.item("石库门自有", code="IT-B", region=street.area_b)
    f.offer(station, item, capacity=2)
    b_place = f.place(street.area_b)
    f.offer(b_place, f.item("丙"))
    spec = get_spec("service_offers")
    rows = list(load_workbook(io.BytesIO(export_workbook(spec, people.insider))).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("站点编码", "站点名称", "事项编码", "事项名称", "每时段容量")
    assert [r[2] for r in rows[1:] if r[0] == station.code] == ["IT-1"]
    assert not [r for r in rows[1:] if r[0] == b_place.code]  # out of the insider's scope
    headers = ["站点编码", "事项编码", "每时段容量"]
    result = import_file(spec, xlsx(headers, [station.code, "IT-1", 5], [station.code, "IT-2", ""],
                                    [station.code, "IT-B", 1]), people.admin)
    assert result.errors and result.errors[0]["row"] == 4
    assert Offer.objects.get(place=station, item=item).capacity == 2 and not Offer.objects.filter(item=other).exists()
    result = import_file(spec, xlsx(headers, [station.code, "IT-1", 5], [station.code, "IT-2", ""]), people.admin)
    assert result.errors == [] and (result.created, result.updated) == (1, 1)
    assert Offer.objects.get(place=station, item=item).capacity == 5
    assert sel.capacity(station, other) == 2  # the place's default
    refused = import_file(spec, xlsx(headers, [station.code, "IT-1", 0]), people.admin)
    assert refused.errors and Offer.objects.get(place=station, item=item).capacity == 5
    assert elsewhere.pk and not import_file(spec, xlsx(headers, [station.code, "IT-2", 1]), people.insider).ok


def test_excel_export_of_the_roster(people, station):
    rows = list(load_workbook(io.BytesIO(export_workbook(get_spec("service_roster"), people.admin))).active
                .iter_rows(values_only=True))
    assert rows[0][:5] == ("站点编码", "站点名称", "星期", "星期名", "账号")
    assert rows[1][:5] == (station.code, station.name, 0, "周一", people.insider.username)


def test_the_workbench_card_shows_my_places_today(people, station):
    today = timezone.localdate()
    Duty.objects.filter(place=station).update(weekday=today.weekday())
    WorkingPlan.objects.get_or_create(place=station, weekday=today.weekday(), defaults={
        "opens_at": time(9), "closes_at": time(17), "break_starts_at": time(11, 30), "break_ends_at": time(13)})
    item = f.item(bookable=True)
    book(station, item, at(today, 9))
    card = next(c for c in cards_for(people.insider) if c["key"] == "services.my_places")
    assert card["count"] == 1 and card["items"][0]["value"] == "1/26"  # 13 slots × 2 seats
    assert "梧桐服务站" in card["items"][0]["text"]
    assert not [c for c in cards_for(people.colleague) if c["key"] == "services.my_places"]
    assert next(c for c in cards_for(people.outsider) if c["key"] == "services.my_places")["count"] == 0
