"""Issue 15's walk in a real browser: doorstep services (家门口服务 / 全岗通) the way 003 tells of Lujiazui's 市新
station, "一口受理、一网通办" and "只跑一次".

A resident on a phone opens the public H5 catalogue, finds 居民医保参保登记 with its materials, and books a slot at
area A's station for the next open day after an SMS code; the booking code is on the last page → the periodic
reminder tick sends the reminder (place, time, code) through the console SMS backend, the default one that writes
each message to the log with the number masked (the test reads the log; a tick before the reminder window sends
nothing, a second tick nothing again) → on the appointment's day area A's secretary, on duty at the station, checks
the resident in on the day's appointments page → at area B's station its secretary (a station worker, on duty there)
accepts 老年综合津贴申请, an item area B's station does not offer (全岗通: any worker accepts any item), ticks every
material, enters the applicant and forwards the case to the back office (一网通办) → the sub-district's back office
receives it from its queue and completes it → the case page shows it done in one visit with the applicant's phone
masked, and the station-load page counts it for area B's station today: opened, done, forwarded, and a one-visit
share of 100 %.

Every step goes through the pages a user sees. The shortcuts: the starting world, built with
tests/services/factories.py (the street, its people, the two stations' working plans, booking rules, offers and
duty roster); the reminder tick, run as the cron job would with a `now` two hours before the slot (and once with a
`now` before the reminder window); and the clock for the check-in: a booking needs the place's minimum notice (two
hours), and the test must not depend on the time of day it runs at, so the resident books the next open day, and
when the reminder has gone out the appointment's slot is moved to the same hour today ("the day has come"), since a
check-in is only taken on the appointment's day."""

import logging
import re
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.core.masking import mask_phone
from gongzhi.demands.notify import MemoryNotifier
from gongzhi.services.models import Appointment, Case, Duty
from gongzhi.services.selectors import appointments as appointment_selectors
from gongzhi.services.services.appointments import send_reminders
from gongzhi.services.workflow import AppointmentState, CaseState
from tests import factories
from tests.browser.conftest import log_in
from tests.browser.test_fumes_case import Phones, submit, zh
from tests.browser.test_funds_project import nav
from tests.services import factories as sf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESIDENT, RESIDENT_PHONE = "陈阿姨", "13917150001"
APPLICANT, APPLICANT_PHONE = "马老伯", "13917150002"


@pytest.fixture
def sms(settings):
    settings.GONGZHI_SMS_BACKEND = "gongzhi.demands.notify.MemoryNotifier"
    MemoryNotifier.outbox.clear()
    yield MemoryNotifier.outbox
    MemoryNotifier.outbox.clear()


class Desks:
    """Staff members' desktop browsers: one browser context each (each its own log-in), whose pages the
    Content-Security-Policy must not refuse anything on."""

    def __init__(self, browser, live_server):
        self.browser, self.live_server, self.contexts, self.refused = browser, live_server, [], []

    def log_in(self, username: str):
        context = self.browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        self.contexts.append(context)
        pg = context.new_page()
        pg.set_default_timeout(15000)
        pg.on("console", lambda m: self.refused.append(m.text) if "Content Security Policy" in m.text else None)
        log_in(pg, self.live_server, username, factories.PASSWORD)
        return pg

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def phones(browser):
    made = Phones(browser)
    yield made
    made.close()
    assert not made.refused, f"refused by the Content-Security-Policy on a phone: {made.refused[:3]}"


@pytest.fixture
def desks(browser, live_server):
    made = Desks(browser, live_server)
    yield made
    made.close()
    assert not made.refused, f"refused by the Content-Security-Policy at a desk: {made.refused[:3]}"


