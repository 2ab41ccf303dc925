"""Issue 16's walk in a real browser: a party member signs up for a volunteer activity on a phone (H5), the
organiser checks them in and out on the activity's roster at a desk, and the hours show on the member's
certificate.

A party member of area A (an account linked to their party-member record) opens the open activities on H5, finds
area A's riverside patrol, tries to sign up without agreeing to the use of their data (refused, nothing written),
then agrees and signs up → on the day, area A's secretary (the organiser's area) opens the activity from the
list of activities and checks the member in, then out, on the roster: the shift's two hours are credited once →
the member's "my volunteering" page shows the hours and their certificate lists the activity, its date, the hours
and the organiser.

Shortcuts: the starting world, built with the factories; and the clock: a sign-up needs an activity that has not
started, and a check-in is taken only on the activity's day, so once the member has signed up the activity's
time is moved to the present hour (started an hour ago, ending in an hour)."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.accounts.roles import Role
from gongzhi.core.workflow import SYSTEM
from gongzhi.volunteering.models import Activity, HoursEntry, Shift, SignUp, Volunteer
from gongzhi.volunteering.services import activities as services
from gongzhi.volunteering.workflow import SignUpState
from tests import factories
from tests.browser.conftest import log_in
from tests.browser.test_fumes_case import Phones, submit, zh
from tests.browser.test_services_walk import Desks
from tests.volunteering import factories as vf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "滨江步道文明巡护"


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


def test_a_member_signs_up_on_a_phone_is_checked_in_and_out_and_the_hours_show_on_the_certificate(
        live_server, phones, desks):
    street = factories.street()
    factories.personas(street)
    member_user = factories.user("member", Role.PARTY_MEMBER, street.grid_a1, display_name="张梧桐")
    street.member_a.user = member_user
    street.member_a.save(update_fields=["user"])
    team = vf.team(street.area_a, "滨江志愿服务队")
    starts = (timezone.now() + timedelta(hours=5)).replace(second=0, microsecond=0)
    activity = services.create_activity(actor=SYSTEM, title=TITLE, organiser_kind="team", organiser=team,
                                        starts_at=starts, ends_at=starts + timedelta(hours=2),
                                        location="滨江步道入口", capacity=5)
    shift = activity.shifts.get()
    url = live_server.url

    # --- 1. the member signs up on their phone, agreeing to the use of their data the first time ---------------
    phone = phones.new()
    log_in(phone, live_server, "member", factories.PASSWORD)
    phone.goto(url + reverse("volunteering:h5_activities"))
    submit(phone, phone.locator(f"#activity-{activity.pk}"))
    expect(phone.locator("h1")).to_have_text(TITLE)
    card = phone.locator(f"#shift-{shift.pk}")
    expect(card).to_contain_text(zh("Sign up"))
    submit(phone, card.locator("button[type=submit]"))  # without consent
    expect(phone.locator("#signup-error")).to_be_visible()
    assert not Volunteer.objects.exists() and not SignUp.objects.exists()  # refused, nothing written
    card = phone.locator(f"#shift-{shift.pk}")
    card.locator("[name=consent]").check()
    submit(phone, card.locator("button[type=submit]"))
    card = phone.locator(f"#shift-{shift.pk}")
    expect(card.locator(".badge")).to_have_text(zh(SignUpState.CONFIRMED.label))
    vol = Volunteer.objects.get()
    assert (vol.user, vol.party_member, vol.region) == (member_user, street.member_a, street.grid_a1)
    assert vol.consented_at is not None
    signup = SignUp.objects.get()
    assert (signup.shift, signup.volunteer, signup.state) == (shift, vol, SignUpState.CONFIRMED)

    # --- 2. the day comes (the clock): the activity started an hour ago ---------------------------------------
    moved = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1) - starts
    Activity.objects.filter(pk=activity.pk).update(starts_at=F("starts_at") + moved, ends_at=F("ends_at") + moved)
    Shift.objects.filter(pk=shift.pk).update(starts_at=F("starts_at") + moved, ends_at=F("ends_at") + moved)

    # --- 3. area A's secretary checks the member in and out on the roster ---------------------------------------
    desk = desks.log_in("insider")
    desk.goto(url + reverse("volunteering:activities") + "?when=all")
    submit(desk, desk.locator("a", has_text=TITLE).first)
    assert desk.url == url + reverse("volunteering:activity", args=[activity.pk])
    row = desk.locator(f"#signup-{signup.pk}")
    expect(row).to_contain_text("张梧桐")
    submit(desk, row.locator("button[data-action=check_in]"))
    row = desk.locator(f"#signup-{signup.pk}")
    expect(row.locator(".badge")).to_have_text(zh(SignUpState.PRESENT.label))
    expect(row.locator("button[data-action=check_in]")).to_have_count(0)
    submit(desk, row.locator("button[data-action=check_out]"))
    row = desk.locator(f"#signup-{signup.pk}")
    expect(row.locator(".badge")).to_have_text(zh(SignUpState.ATTENDED.label))
    expect(row.locator("td.num")).to_have_text("2.00")
    expect(row.locator("button")).to_have_count(0)  # no second check-out
    entry = HoursEntry.objects.get()
    assert (entry.volunteer, entry.activity, entry.hours) == (vol, activity, 2)

    # --- 4. the member sees the hours on "my volunteering" and on the certificate ------------------------------
    phone.goto(url + reverse("volunteering:my"))
    expect(phone.locator("#my-hours")).to_contain_text("2.00")
    submit(phone, phone.locator("#my-hours a"))
    assert phone.url == url + reverse("volunteering:certificate", args=[vol.pk])
    rows = phone.locator("#certificate-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(TITLE)
    expect(rows.first).to_contain_text("2.00")
    expect(rows.first).to_contain_text("滨江志愿服务队")
    expect(rows.first).to_contain_text(entry.served_on.isoformat())
    expect(phone.locator("#certificate-total")).to_have_text("2.00")
