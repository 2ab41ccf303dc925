"""Classification on intake: a confident suggestion sets the category, a weak one (or none) waits for people."""

import logging

import pytest

from gongzhi.demands.models import Demand
from gongzhi.demands.signals import demand_submitted
from gongzhi.triage import services
from gongzhi.triage.models import Classification, Status
from gongzhi.triage.selectors import triage_queue
from tests.triage.conftest import category, submit


def test_on_a_fresh_install_every_new_demand_waits_in_the_queue(street, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demand = submit(street, "小区路灯坏了", "路灯不亮，晚上很黑")
    c = demand.classification
    assert (c.status, c.suggested_category, c.model, c.top3) == (Status.NEEDS_REVIEW, None, None, [])
    demand.refresh_from_db()
    assert demand.category is None
    assert list(triage_queue(people.insider)) == [demand]
    assert list(triage_queue(people.outsider)) == []


def test_a_confident_suggestion_sets_the_category(street, trained, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demand = submit(street, "小区路灯坏了", "路灯不亮，晚上很黑，请尽快处理")
    demand.refresh_from_db()
    c = demand.classification
    facilities = category("street_lights").parent  # trained on the top level of the taxonomy
    assert c.status == Status.AUTO_ACCEPTED and c.model == trained
    assert c.suggested_category == facilities and c.confidence >= 0.6
    assert [t["category"] for t in c.top3][0] == facilities.pk and len(c.top3) == 3
    assert demand.category == facilities
    last = demand.history.first()
    assert last.category_id == facilities.pk and last.history_change_reason == "categorize"
    step = demand.transitions.last()  # a logged action of the system, like every other change
    assert (step.action, step.actor_id, step.actor_label) == ("categorize", None, "system")


def test_a_suggestion_below_the_threshold_waits_for_a_person(street, people, settings, trained,
                                                             django_capture_on_commit_callbacks):
    title, text = "小区路灯坏了", "路灯不亮，晚上很黑，请尽快处理"
    _suggested, confidence, _top3 = services.predict(Demand(title=title, description=text), trained)
    settings.GONGZHI_TRIAGE_THRESHOLD = confidence + 0.001  # the threshold is a setting
    with django_capture_on_commit_callbacks(execute=True):
        demand = submit(street, title, text)
    demand.refresh_from_db()
    c = demand.classification
    assert c.suggested_category is not None and c.confidence == pytest.approx(confidence)
    assert c.status == Status.NEEDS_REVIEW and demand.category is None
    assert demand in triage_queue(people.insider)


def test_a_category_given_at_intake_stands(street, trained, django_capture_on_commit_callbacks):
    parking = category("parking")
    with django_capture_on_commit_callbacks(execute=True):
        agrees = submit(street, "停车难", "车位不够，乱停车", category=parking)
        disagrees = submit(street, "停车难", "车位不够，到处乱停车", category=category("sorting_points"))
    assert agrees.classification.status == Status.CONFIRMED
    assert disagrees.classification.status == Status.CORRECTED
    disagrees.refresh_from_db()
    assert disagrees.category.code == "sorting_points"


def test_an_idempotent_repeat_is_classified_once(street, django_capture_on_commit_callbacks):
    received = []
    demand_submitted.connect(lambda sender, demand, **kw: received.append(demand.pk), weak=False,
                             dispatch_uid="test-count")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = submit(street, idempotency_key="k-1", source_client="h5")
            again = submit(street, idempotency_key="k-1", source_client="h5")
    finally:
        demand_submitted.disconnect(dispatch_uid="test-count")
    assert first.pk == again.pk and received == [first.pk]
    assert Classification.objects.filter(demand=first).count() == 1


def test_a_failing_classifier_never_fails_the_intake(street, monkeypatch, caplog,
                                                     django_capture_on_commit_callbacks):
    def broken(demand):
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr(services, "classify_demand", broken)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        demand = submit(street)
    assert Demand.objects.filter(pk=demand.pk).exists()
    assert "waits in the triage queue" in caplog.text
    assert not Classification.objects.exists()
