"""Deadlines in working days, extensions with approval, and the periodic overdue job with a frozen clock."""

from datetime import date, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command

from gongzhi.core.errors import NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands import selectors, services
from gongzhi.demands.models import (
    CalendarDay,
    Category,
    DeadlinePolicy,
    Demand,
    ExtensionStatus,
    Kind,
    Priority,
)
from gongzhi.demands.tasks import check_overdue_demands
from gongzhi.demands.workflow import State
from tests.demands.conftest import MONDAY, submit

WEDNESDAY = MONDAY + timedelta(days=2)


def test_default_limits_follow_hotline_practice(street):
    help_request = submit(street)
    assert (help_request.response_due_on, help_request.due_on) == (date(2026, 3, 3), date(2026, 3, 9))
    consultation = submit(street, kind=Kind.CONSULTATION)
    assert consultation.due_on == date(2026, 3, 3)


def test_holidays_push_deadlines(street):
    CalendarDay.objects.create(date=date(2026, 3, 3), is_working=False, note="假日")
    CalendarDay.objects.create(date=date(2026, 3, 7), is_working=True, note="调休")
    demand = submit(street)
    assert demand.response_due_on == date(2026, 3, 4)
    assert demand.due_on == date(2026, 3, 9)  # Mar 4, 5, 6, 7 (make-up Saturday), 9


def test_the_most_specific_policy_wins(street):
    lights = Category.objects.get(code="street_lights", subdistrict=None)
    DeadlinePolicy.objects.create(category=lights.parent, resolution_days=4)
    DeadlinePolicy.objects.create(category=lights, priority=Priority.URGENT, resolution_days=2)
    assert submit(street, category=lights, priority=Priority.URGENT).due_on == date(2026, 3, 4)
    assert submit(street, category=lights).due_on == date(2026, 3, 6)
    assert services.deadline_limits(None, Kind.COMPLAINT, Priority.NORMAL) == (1, 5)


def test_an_unanswered_demand_is_escalated_by_the_overdue_job(street, people):
    demand = submit(street)
    assert services.check_overdue(now=MONDAY + timedelta(days=1)) == []  # Tuesday: still in time
    assert services.check_overdue(now=WEDNESDAY) == [demand.pk]  # no first response by Tuesday
    demand.refresh_from_db()
    assert (demand.state, demand.escalation_level, demand.region) == (State.ESCALATED, 1, street.area_a)
    assert demand.is_overdue and demand.due_on == date(2026, 3, 11)
    entry = demand.transitions.last()
    assert entry.actor is None and entry.actor_label == "system" and entry.note.startswith(("Overdue", "超期"))
    assert services.check_overdue(now=WEDNESDAY) == []  # once per missed deadline
    assert demand in selectors.overdue_demands(people.insider, today=date(2026, 3, 12))


def test_the_job_runs_as_a_task_and_as_a_command_with_the_clock_frozen(street):
    demand = submit(street)
    services.claim_demand(demand, actor=SYSTEM)  # responded in time, but never resolved
    with mock.patch("django.utils.timezone.now", return_value=MONDAY + timedelta(days=8)):  # Tuesday Mar 10
        assert check_overdue_demands.call() == 1
        out = StringIO()
        call_command("check_overdue", stdout=out)
        assert "0 overdue" in out.getvalue()
        assert check_overdue_demands.enqueue().return_value == 0
    assert Demand.objects.get(pk=demand.pk).escalation_level == 1


def test_the_overdue_job_never_escalates_past_the_sub_district(street):
    demand = submit(street)
    day = MONDAY
    for _round in range(6):  # every missed deadline, for months: one tier at a time, and no higher than level 2
        day += timedelta(days=30)
        services.check_overdue(now=day)
        demand.refresh_from_db()
        assert demand.escalation_level <= 2 and demand.state in (State.SUBMITTED, State.ESCALATED)
    assert (demand.escalation_level, demand.region, demand.is_overdue) == (2, street.subdistrict, True)
    assert list(demand.transitions.filter(action="escalate").values_list("escalation_level", flat=True)) == [1, 2]
    assert not demand.transitions.filter(action="refer").exists()


def test_a_referred_demand_is_marked_once_but_not_moved(street, people):
    demand = services.refer_demand(submit(street), actor=people.admin, note="涉及多个区级部门", now=MONDAY)
    later = MONDAY + timedelta(days=30)
    assert services.check_overdue(now=later) == [demand.pk]
    assert services.check_overdue(now=later + timedelta(days=1)) == []
    demand.refresh_from_db()
    assert demand.is_overdue and demand.state == State.ESCALATED and demand.escalation_level == 3


def test_extensions_need_approval_and_stop_at_fifteen_working_days(street, people):
    demand = services.claim_demand(submit(street), actor=people.colleague)
    with pytest.raises(ValidationFailed):
        services.request_extension(demand, actor=people.colleague, days=11, reason="复杂")  # 5 + 11 > 15
    ext = services.request_extension(demand, actor=people.colleague, days=5, reason="需要物业维修基金")
    with pytest.raises(NotFound):
        services.decide_extension(ext, actor=people.insider, approve=True)  # area secretaries do not approve
    assert list(selectors.pending_extensions(people.admin)) == [ext]
    ext = services.decide_extension(ext, actor=people.admin, approve=True, note="同意")
    assert ext.status == ExtensionStatus.APPROVED
    assert Demand.objects.get(pk=demand.pk).due_on == date(2026, 3, 16)


def test_escalating_keeps_an_approved_extension(street, people):
    """Issue 11 (walk-through 2): escalating used to put the due date back before an approved extension."""
    demand = services.claim_demand(submit(street), actor=people.colleague)
    ext = services.request_extension(demand, actor=people.colleague, days=5, reason="需要物业维修基金")
    services.decide_extension(ext, actor=people.admin, approve=True)
    extended = Demand.objects.get(pk=demand.pk).due_on
    demand = services.escalate_demand(demand, actor=people.colleague, note="需要居民区协调")
    assert demand.escalation_level == 1 and demand.due_on >= extended
    steps = list(demand.transitions.values_list("action", flat=True))
    assert steps[-2:] == ["extend", "escalate"]  # the decision is on the timeline, logged like every action
