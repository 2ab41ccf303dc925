"""The fast intake still tells everyone: notifications of a new demand leave the request (a django-tasks job written
in the demand's own transaction, or after commit with the immediate backend) and still reach the grid leader's inbox
and the submitter's phone; retries stay idempotent without a look-up before the insert."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from gongzhi.core.errors import ValidationFailed
from gongzhi.demands import services
from gongzhi.demands.models import Category, Channel, Demand, Notification
from gongzhi.demands.open311 import category_by_code
from gongzhi.registry.models import RegionKind
from tests import factories
from tests.demands.conftest import PHONE, submit

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


def test_a_retry_answers_with_the_first_demand_even_with_a_stale_payload(street, people):
    first = submit(street, idempotency_key="k-1", source_client="api:1")
    again = submit(street, idempotency_key="k-1", source_client="api:1", title="另一个标题")
    stale = submit(street, idempotency_key="k-1", source_client="api:1", title="")  # would fail validation
    assert again.pk == first.pk == stale.pk and Demand.objects.count() == 1


def test_default_taxonomy_fits_everywhere_and_another_subdistricts_category_is_refused(street, people):
    default = Category.objects.create(code="lights", name="路灯")
    assert submit(street, category=default).category == default
    other_sub = factories.region(RegionKind.SUBDISTRICT, street.district, name="别的街道")
    foreign = Category.objects.create(code="lights", name="路灯", subdistrict=other_sub)
    with pytest.raises(ValidationFailed) as caught:
        submit(street, category=foreign)
    assert "category" in caught.value.field_errors


def test_a_category_change_is_seen_at_once_by_the_cached_intake_lookup(transactional_db):
    services.reference_cache.clear()
    lights = Category.objects.create(code="lights", name="路灯")
    assert category_by_code("lights", None) == lights  # read outside a transaction: now cached
    assert services.reference_cache.get(("category", "lights", None), lambda: None) == lights
    lights.active = False
    lights.save()  # a save empties the cache of this process
    assert category_by_code("lights", None) is None


def test_the_intake_history_row_is_the_one_save_writes(street, people):
    demand = submit(street, recorded_by=people.colleague, channel=Channel.PHONE)
    ours = demand.history.get()
    copy = Demand.objects.get(pk=demand.pk)
    copy.pk, copy.tracking_code, copy._history_user = None, "GZ-COPY", people.colleague
    copy._history_date = ours.history_date
    copy.save()  # simple-history's post_save receiver writes this one
    theirs = copy.history.get()
    skip = {"history_id", "id", "tracking_code", "updated_at"}
    fields = [f.attname for f in type(ours)._meta.concrete_fields if f.attname not in skip]
    assert {f: getattr(ours, f) for f in fields} == {f: getattr(theirs, f) for f in fields}
    assert (ours.id, ours.history_type, ours.history_user) == (demand.pk, "+", people.colleague)


def test_the_prepared_job_row_is_the_row_enqueue_writes(street, settings):
    settings.TASKS = DATABASE_TASKS
    from gongzhi.demands import notify

    theirs = DBTaskResult.objects.get(pk=notify.after_transition_task.enqueue(41).id)
    notify.after_transition_later(42, job=notify.after_transition_job())
    ours = DBTaskResult.objects.exclude(pk=theirs.pk).get()
    skip = {"id", "enqueued_at", "args_kwargs"}
    fields = [f.attname for f in DBTaskResult._meta.concrete_fields if f.attname not in skip]
    assert {f: getattr(ours, f) for f in fields} == {f: getattr(theirs, f) for f in fields}
    assert (theirs.args_kwargs, ours.args_kwargs) == ({"args": [41], "kwargs": {}}, {"args": [42], "kwargs": {}})
    assert ours.status == "READY" and ours.enqueued_at is not None
    assert DBTaskResult.objects.ready().count() == 2  # the worker's query finds both
