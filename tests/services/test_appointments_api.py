"""The appointments API: public slots, SMS code and booking (with the token and code, as the H5 page does), a
booking seen and cancelled by its code and last four digits; the staff list (masked) and the check-in."""

from __future__ import annotations

import json
from datetime import timedelta

from django.utils import timezone

from gongzhi.services.models import Appointment
from gongzhi.services.services import appointments as services
from gongzhi.services.workflow import AppointmentState
from tests import factories
from tests.conftest import login
from tests.services import appointments_world as w
from tests.services.appointments_world import slot, sms_code

booking, outbox = w.booking, w.outbox  # fixtures
PHONE = "13912345678"
API = "/api/v1/services/appointments"


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_a_resident_books_and_cancels_through_the_api(client, booking, outbox, django_capture_on_commit_callbacks):
    day = slot(days=2).date()
    r = client.get(f"{API}/slots", {"place": booking.place.code, "item": booking.item.code, "day": day.isoformat()})
    assert r.status_code == 200
    starts = [s["starts_at"] for s in r.json()]
    # 9:00–11:30 and 13:00–17:00 in 30 minutes
    assert len(starts) == 13 and all(s["remaining"] == 2 for s in r.json())
    assert client.get(f"{API}/slots").json() == []
    with django_capture_on_commit_callbacks(execute=True):
        r = post(client, f"{API}/phone-code", {"phone": PHONE})
    assert r.status_code == 202
    token = r.json()["token"]
    body = {"place": booking.place.code, "item": booking.item.code, "starts_at": slot(days=2, hour=10).isoformat(),
            "name": "王阿姨", "phone": PHONE, "token": token, "code": "999999"}
    if sms_code(outbox, PHONE) == "999999":
        body["code"] = "888888"
    r = post(client, f"{API}/book", body)
    assert r.status_code == 422 and "code" in r.json()["errors"] and not Appointment.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        r = post(client, f"{API}/book", body | {"code": sms_code(outbox, PHONE)})
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    assert r.json()["state"] == "booked" and code in outbox[-1][1]
    assert client.get(f"{API}/public/{code}", {"last4": "0000"}).status_code == 404
    r = client.get(f"{API}/public/{code}", {"last4": "5678"})
    assert r.status_code == 200 and r.json()["item"] == booking.item.name and "phone" not in r.json()
    r = post(client, f"{API}/public/{code}/cancel", {"last4": "5678"})
    assert r.status_code == 200 and r.json()["state"] == "cancelled"
    assert post(client, f"{API}/public/{code}/cancel", {"last4": "5678"}).status_code == 409


def test_a_full_slot_answers_409(client, booking, outbox, django_capture_on_commit_callbacks):
    for phone in ("13900000001", "13900000002"):
        services.book_appointment(booking.place, item=booking.item, starts_at=slot(days=2, hour=10), name="张",
                                  phone=phone, proven_phone=phone)
    with django_capture_on_commit_callbacks(execute=True):
        token = post(client, f"{API}/phone-code", {"phone": PHONE}).json()["token"]
    r = post(client, f"{API}/book", {"place": booking.place.code, "item": booking.item.code,
                                     "starts_at": slot(days=2, hour=10).isoformat(), "name": "王阿姨", "phone": PHONE,
                                     "token": token, "code": sms_code(outbox, PHONE)})
    assert r.status_code == 409 and r.json()["code"] == "slot_full"
    assert Appointment.objects.count() == 2


def test_staff_list_and_check_in(client, street, people, booking):
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    services.import_appointments([services.PastAppointment(
        place=booking.place, item=booking.item, starts_at=start, ends_at=start + timedelta(minutes=30), name="李先生",
        phone=PHONE, booked_at=start - timedelta(days=1))], actor=services.SYSTEM)
    appt = Appointment.objects.get()
    login(client, people.colleague)
    assert client.get(API).status_code == 403
    login(client, people.outsider)
    assert client.get(API).json()["items"] == []
    assert client.post(f"{API}/{appt.pk}/check-in").status_code == 404
    login(client, people.insider)
    rows = client.get(API, {"place": booking.place.pk}).json()["items"]
    assert [r["code"] for r in rows] == [appt.code] and rows[0]["phone"] == PHONE  # may see personal data
    assert rows[0]["actions"] == ["check_in", "reschedule", "cancel"]
    r = client.post(f"{API}/{appt.pk}/check-in")
    assert r.status_code == 200 and r.json()["state"] == AppointmentState.CHECKED_IN
    assert client.post(f"{API}/{appt.pk}/check-in").status_code == 409
    login(client, factories.user("viewer", "district_viewer", street.district))
    rows = client.get(API).json()["items"]
    assert rows[0]["phone"] == "139****5678" and rows[0]["name"] == "李**" and rows[0]["actions"] == []
