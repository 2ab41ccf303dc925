"""A prepared INSERT writes exactly the row `save()` would write, fills the foreign keys left open when it runs,
and fails like the ORM does (a unique clash is an IntegrityError that rolls back with the transaction)."""

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Upper

from gongzhi.core import prepared
from gongzhi.core.prepared import PreparedInsert
from gongzhi.demands.models import Channel, Demand, DemandTransition, Notification
from gongzhi.demands.workflow import Action, State

WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _demand(street, **kw) -> Demand:
    fields = dict(
        tracking_code="GZ260302ABCDEF", title="楼道灯坏了", description="3楼楼道灯不亮", channel=Channel.WEB,
        building=street.building_a1, grid=street.grid_a1, region=street.grid_a1, submitter_name="王阿姨",
        submitter_phone="13912345678", submitter_phone_last4="5678", created_at=WHEN,
    )
    return Demand(**(fields | kw))


def _row(obj) -> dict:
    """Every stored column of the row, read back from the database."""
    fresh = type(obj).objects.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields if not f.primary_key}


def test_the_prepared_row_is_the_row_save_writes(street):
    saved = _demand(street, tracking_code="GZ260302SAVED0")
    saved.save()
    prepared = PreparedInsert(_demand(street, tracking_code="GZ260302PREPD0")).run()
    assert prepared.pk and prepared.pk != saved.pk and not prepared._state.adding
    theirs, ours = _row(saved), _row(prepared)
    theirs.pop("tracking_code"), ours.pop("tracking_code")
    theirs.pop("updated_at"), ours.pop("updated_at")  # auto_now: the moment each was written
    assert ours == theirs
    assert Demand.objects.get(pk=prepared.pk).tracking_code == "GZ260302PREPD0"


def test_open_foreign_keys_are_filled_in_when_the_row_runs(street):
    demand = PreparedInsert(_demand(street)).run()
    entry = DemandTransition(demand_id=None, action=Action.SUBMIT, from_state="", to_state=State.SUBMITTED,
                             note="网上", created_at=WHEN)
    prepared = PreparedInsert(entry, open_fields=("demand_id",))
    assert prepared.run(demand_id=demand.pk) is entry
    stored = DemandTransition.objects.get(pk=entry.pk)
    assert (stored.demand, stored.action, stored.to_state, stored.created_at) == (demand, "submit", "submitted", WHEN)


def test_the_open_fields_must_be_given_and_must_exist(street):
    entry = DemandTransition(action=Action.SUBMIT, to_state=State.SUBMITTED, created_at=WHEN)
    with pytest.raises(ValueError, match="no field"):
        PreparedInsert(entry, open_fields=("demand",))
    prepared = PreparedInsert(entry, open_fields=("demand_id",))
    with pytest.raises(ValueError, match="open fields"):
        prepared.run()


def test_auto_now_add_is_set_when_prepared(street, people):
    note = PreparedInsert(Notification(user=people.insider, text="新诉求")).run()
    assert Notification.objects.get(pk=note.pk).created_at is not None


def test_a_unique_clash_is_an_integrity_error_and_the_transaction_writes_nothing(street):
    PreparedInsert(_demand(street)).run()
    before = Demand.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        PreparedInsert(_demand(street, tracking_code="GZ260302OTHER0")).run()
        PreparedInsert(_demand(street)).run()  # the same tracking code again
    assert Demand.objects.count() == before


def test_expressions_cannot_be_prepared(street):
    with pytest.raises(ValueError, match="plain values"):
        PreparedInsert(_demand(street, title=Upper(Value("light"))))


def test_a_row_with_its_primary_key_set_inserts_that_key(people):
    PreparedInsert(Notification(id=987654, user=people.insider, text="指定编号")).run()
    stored = Notification.objects.get(pk=987654)
    assert (stored.user, stored.text) == (people.insider, "指定编号")


def test_a_model_s_statement_is_compiled_once_and_later_rows_get_the_same_values(street, monkeypatch):
    monkeypatch.setattr(prepared, "_SQL", {})
    first = PreparedInsert(_demand(street))  # compiled by Django's SQL compiler
    again = PreparedInsert(_demand(street))  # the cached statement, values prepared field by field
    assert len(prepared._SQL) == 1
    moment, _field = first._slots["updated_at"]  # auto_now: the moment each was prepared
    assert again.sql == first.sql
    assert [v for i, v in enumerate(again.params) if i != moment] == [v for i, v in enumerate(first.params) if i != moment]
    assert again.run().pk
