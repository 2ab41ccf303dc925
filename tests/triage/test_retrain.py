"""Retraining from the sub-district's own labelled history: a new model is activated only if not worse."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gongzhi.triage import services
from gongzhi.triage.models import TriageModel
from gongzhi.triage.tasks import retrain_triage_models
from tests.triage.conftest import TOPICS, category, labelled_history


def retrain(street, **kw) -> str:
    out = StringIO()
    call_command("triage_retrain", "--subdistrict", street.subdistrict.code, stdout=out, **kw)
    return out.getvalue()


def test_too_little_history_trains_nothing(street):
    labelled_history(street, n_per_topic=3)
    assert "too few labelled demands" in retrain(street)  # default: 40 rows needed
    assert not TriageModel.objects.exists()


def test_a_model_is_activated_only_if_not_worse(street):
    labelled_history(street, n_per_topic=10)
    assert "activated" in retrain(street, min_rows=10)
    first = TriageModel.objects.get()
    assert first.active and first.training_size == 30 and first.labels == 3
    assert 0.9 <= first.macro_f1 <= 1.0 and first.metrics["folds"] >= 2
    clf = services.load_model(first)  # the stored bytes are the pickle-free .npz of gongzhi.insights
    assert set(clf.labels) == {str(category(code).parent_id) for code in TOPICS}  # top-level categories

    labelled_history(street, n_per_topic=10, seed=2, wrong_every=2)  # half of the new labels are wrong
    assert "kept inactive" in retrain(street, min_rows=10)
    worse = TriageModel.objects.latest("pk")
    assert worse.macro_f1 < first.macro_f1 and not worse.active
    assert worse.metrics["previous_macro_f1"] == first.macro_f1
    assert services.active_model(street.subdistrict) == first


def test_an_equally_good_model_replaces_the_active_one(street):
    labelled_history(street, n_per_topic=10)
    first = services.retrain_model(street.subdistrict, min_rows=10)
    second = services.retrain_model(street.subdistrict, min_rows=10)  # same data, same score
    first.refresh_from_db()
    assert second.macro_f1 == first.macro_f1
    assert second.active and not first.active
    assert TriageModel.objects.filter(subdistrict=street.subdistrict, active=True).count() == 1


def test_the_worker_task_retrains_every_subdistrict(street):
    labelled_history(street, n_per_topic=10)
    result = retrain_triage_models.enqueue(min_rows=10)
    assert result.return_value == [{"subdistrict": street.subdistrict.code, "model": TriageModel.objects.get().pk,
                                     "active": True}]


def test_an_unknown_subdistrict_code_is_an_error(db):
    with pytest.raises(CommandError, match="no such sub-district"):
        call_command("triage_retrain", "--subdistrict", "NOPE", stdout=StringIO())
