"""The pages over HTTP: a resident books on H5 (item, place, day, slot, name and phone, SMS code, the booking
code), manages the booking with the code and the last four digits; staff see a place's day, check in, filter the
list and export it with the phone masked; the workbench card counts today's appointments at my place."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongzhi.services.models import Appointment, Duty
from gongzhi.services.services import appointments as services
from gongzhi.services.workflow import AppointmentState
from tests.conftest import login
from tests.services import appointments_world as w
from tests.services.appointments_world import slot, sms_code

booking, outbox = w.booking, w.outbox  # fixtures
PHONE = "13912345678"
BOOK = reverse("services:appointments_h5_book")
MANAGE = reverse("services:appointments_h5_manage")


def test_a_resident_books_on_h5_and_manages_the_booking(client, booking, outbox, django_capture_on_commit_callbacks):
    r = client.get(BOOK)
    assert r.status_code == 200 and booking.item.name in r.content.decode()
    r = client.get(BOOK, {"item": booking.item.code})
    assert booking.place.name in r.content.decode()
    day = slot(days=2).date()
    page = {"item": booking.item.code, "place": booking.place.code, "day": day.isoformat()}
    url = f"{BOOK}?item={booking.item.code}&place={booking.place.code}&day={day.isoformat()}"
    r = client.get(BOOK, page)
    body = r.content.decode()
    assert r.status_code == 200 and slot(days=2, hour=10).isoformat() in body
    assert slot(days=2, hour=12).isoformat() not in body  # the break offers no slot
    # an incomplete form comes back with its errors and sends nothing
    r = client.post(url, {"step": "book", "starts_at": slot(days=2, hour=10).isoformat(), "name": "", "phone": PHONE})
    assert r.status_code == 422 and not outbox
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"step": "book", "starts_at": slot(days=2, hour=10).isoformat(), "name": "王阿姨",
                              "phone": PHONE, "note": "带老人证"})
    assert r.status_code == 200 and 'id="code-form"' in r.content.decode()
    assert not Appointment.objects.exists()  # nothing before the code
    r = client.post(url, {"step": "code", "code": "000000" if sms_code(outbox, PHONE) != "000000" else "111111"})
    assert r.status_code == 422 and not Appointment.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"step": "code", "code": sms_code(outbox, PHONE)})
    assert r.status_code == 302 and r["Location"] == reverse("services:appointments_h5_done")
    appt = Appointment.objects.get()
    assert (appt.starts_at, appt.name, appt.phone, appt.note) == (slot(days=2, hour=10), "王阿姨", PHONE, "带老人证")
    assert appt.code in outbox[-1][1]
    r = client.get(r["Location"])
    assert appt.code in r.content.decode()

    # manage: a wrong code, then the right one; reschedule, then cancel
    resident = client.__class__()
    r = resident.post(MANAGE, {"code": appt.code, "last4": "0000"})
    assert r.status_code == 422 and 'id="appointment"' not in r.content.decode()
    r = resident.post(MANAGE, {"code": appt.code.lower(), "last4": "5678"})
    assert r.status_code == 302
    r = resident.get(MANAGE)
    assert appt.code in r.content.decode() and 'id="cancel-form"' in r.content.decode()
    move = reverse("services:appointments_h5_reschedule")
    new_day = slot(days=3).date()
    r = resident.get(move, {"day": new_day.isoformat()})
    assert slot(days=3, hour=14).isoformat() in r.content.decode()
    r = resident.post(f"{move}?day={new_day.isoformat()}", {"starts_at": slot(days=3, hour=14).isoformat()})
    assert r.status_code == 302
    appt.refresh_from_db()
    assert appt.starts_at == slot(days=3, hour=14)
    r = resident.post(reverse("services:appointments_h5_cancel"))
    appt.refresh_from_db()
    assert r.status_code == 302 and appt.state == AppointmentState.CANCELLED
    # another visitor without the proof is sent to the form
    assert client.__class__().post(reverse("services:appointments_h5_cancel")).status_code == 302


def test_a_full_slot_is_not_offered_and_a_race_lost_says_so(client, booking, outbox,
                                                            django_capture_on_commit_callbacks):
    url = f"{BOOK}?item={booking.item.code}&place={booking.place.code}&day={slot(days=2).date().isoformat()}"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"step": "book", "starts_at": slot(days=2, hour=10).isoformat(), "name": "王阿姨",
                          "phone": PHONE})
    for phone in ("13900000001", "13900000002"):  # meanwhile two others take both seats
        services.book_appointment(booking.place, item=booking.item, starts_at=slot(days=2, hour=10), name="张",
                                  phone=phone, proven_phone=phone)
    r = client.post(url, {"step": "code", "code": sms_code(outbox, PHONE)})
    assert r.status_code == 422 and Appointment.objects.count() == 2
    assert "该时段已约满" in r.content.decode() or "This slot is fully booked." in r.content.decode()
    assert slot(days=2, hour=10).isoformat() not in client.get(url).content.decode()


def _today(b, hour=9, phone="13900000007"):
    start = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    row = services.PastAppointment(place=b.place, item=b.item, starts_at=start, ends_at=start + timedelta(minutes=30),
                                   name="李先生", phone=phone, booked_at=start - timedelta(days=1))
    services.import_appointments([row], actor=services.SYSTEM)
    return Appointment.objects.get(place=b.place, starts_at=start)


def test_staff_see_the_day_check_in_and_the_card(client, people, booking):
    from gongzhi.core.workbench import cards_for

    appt = _today(booking)
    Duty.objects.create(place=booking.place, user=people.insider, weekday=timezone.localdate().weekday())
    login(client, people.insider)
    r = client.get(reverse("services:appointments_day"))
    body = r.content.decode()
    assert r.status_code == 200 and appt.code in body and "139****0007" in body and "13900000007" not in body
    assert "李**" in body or "李*" in body
    card = next(c for c in cards_for(people.insider) if c["key"] == "services.appointments_today")
    assert card["count"] == 1 and booking.item.name in card["items"][0]["text"]
    r = client.post(reverse("services:appointments_check_in", args=[appt.pk]))
    assert r.status_code == 302
    appt.refresh_from_db()
    assert appt.state == AppointmentState.CHECKED_IN
    card = next(c for c in cards_for(people.insider) if c["key"] == "services.appointments_today")
    assert card["count"] == 0
    login(client, people.outsider)
    assert client.post(reverse("services:appointments_check_in", args=[appt.pk])).status_code == 404
    assert appt.code not in client.get(reverse("services:appointments_list")).content.decode()


def test_the_list_filters_and_exports_masked(client, people, booking):
    today = _today(booking)
    later = services.book_appointment(booking.place, item=booking.item, starts_at=slot(days=2), name="王阿姨",
                                      phone=PHONE, proven_phone=PHONE)
    login(client, people.admin)
    url = reverse("services:appointments_list")
    body = client.get(url).content.decode()
    assert today.code in body and later.code in body
    body = client.get(url, {"day": slot(days=2).date().isoformat()}).content.decode()
    assert later.code in body and today.code not in body
    body = client.get(url, {"state": "checked_in"}).content.decode()
    assert later.code not in body and today.code not in body
    r = client.get(reverse("excel:export", args=["appointments"]), {"q": later.code})
    content = b"".join(r.streaming_content) if r.streaming else r.content
    cells = [str(v) for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True) for v in row if v]
    assert later.code in cells and "139****5678" in cells and PHONE not in cells and today.code not in cells
    assert re.search("王\\*+", " ".join(cells))