def build_the_world():
    """The factories' street and its people; area A's station (open every day 9–17 with a lunch break, bookable)
    offers the bookable 居民医保参保登记 and the counter item 老年综合津贴申请; area B's station offers only the
    bookable item; area A's secretary is on duty at A's station every day, area B's secretary at B's."""
    street = factories.street()
    people = factories.personas(street)
    insurance = sf.item("居民医保参保登记", materials=("身份证", "户口簿"), bookable=True, time_limit_days=5,
                        keywords="医保 参保")
    allowance = sf.item("老年综合津贴申请", category=sf.category("elderly", "为老服务"),
                        materials=("身份证", "户口簿", "银行卡"), time_limit_days=10, keywords="老年 津贴")
    station_a = sf.open_place(sf.place(street.area_a, "梧桐居民区党群服务站"), capacity=2, min_notice_hours=2,
                              remind_hours_before=24)
    station_b = sf.open_place(sf.place(street.area_b, "石库门居民区党群服务站"), capacity=2, min_notice_hours=2,
                              remind_hours_before=24)
    sf.offer(station_a, insurance)
    sf.offer(station_a, allowance)
    sf.offer(station_b, insurance)
    for weekday in range(7):
        Duty.objects.create(place=station_a, user=people.insider, weekday=weekday, post="综合窗口")
        Duty.objects.create(place=station_b, user=people.outsider, weekday=weekday, post="综合窗口")
    return street, people, insurance, allowance, station_a, station_b


