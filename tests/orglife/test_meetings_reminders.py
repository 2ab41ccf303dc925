"""Reminders: `orglife_reminders` tells the secretary's account and the area's staff once per organization, kind
and period when a required period ends within its remind days with nothing held; the workbench card counts the
periods due this month."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext

from gongzhi.accounts.roles import Role
from gongzhi.demands.models import Notification
from gongzhi.orglife.models import MeetingKind, MeetingReminder
from gongzhi.orglife.selectors import meetings as selectors
from gongzhi.orglife.services import meetings as services
from tests import factories
from tests.orglife.factories import meeting

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 27)  # four days before March and the first quarter end


def _texts(user):
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


def test_reminders_go_once_per_org_kind_and_period(street, people):
    secretary = factories.user("sec-a", Role.PARTY_MEMBER, street.grid_a1)
    street.member_a.user = secretary
    street.member_a.save()
    street.org_a.secretary = street.member_a
    street.org_a.save()
    meeting(street.org_a, MeetingKind.COMMITTEE, held_on=dt.date(2025, 3, 5))  # held: no reminder for it
    sent = services.send_reminders(today=DAY)
    mine = {(r.kind, r.period_start) for r in sent if r.org_id == street.org_a.pk}
    assert mine == {("group", dt.date(2025, 3, 1)), ("theme_day", dt.date(2025, 3, 1)),
                    ("general_assembly", dt.date(2025, 1, 1)), ("lesson", dt.date(2025, 1, 1))}
    assert len(_texts(secretary)) == 4 and len(_texts(people.insider)) == 4
    assert any(street.org_a.name in t for t in _texts(secretary))
    assert not any(street.org_a.name in t for t in _texts(people.outsider))
    assert len(_texts(people.outsider)) == 5  # org B (no committee meeting either): its area secretary
    links = set(Notification.objects.filter(user=secretary).values_list("link", flat=True))
    assert links == {f"/orglife/meetings/compliance/{street.org_a.pk}/?year=2025"}
    before = Notification.objects.count()
    assert services.send_reminders(today=DAY) == []
    assert services.send_reminders(today=DAY + dt.timedelta(days=1)) == []
    assert Notification.objects.count() == before
    assert MeetingReminder.objects.filter(org=street.org_a).count() == 4


def test_remind_days_decide_when_and_the_command_reports(street, people):
    assert services.send_reminders(today=dt.date(2025, 3, 20)) == []  # eleven days before: too early
    services.set_requirement(actor=people.admin, region=street.area_a, kind=MeetingKind.THEME_DAY,
                             frequency="monthly", remind_days=15)
    sent = services.send_reminders(today=dt.date(2025, 3, 20))
    assert [(r.org_id, r.kind) for r in sent] == [(street.org_a.pk, "theme_day")]
    out = StringIO()
    call_command("orglife_reminders", stdout=out)
    assert "meeting reminder(s) sent" in out.getvalue()


def test_the_card_counts_the_periods_due_this_month_in_scope(street, people):
    due = selectors.due_now(street.org_a)
    card = selectors.due_card(people.insider)
    assert card["count"] == len(due) > 0 and street.org_a.name in card["items"][0]["text"]
    meeting(street.org_a, MeetingKind.THEME_DAY, held_on=timezone.localdate())
    assert selectors.due_card(people.insider)["count"] == len(due) - 1
    assert street.org_a.name not in str(selectors.due_card(people.outsider)["items"])
    assert selectors.due_card(people.colleague) is None


def test_the_e_mails_go_once_the_reminders_are_committed(street, people, django_capture_on_commit_callbacks):
    people.insider.email = "secretary-a@example.org"
    people.insider.save()
    with django_capture_on_commit_callbacks() as callbacks:
        sent = services.send_reminders(today=DAY)
        assert len(_texts(people.insider)) == 5  # the inbox rows are written with each reminder's row
        assert mail.outbox == []  # nothing has left before the commit
    assert len([r for r in sent if r.org_id == street.org_a.pk]) == 5
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["secretary-a@example.org"]] * 5
    assert {m.subject for m in mail.outbox} == {gettext("A message from Gongzhi")}
    assert sorted(m.body for m in mail.outbox) == sorted(_texts(people.insider))
