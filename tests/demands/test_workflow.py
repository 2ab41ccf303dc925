"""The lifecycle is one explicit table; every state × action is either an edge of it or an InvalidTransition."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongzhi.core.errors import Conflict, InvalidTransition, NothingChanged, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands.models import Demand, DemandTransition
from gongzhi.demands.services import apply_transition
from gongzhi.demands.workflow import FLOW, TRANSITIONS, Action, State
from tests.demands.conftest import MONDAY, submit

CASES = [(s, a) for s in State.values for a in Action.values]


def in_state(street, state):
    demand = submit(street)
    Demand.objects.filter(pk=demand.pk).update(state=state)  # put it there directly for the table test
    return Demand.objects.get(pk=demand.pk)


@pytest.mark.parametrize(("state", "action"), CASES, ids=[f"{s}-{a}" for s, a in CASES])
def test_every_state_and_action(street, state, action):
    demand = in_state(street, state)
    expected = TRANSITIONS.get((state, action))
    if expected is None:
        with pytest.raises(InvalidTransition) as err:
            apply_transition(demand, action, actor=SYSTEM, note="reason", now=MONDAY)
        assert str(State(state).label) in err.value.message
        demand.refresh_from_db()
        assert demand.state == state
        assert demand.transitions.count() == 1  # only the intake entry
    else:
        prepare = None
        if action in FLOW.refuse_unchanged and expected == state:  # a field-only action that changes nothing
            with pytest.raises(NothingChanged):
                apply_transition(demand, action, actor=SYSTEM, note="reason", now=MONDAY)
            assert demand.transitions.count() == 1 and demand.history.count() == 1  # nothing written
            prepare = lambda d: setattr(d, "promise", "changed")  # noqa: E731
        result = apply_transition(demand, action, actor=SYSTEM, note="reason", now=MONDAY, prepare=prepare)
        assert result.state == expected
        assert Demand.objects.get(pk=demand.pk).state == expected
        last = demand.transitions.last()
        assert (last.from_state, last.action, last.to_state, last.note) == (state, action, expected, "reason")
        assert last.actor is None and last.actor_label == "system"


def test_table_covers_the_whole_lifecycle():
    # Every state is reachable and only closed and merged are dead ends.
    targets = set(TRANSITIONS.values()) | {State.SUBMITTED}
    assert targets == set(State.values)
    assert {s for s in State.values if not FLOW.actions_from(s)} == {State.CLOSED, State.MERGED}


@pytest.mark.parametrize("action", [Action.RETURN, Action.REJECT])
def test_return_and_reject_need_a_reason(street, action):
    demand = in_state(street, State.ASSIGNED if action == Action.RETURN else State.SUBMITTED)
    with pytest.raises(ValidationFailed) as err:
        apply_transition(demand, action, actor=SYSTEM, note="  ")
    assert "note" in err.value.field_errors
    assert Demand.objects.get(pk=demand.pk).state == demand.state


def test_timeline_is_append_only(street):
    entry = submit(street).transitions.get()
    entry.note = "rewritten"
    with pytest.raises(Conflict):
        entry.save()
    with pytest.raises(Conflict):
        entry.delete()
    with pytest.raises(Conflict):
        DemandTransition.objects.filter(pk=entry.pk).update(note="rewritten")
    with pytest.raises(Conflict):
        DemandTransition.objects.all().delete()
    assert DemandTransition.objects.get(pk=entry.pk).note != "rewritten"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(st.sampled_from(Action.values), max_size=20))
def test_random_action_sequences_keep_a_valid_state_and_a_complete_timeline(street, actions):
    demand = submit(street)
    state, successes = State.SUBMITTED, 0
    for action in actions:
        try:
            demand = apply_transition(demand, action, actor=SYSTEM, note="n", now=MONDAY)
        except InvalidTransition:
            assert (state, action) not in TRANSITIONS
            continue
        except NothingChanged:  # an edit-like action (route, assign, categorize) with nothing to change
            assert action in FLOW.refuse_unchanged and TRANSITIONS[(state, action)] == state
            continue
        assert demand.state == TRANSITIONS[(state, action)]
        state, successes = demand.state, successes + 1
    fresh = Demand.objects.get(pk=demand.pk)
    assert fresh.state == state and fresh.state in State.values
    timeline = list(fresh.transitions.all())
    assert len(timeline) == 1 + successes  # intake + every successful action
    assert all(a.to_state == b.from_state for a, b in zip(timeline, timeline[1:], strict=False))
