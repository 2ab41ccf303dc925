"""Two runs of the daily reminder job at the same moment (each in its own thread and database connection) send
each reminder once: one MeetingReminder per organization, kind and period (a unique constraint), and the inbox
holds one message per recipient and period. Two managers setting the same requirement at once leave one row.
Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongzhi.demands.models import Notification
from gongzhi.orglife.models import MeetingReminder, MeetingRequirement
from gongzhi.orglife.services import meetings as services
from tests import factories
from tests.concurrency import run_at_once

DAY = dt.date(2025, 3, 27)


@pytest.mark.django_db(transaction=True)
def test_two_parallel_reminder_runs_send_each_reminder_once():
    street = factories.street()
    people = factories.personas(street)
    results = run_at_once([lambda: services.send_reminders(today=DAY), lambda: services.send_reminders(today=DAY)])
    assert all(isinstance(r, list) for r in results), results
    total = MeetingReminder.objects.count()
    assert total == 10  # 5 kinds due for each of org A and org B
    reported = [row.pk for rows in results for row in rows]  # a run retried after SQLite's lock reports fewer
    assert len(reported) == len(set(reported))
    assert Notification.objects.filter(user=people.insider).count() == 5


@pytest.mark.django_db(transaction=True)
def test_two_parallel_requirement_settings_leave_one_row():
    street = factories.street()
    people = factories.personas(street)
    results = run_at_once([
        lambda: services.set_requirement(actor=people.admin, region=street.area_a, kind="theme_day",
                                         frequency="quarterly", remind_days=5),
        lambda: services.set_requirement(actor=people.admin, region=street.area_a, kind="theme_day",
                                         frequency="yearly", remind_days=9),
    ])
    assert all(isinstance(r, MeetingRequirement) for r in results), results
    assert MeetingRequirement.objects.count() == 1
    assert MeetingRequirement.objects.get().frequency in ("quarterly", "yearly")
