"""The resident's review through the tracking code and the last four digits of their phone."""

from datetime import date, timedelta

import pytest

from gongzhi.core.errors import InvalidTransition, NotFound, ValidationFailed
from gongzhi.demands import services
from gongzhi.demands.workflow import State
from tests.demands.conftest import MONDAY, PHONE, submit

LAST4 = PHONE[-4:]


def resolved(street, handler):
    demand = services.claim_demand(submit(street), actor=handler, now=MONDAY)
    demand = services.start_demand(demand, actor=handler, now=MONDAY)
    return services.resolve_demand(demand, actor=handler, resolution="已处理", now=MONDAY)


def test_a_satisfied_review_closes_the_demand(street, people):
    demand = resolved(street, people.colleague)
    demand = services.review_demand(demand.tracking_code, LAST4, satisfaction=4, comment="很及时")
    assert demand.state == State.CLOSED and demand.satisfaction == 4 and demand.closed_at
    assert [t.action for t in demand.transitions.all()][-2:] == ["review", "close"]
    assert demand.transitions.get(action="review").actor_label == "submitter"


def test_unsatisfied_reopens_once_then_escalates(street, people):
    demand = resolved(street, people.colleague)
    wednesday = MONDAY + timedelta(days=2)
    demand = services.review_demand(demand.tracking_code, LAST4, satisfaction=2, comment="灯还是不亮",
                                    now=wednesday)
    assert demand.state == State.REOPENED and demand.reopen_count == 1
    assert demand.due_on == date(2026, 3, 9)  # redo within 3 working days of Wednesday
    assert demand.claimed_by == people.colleague  # the same handler redoes it
    demand = services.start_demand(demand, actor=people.colleague, now=wednesday)
    demand = services.resolve_demand(demand, actor=people.colleague, resolution="更换了线路", now=wednesday)
    demand = services.review_demand(demand.tracking_code, LAST4, satisfaction=1, comment="还是不行", now=wednesday)
    assert (demand.state, demand.escalation_level, demand.region) == (State.ESCALATED, 1, street.area_a)
    assert demand.claimed_by is None
    actions = [t.action for t in demand.transitions.all()]
    assert actions == ["submit", "claim", "start", "resolve", "reopen", "start", "resolve", "escalate"]


def test_reviews_need_the_right_digits_a_valid_score_and_a_resolved_demand(street, people):
    demand = submit(street)
    with pytest.raises(NotFound):
        services.review_demand(demand.tracking_code, "9999", satisfaction=5)
    with pytest.raises(InvalidTransition):
        services.review_demand(demand.tracking_code, LAST4, satisfaction=1)  # not resolved yet
    demand = resolved(street, people.colleague)
    with pytest.raises(ValidationFailed):
        services.review_demand(demand.tracking_code, LAST4, satisfaction=6)
    assert services.access_by_tracking(demand.tracking_code, LAST4).state == State.RESOLVED
