"""The project lifecycle table, exhaustively: every (state, action) either moves as the table says, audited,
or raises InvalidTransition and changes nothing."""

import pytest

from gongzhi.core.errors import Conflict, InvalidTransition
from gongzhi.matching import services
from gongzhi.matching.models import Initiator, Project, ProjectTransition
from gongzhi.matching.workflow import TRANSITIONS, ProjectAction, ProjectState, allowed_actions, target_state

CELLS = [(s, a) for s in ProjectState.values for a in ProjectAction.values]


def _project(world, state):
    return Project.objects.create(campaign=world.campaign, need=world.need_a, resource=world.resource, title="t",
                                  state=state, initiated_by=Initiator.PROVIDER, amount=1, beneficiaries_served=10)


@pytest.mark.parametrize(("state", "action"), CELLS, ids=[f"{s}-{a}" for s, a in CELLS])
def test_every_state_and_action(world, people, state, action):
    project = _project(world, state)
    extra = {"satisfaction": 5} if action == "evaluate" else {}
    note = "reason" if action == "decline" else ""
    expected = TRANSITIONS.get((state, action))
    if expected is None:
        with pytest.raises(InvalidTransition):
            services.transition(people.admin, project.pk, action, note, **extra)
        project.refresh_from_db()
        assert project.state == state
        assert not ProjectTransition.objects.filter(project=project).exists()
    else:
        services.transition(people.admin, project.pk, action, note, **extra)
        project.refresh_from_db()
        assert project.state == expected
        log = ProjectTransition.objects.get(project=project)
        assert (log.from_state, log.to_state, log.action, log.actor) == (state, expected, action, people.admin)
        assert project.history.first().history_user == people.admin


def test_the_main_path_is_in_the_table():
    state = ProjectState.PROPOSED
    for action in ("agree", "start", "complete", "evaluate"):
        assert action in allowed_actions(state)
        state = target_state(state, action)
    assert state == ProjectState.EVALUATED
    assert allowed_actions(ProjectState.EVALUATED) == []


def test_the_log_is_append_only(world, people):
    project = _project(world, ProjectState.PROPOSED)
    services.transition(people.admin, project.pk, "agree")
    row = ProjectTransition.objects.get(project=project)
    row.note = "changed"
    with pytest.raises(Conflict):
        row.save()
    with pytest.raises(Conflict):
        row.delete()
