"""Progress reaches submitters (SMS) and followers of merged duplicates; staff get the inbox and e-mail. A new
demand's notifications leave the request: a django-tasks job written in the demand's own transaction (or enqueued
after commit with the immediate backend)."""

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from gongzhi.accounts.roles import Role
from gongzhi.demands import selectors, services
from gongzhi.demands.models import Demand, Notification
from gongzhi.demands.workflow import State
from tests import factories
from tests.demands.conftest import PHONE, submit


def test_the_submitter_is_told_of_each_step_by_sms(street, people, sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demand = submit(street)
        services.claim_demand(demand, actor=people.colleague)
    assert [phone for phone, _ in sms] == [PHONE, PHONE]
    assert all(demand.tracking_code in text for _, text in sms)


def test_followers_of_a_merged_duplicate_hear_of_progress(street, people, sms, django_capture_on_commit_callbacks):
    original = submit(street)
    duplicate = submit(street, submitter_phone="13700001111")
    services.merge_demand(duplicate, actor=people.colleague, into_id=original.pk)
    sms.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_demand(original, actor=people.colleague)
    assert sorted(phone for phone, _ in sms) == ["13700001111", PHONE]


def test_nothing_is_sent_when_the_change_rolls_back(street, people, sms, django_capture_on_commit_callbacks):
    demand = submit(street)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.claim_demand(demand, actor=people.colleague)
            raise RuntimeError("the request failed later")
    assert callbacks == [] and sms == []
    assert Demand.objects.get(pk=demand.pk).state == State.SUBMITTED


def test_assignees_get_the_inbox_and_an_email(street, people, sms, django_capture_on_commit_callbacks):
    handler = factories.user("mailed", Role.GRID_LEADER, street.grid_a1, email="handler@example.org")
    demand = submit(street)
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_demand(demand, actor=people.colleague, assignee_id=handler.pk)
    assert list(selectors.inbox(handler, unread_only=True).values_list("demand", flat=True)) == [demand.pk]
    assert mail.outbox and mail.outbox[0].to == ["handler@example.org"]
    assert services.mark_read(handler) == 1
    assert not selectors.inbox(handler, unread_only=True).exists()


def test_escalation_tells_the_next_tier(street, people, sms, django_capture_on_commit_callbacks):
    demand = submit(street)
    with django_capture_on_commit_callbacks(execute=True):
        services.escalate_demand(demand, actor=people.colleague)
    assert Notification.objects.filter(user=people.insider, demand=demand).exists()
    assert not Notification.objects.filter(user=people.outsider).exists()


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_grid_leader_and_the_submitter_hear_of_a_new_demand_after_commit(
        street, people, sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        demand = submit(street)
        assert sms == [] and not Notification.objects.filter(demand=demand).exists()  # nothing before commit
    for callback in callbacks:
        callback()
    assert [phone for phone, _ in sms] == [PHONE]
    inbox = Notification.objects.get(demand=demand)
    assert inbox.user == people.colleague and demand.tracking_code in inbox.text


def test_with_the_database_backend_the_notifications_are_a_job_for_the_worker(street, people, sms, settings):
    settings.TASKS = DATABASE_TASKS
    demand = submit(street)
    job = DBTaskResult.objects.get(task_path="gongzhi.demands.notify.after_transition_task")
    assert job.status == "READY" and sms == [] and not Notification.objects.filter(demand=demand).exists()

    job.task.call(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])  # what the worker runs

    assert [phone for phone, _ in sms] == [PHONE]
    assert Notification.objects.get(demand=demand).user == people.colleague


def test_a_rolled_back_intake_leaves_no_job_behind(street, people, sms, settings):
    settings.TASKS = DATABASE_TASKS
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(street)
        raise RuntimeError("the request failed later")
    assert not Demand.objects.exists() and not DBTaskResult.objects.exists()


def test_nobody_is_told_to_act_on_what_they_dispatched_to_themselves(
        street, people, sms, django_capture_on_commit_callbacks):
    """Issue 11 (walk-through 9): a dispatcher assigning to themselves gets no "needs you" message."""
    demand = submit(street)
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_demand(demand, actor=people.colleague, assignee_id=people.colleague.pk)
    assert not Notification.objects.filter(user=people.colleague, demand=demand).exists()
    other = submit(street)
    handler = factories.user("otherhandler", Role.GRID_LEADER, street.grid_a1)
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_demand(other, actor=people.colleague, assignee_id=handler.pk)
    assert Notification.objects.filter(user=handler, demand=other).exists()


def test_the_approvers_are_told_of_an_extension_request(street, people, sms, django_capture_on_commit_callbacks):
    """Issue 11 (walk-through 9): the street hears of pending extension requests."""
    demand = services.claim_demand(submit(street), actor=people.colleague)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_extension(demand, actor=people.colleague, days=3, reason="等待维修基金")
    assert Notification.objects.filter(user=people.admin, demand=demand).exists()
    assert not Notification.objects.filter(user=people.outsider, demand=demand).exists()


def test_the_area_is_told_when_a_review_reopens_one_of_its_demands(
        street, people, sms, django_capture_on_commit_callbacks):
    """Issue 11 (walk-through 9): an unsatisfied review reopens the demand; the one who redoes it and the secretary
    of its residential area get the inbox message, nobody of another area does."""
    demand = services.claim_demand(submit(street), actor=people.colleague)
    demand = services.start_demand(demand, actor=people.colleague)
    demand = services.resolve_demand(demand, actor=people.colleague, resolution="已处理")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        demand = services.review_demand(demand.tracking_code, PHONE[-4:], satisfaction=2, comment="灯还是不亮")
    assert demand.state == State.REOPENED
    told = set(Notification.objects.filter(demand=demand).values_list("user__username", flat=True))
    assert told == {people.colleague.username, people.insider.username}
    assert all(demand.tracking_code in n.text for n in Notification.objects.filter(demand=demand))