def test_a_booking_is_reminded_and_checked_in_and_a_case_at_another_station_is_done_in_one_visit(
        live_server, sms, phones, desks, caplog, settings):
    cache.clear()  # the rate limits (SMS codes) of other tests in this process
    street, people, insurance, allowance, station_a, station_b = build_the_world()
    url = live_server.url
    today = timezone.localdate()

    # --- 1. a resident finds the item in the public H5 catalogue and books a slot at area A's station ------------
    visitor = phones.new()
    visitor.goto(url + reverse("services:catalogue_h5"))
    visitor.fill("#h5-search [name=q]", "医保")
    submit(visitor, visitor.locator("#h5-search button[type=submit]"))
    expect(visitor.locator("#h5-items li")).to_have_count(1)
    submit(visitor, visitor.locator("#h5-items a", has_text="居民医保参保登记"))
    assert visitor.url == url + reverse("services:catalogue_h5_item", args=[insurance.pk])
    expect(visitor.locator("#materials")).to_contain_text("身份证")
    expect(visitor.locator("#materials")).to_contain_text("户口簿")
    submit(visitor, visitor.locator("#book"))
    expect(visitor.locator("#places li")).to_have_count(2)  # both stations take bookings for it
    submit(visitor, visitor.locator("#places a", has_text=station_a.name))
    expect(visitor.locator("h1")).to_have_text("居民医保参保登记")
    day = next(d for d in appointment_selectors.booking_days(station_a) if d > today)  # the next open day
    submit(visitor, visitor.locator(f".h5-days a[href*='day={day.isoformat()}']"))
    expect(visitor.locator(f".h5-days a[href*='day={day.isoformat()}']")).to_have_attribute("aria-current", "true")
    first_slot = visitor.locator("#slots input[type=radio]").first
    starts_at = first_slot.get_attribute("value")
    first_slot.check()
    form = visitor.locator("#book-form")
    form.locator("[name=name]").fill(RESIDENT)
    form.locator("[name=phone]").fill(RESIDENT_PHONE)
    sms.clear()
    submit(visitor, form.locator("button[type=submit]"))
    expect(visitor.locator("#pending")).to_contain_text(mask_phone(RESIDENT_PHONE))
    assert not Appointment.objects.exists()  # nothing is booked before the phone is proven
    code = re.search(r"\d{6}", [text for phone, text in sms if phone == RESIDENT_PHONE][-1]).group(0)
    visitor.fill("#code-form [name=code]", code)
    submit(visitor, visitor.locator("#code-form button[type=submit]"))
    assert visitor.url == url + reverse("services:appointments_h5_done")
    booking_code = visitor.inner_text("#booking-code").strip()
    appt = Appointment.objects.get(code=booking_code)
    assert (appt.place, appt.item, appt.state, appt.name) == (station_a, insurance, AppointmentState.BOOKED, RESIDENT)
    assert appt.starts_at == datetime.fromisoformat(starts_at) and timezone.localtime(appt.starts_at).date() == day
    slot_time = f"{timezone.localtime(appt.starts_at):%Y-%m-%d %H:%M}"
    expect(visitor.locator("#booked")).to_contain_text(slot_time)
    expect(visitor.locator("#booked")).to_contain_text(station_a.name)
    assert any(phone == RESIDENT_PHONE and booking_code in text for phone, text in sms)  # the code by SMS too

    # --- 2. the reminder tick: the console SMS backend (the log) carries the place, the time and the code -------
    settings.GONGZHI_SMS_BACKEND = ""  # the default: gongzhi.demands.notify.ConsoleNotifier
    sms.clear()
    with caplog.at_level(logging.WARNING, logger="gongzhi.demands.notify"):
        assert send_reminders(appt.starts_at - timedelta(hours=30)) == 0  # before the 24-hour window
        assert "Reminder" not in caplog.text and booking_code not in caplog.text
        assert send_reminders(appt.starts_at - timedelta(hours=2)) == 1
        assert send_reminders(appt.starts_at - timedelta(hours=1)) == 0  # once only
    reminders = [r.getMessage() for r in caplog.records if booking_code in r.getMessage()]
    assert len(reminders) == 1, reminders
    reminder = reminders[0]
    assert reminder.startswith(f"SMS to {mask_phone(RESIDENT_PHONE)}:"), reminder
    assert station_a.name in reminder and slot_time in reminder and "居民医保参保登记" in reminder
    assert RESIDENT_PHONE not in caplog.text  # the log shows the number masked
    assert sms == []  # it went through the console backend, not the memory one
    settings.GONGZHI_SMS_BACKEND = "gongzhi.demands.notify.MemoryNotifier"
    assert Appointment.objects.get(pk=appt.pk).reminded_at is not None

    # --- 3. the day comes (the clock): area A's secretary checks the resident in at the counter -----------------
    Appointment.objects.filter(pk=appt.pk).update(starts_at=F("starts_at") - (day - today),
                                                  ends_at=F("ends_at") - (day - today))
    counter_a = desks.log_in("insider")  # 梧桐书记, on duty at area A's station
    nav(counter_a, url, "services:appointments_day")
    expect(counter_a.locator("h1")).to_contain_text(station_a.name)  # my place first
    row = counter_a.locator("#day-table tbody tr", has_text=booking_code)
    expect(row).to_contain_text("居民医保参保登记")
    expect(row).to_contain_text(mask_phone(RESIDENT_PHONE))
    assert RESIDENT_PHONE not in counter_a.content()
    expect(row.locator(".badge")).to_have_text(zh(AppointmentState.BOOKED.label))
    submit(counter_a, row.locator("button[type=submit]", has_text=zh("Check in")))
    row = counter_a.locator("#day-table tbody tr", has_text=booking_code)
    expect(row.locator(".badge")).to_have_text(zh(AppointmentState.CHECKED_IN.label))
    assert row.locator("button[type=submit]").count() == 0
    appt.refresh_from_db()
    assert appt.state == AppointmentState.CHECKED_IN and appt.checked_in_at is not None

    # --- 4. at area B's station, its secretary accepts an item the station does not offer (全岗通) ---------------
    assert not station_b.offers.filter(item=allowance).exists()
    counter_b = desks.log_in("outsider")  # 石库门书记, on duty at area B's station
    nav(counter_b, url, "services:cases_open")
    form = counter_b.locator("#case-form")
    expect(form.locator("[name=place] option:checked")).to_have_text(station_b.name)  # the only counter in scope
    form.locator("#item-search").fill("津贴")  # the item list narrows as one types (htmx)
    expect(form.locator("#id_item option", has_text="老年综合津贴申请")).to_have_count(1)
    expect(form.locator("#id_item option", has_text="居民医保参保登记")).to_have_count(0)
    form.locator("#id_item").select_option(str(allowance.pk))  # its checklist loads (htmx)
    checklist = form.locator("#checklist input[name=provided]")
    expect(checklist).to_have_count(3)
    expect(form.locator("#checklist")).to_contain_text("10")  # the time limit in working days
    for n in range(3):
        checklist.nth(n).check()
    form.locator("[name=applicant_name]").fill(APPLICANT)
    form.locator("[name=applicant_phone]").fill(APPLICANT_PHONE)
    form.locator("[name=note]").fill("老人腿脚不便，材料齐全，一次受理。")
    submit(counter_b, form.locator("button[type=submit]"))
    case = Case.objects.get(item=allowance)
    assert counter_b.url == url + reverse("services:cases_detail", args=[case.pk])
    assert (case.place, case.state, case.opened_by, case.visits) == (station_b, CaseState.ACCEPTED, people.outsider, 1)
    expect(counter_b.locator("#case-state")).to_have_text(zh(CaseState.ACCEPTED.label))
    expect(counter_b.locator("#materials .missing")).to_have_count(0)
    forward = counter_b.locator("#action-forward")
    forward.locator("[name=back_office]").fill("街道社区事务受理服务中心")
    forward.locator("[name=note]").fill("材料已核，转后台办理。")
    submit(counter_b, forward.locator("button[type=submit]"))
    expect(counter_b.locator("#case-state")).to_have_text(zh(CaseState.FORWARDED.label))
    assert counter_b.locator("#action-complete").count() == 0  # the back office's step now

    # --- 5. the sub-district's back office receives and completes it from its queue ------------------------------
    back_office = desks.log_in("streetadmin")
    nav(back_office, url, "services:cases_queue")
    submit(back_office, back_office.locator("#queue-table a", has_text=case.code))
    assert back_office.url == url + reverse("services:cases_detail", args=[case.pk])
    submit(back_office, back_office.locator("#action-receive button[type=submit]"))
    expect(back_office.locator("#case-state")).to_have_text(zh(CaseState.PROCESSING.label))
    complete = back_office.locator("#action-complete")
    complete.locator("[name=result]").fill("老年综合津贴已核准，按月发放至申请人银行卡。")
    submit(back_office, complete.locator("button[type=submit]"))

    # --- 6. the case page: done, in one visit, the applicant's phone masked --------------------------------------
    expect(back_office.locator("#case-state")).to_have_text(zh(CaseState.DONE.label))
    expect(back_office.locator("#visits")).to_have_text("1")
    expect(back_office.locator("#due")).to_contain_text(zh("Done within the time limit"))
    expect(back_office.locator("#applicant")).to_contain_text(f"{APPLICANT} {mask_phone(APPLICANT_PHONE)}")
    assert APPLICANT_PHONE not in back_office.content()
    expect(back_office.locator("#log")).to_contain_text("街道管理员")
    case.refresh_from_db()
    assert (case.state, case.visits, case.back_office) == (CaseState.DONE, 1, "街道社区事务受理服务中心")

    # --- 7. the station-load page counts it for area B's station today, finished in one visit --------------------
    nav(back_office, url, "services:load_index")
    filters = back_office.locator("form[role=search]")
    filters.locator("[name=place]").select_option(str(station_b.pk))
    filters.locator("[name=from]").fill(today.isoformat())
    filters.locator("[name=to]").fill(today.isoformat())
    submit(back_office, filters.locator("button[type=submit]"))
    expect(back_office.locator("h1")).to_contain_text(station_b.name)
    row = back_office.locator(f"#load tr[data-place='{station_b.code}'][data-day='{today.isoformat()}']")
    expect(row).to_have_count(1)
    cells = row.locator("td")
    # day, place, opened, done, waiting, one visit, forwarded, appointments / seats, no-shows, items
    assert [cells.nth(i).inner_text().strip() for i in (2, 3, 4, 6)] == ["1", "1", "0", "1"]
    assert re.fullmatch(r"100(\.0)?%", cells.nth(5).inner_text().strip()), cells.nth(5).inner_text()
    expect(cells.nth(9)).to_contain_text("老年综合津贴申请")
    assert re.fullmatch(r"100(\.0)?%", back_office.inner_text("#summary [data-key=one_visit_share]").strip())
    expect(back_office.locator("#summary [data-key=done]")).to_have_text("1")
