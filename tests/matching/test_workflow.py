"""The project lifecycle table through the project service, exhaustively: every (state, action) either moves as
the table says, audited, or raises InvalidTransition and changes nothing. (Every app's tables through the shared
writer, and the append-only logs: tests/core/test_workflow.py.)"""

import pytest

from gongzhi.core.errors import InvalidTransition
from gongzhi.matching import services
from gongzhi.matching.models import Initiator, Project, ProjectTransition
from gongzhi.matching.workflow import PROJECT_FLOW, TRANSITIONS, ProjectAction, ProjectState

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
            services.transition_project(project.pk, action, actor=people.admin, note=note, **extra)
        project.refresh_from_db()
        assert project.state == state
        assert not ProjectTransition.objects.filter(project=project).exists()
    else:
        services.transition_project(project.pk, action, actor=people.admin, note=note, **extra)
        project.refresh_from_db()
        assert project.state == expected
        log = ProjectTransition.objects.get(project=project)
        assert (log.from_state, log.to_state, log.action, log.actor) == (state, expected, action, people.admin)
        assert project.history.first().history_user == people.admin


def test_the_main_path_is_in_the_table():
    state = ProjectState.PROPOSED
    for action in ("agree", "start", "complete", "evaluate"):
        assert action in PROJECT_FLOW.actions_from(state)
        state = PROJECT_FLOW.target(state, action)
    assert state == ProjectState.EVALUATED
    assert PROJECT_FLOW.actions_from(ProjectState.EVALUATED) == []
