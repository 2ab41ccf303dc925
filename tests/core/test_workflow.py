"""Every app's state machines through the one shared writer: each (state, action) of each workflow registered in a
module manifest (`gongzhi.core.modules.workflows()`) moves a subject in that state to the table's target and appends
exactly one log row saying so; every log refuses updates and deletes, of a row and of a queryset.

Each app provides the subjects: a factory ``factory(street, state)`` per model label in `SUBJECTS`, kept next to the
app's tests. A workflow whose model has no factory fails here, so a new module cannot skip the walk.
"""

import pytest

from gongzhi.core.errors import Conflict, NothingChanged
from gongzhi.core.modules import workflows
from gongzhi.core.workflow import SYSTEM, transition
from tests.deliberation.subjects import SUBJECTS as DELIBERATION
from tests.demands.subjects import SUBJECTS as DEMANDS
from tests.funds.subjects_calls import SUBJECTS as FUNDS_CALLS
from tests.joint.subjects_agreements import SUBJECTS as JOINT_AGREEMENTS
from tests.joint.subjects_enterprise import SUBJECTS as JOINT_ENTERPRISE
from tests.joint.subjects_sessions import SUBJECTS as JOINT_SESSIONS
from tests.matching.subjects import SUBJECTS as MATCHING
from tests.orglife.subjects import SUBJECTS as ORGLIFE
from tests.services.subjects import SUBJECTS as SERVICES
from tests.volunteering.subjects import SUBJECTS as VOLUNTEERING

SUBJECTS = {
    **MATCHING,
    **DEMANDS,
    **DELIBERATION,
    **FUNDS_CALLS,
    **JOINT_SESSIONS,
    **JOINT_AGREEMENTS,
    **JOINT_ENTERPRISE,
    **SERVICES,
    **VOLUNTEERING,
    **ORGLIFE,
}
FLOWS = {flow.name: flow for flow in workflows()}
# a change for each workflow's field-only actions
FIELD_CHANGE = {"demand": {"promise": "测试"}, "service_appointment": {"seat": 2}, "micro_wish": {"thanks": "谢谢"}}
CELLS = [(flow.name, state, action) for flow in FLOWS.values() for (state, action) in flow.transitions]


def _subject(street, flow, state):
    factory = SUBJECTS.get(flow.model)
    assert factory is not None, f"no factory for {flow.model}: add one to SUBJECTS in {__name__}"
    return factory(street, state)


def test_the_walk_covers_every_registered_workflow():
    assert {"demand", "project", "campaign", "need", "resource"} <= set(FLOWS)
    assert {flow for flow, _s, _a in CELLS} == set(FLOWS)


@pytest.mark.parametrize(("flow", "state", "action"), CELLS, ids=[f"{f}:{s}-{a}" for f, s, a in CELLS])
def test_every_edge_through_the_shared_writer(street, flow, state, action):
    flow = FLOWS[flow]
    subject = _subject(street, flow, state)
    log = flow.get_log_model().objects.filter(**{flow.log_fk: subject})
    before = log.count()
    target = flow.transitions[(state, action)]

    changes = {}
    if action in flow.refuse_unchanged and target == state:  # a field-only action: refused when it changes nothing
        with pytest.raises(NothingChanged):
            transition(subject, action, workflow=flow, actor=SYSTEM, note="测试")
        assert log.count() == before
        changes = FIELD_CHANGE[flow.name]
    done = transition(subject, action, workflow=flow, actor=SYSTEM, note="测试", extra={"case": "walk"}, **changes)

    subject.refresh_from_db()
    assert getattr(done, flow.state_field) == getattr(subject, flow.state_field) == target
    assert log.count() == before + 1
    row = log.order_by("-created_at", "-id").first()
    assert (row.action, row.from_state, row.to_state) == (action, state, target)
    assert (row.actor_id, row.actor_label, row.note, row.extra) == (None, "system", "测试", {"case": "walk"})
    assert done.last_transition == row


@pytest.mark.parametrize("flow", list(FLOWS))
def test_every_log_is_append_only(street, flow):
    flow = FLOWS[flow]
    state, action = next(iter(flow.transitions))
    subject = _subject(street, flow, state)
    note = "理由" if action in flow.reason_required else ""  # a flow whose first step needs a reason (pairing)
    row = transition(subject, action, workflow=flow, actor=SYSTEM, note=note).last_transition
    rows = flow.get_log_model().objects.filter(pk=row.pk)

    row.note = "changed"
    with pytest.raises(Conflict):
        row.save()
    with pytest.raises(Conflict):
        row.delete()
    with pytest.raises(Conflict):
        rows.update(note="changed")
    with pytest.raises(Conflict):
        rows.delete()
    assert rows.get().note == note
