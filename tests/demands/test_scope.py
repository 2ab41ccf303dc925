"""Who sees which demands: scoped queues and details; personal data masked without the capability."""

import pytest

from gongzhi.accounts.roles import Capability, Role
from gongzhi.accounts.scope import scope_for
from gongzhi.core.audit import history_rows
from gongzhi.core.errors import NotFound, ValidationFailed
from gongzhi.demands import selectors, services
from gongzhi.demands.forms import QueueFilterForm
from gongzhi.demands.models import Category, Channel
from gongzhi.demands.workflow import State
from gongzhi.registry.models import RegionKind
from tests import factories
from tests.demands.conftest import PHONE, submit


def test_outsider_sees_none_of_the_insiders_demands(street, people):
    mine = submit(street)
    theirs = submit(street, building=street.building_b1)
    assert set(selectors.demands_for(people.insider)) == {mine}
    assert set(selectors.demands_for(people.outsider)) == {theirs}
    assert set(selectors.demands_for(people.admin)) == {mine, theirs}
    assert not selectors.demands_for(people.resident).exists()
    with pytest.raises(NotFound) as hidden:
        selectors.demand_detail(people.outsider, mine.pk)
    with pytest.raises(NotFound) as missing:
        selectors.demand_detail(people.outsider, 999999)
    assert hidden.value.message == missing.value.message


def test_unrouted_demands_belong_to_the_sub_district(street, people):
    demand = submit(street, subdistrict=street.subdistrict, address="某处")
    assert demand in selectors.demands_for(people.admin)
    assert demand in selectors.demands_for(people.admin, {"unrouted": True})
    assert not selectors.demands_for(people.insider).exists()


def test_a_superuser_sees_everything(street):
    demand = submit(street, building=street.building_b1)
    root = factories.user("root", is_superuser=True)
    assert list(selectors.demands_for(root)) == [demand]


def test_filters_narrow_the_queue(street, people):
    a = submit(street, title="噪声扰民", channel=Channel.PHONE)
    b = submit(street, title="垃圾满溢")
    services.assign_demand(b, actor=people.colleague, assignee_id=people.colleague.pk)
    assert list(selectors.demands_for(people.insider, {"q": "噪声"})) == [a]
    assert list(selectors.demands_for(people.insider, {"channel": Channel.PHONE})) == [a]
    assert list(selectors.demands_for(people.insider, {"state": "assigned"})) == [b]
    assert list(selectors.demands_for(people.colleague, {"mine": True})) == [b]


def test_detail_masks_personal_data_without_the_capability(street, people):
    demand = submit(street)
    grid_view = selectors.demand_detail(people.colleague, demand.pk)
    assert grid_view.phone == "139****5678" and grid_view.name == "王**"
    secretary_view = selectors.demand_detail(people.insider, demand.pk)
    assert secretary_view.phone == PHONE
    assert [t.action for t in secretary_view.timeline] == ["submit"]
    assert "assign" in secretary_view.actions


def test_a_person_who_cannot_handle_the_demand_in_its_scope_cannot_be_assigned(street, people):
    """Issue 11 (security 10): an area-A dispatcher cannot hand a demand to area B's people, and a missing user
    gets the very same answer as a forbidden one (no user enumeration)."""
    handler = factories.user("teamhandler", Role.GRID_LEADER, street.grid_b1)
    demand = submit(street)
    answers = []
    for assignee_id in (handler.pk, 987654):
        with pytest.raises(ValidationFailed) as err:
            services.assign_demand(demand, actor=people.insider, assignee_id=assignee_id)
        answers.append((err.value.message, err.value.field_errors))
    assert answers[0] == answers[1] and "assignee" in answers[0][1]
    demand.refresh_from_db()
    assert demand.state == State.SUBMITTED and demand.assignee is None
    assert list(selectors.demands_for(handler)) == []


def test_the_audit_trail_shows_demand_changes_within_scope(street, people):
    demand = services.assign_demand(submit(street), actor=people.colleague, assignee_id=people.colleague.pk)
    rows = history_rows(scope_for(people.admin, Capability.VIEW_AUDIT), model_label="demands.Demand")
    assert [r.record.state for r in rows] == ["assigned", "submitted"]
    assert rows[0].record.history_user == people.colleague
    # read for an inspector: the field's verbose name and the states' labels (tests/core/test_audit.py has more)
    assert {"field": "state", "label": "状态", "old": str(State.SUBMITTED.label), "new": str(State.ASSIGNED.label)} \
        in rows[0].changes
    assert demand.history.count() == 2


def test_the_queue_filter_offers_the_categories_of_the_users_own_sub_districts(street, people):
    other = factories.region(RegionKind.SUBDISTRICT, street.district, name="别的街道")
    theirs = Category.objects.create(subdistrict=other, code="their_own", name="别的街道的类别")
    ours = Category.objects.create(subdistrict=street.subdistrict, code="our_own", name="本街道的类别")
    for user in (people.insider, people.colleague, people.admin):
        offered = {label for _value, label in QueueFilterForm(user=user).fields["category"].choices}
        assert ours.name in offered and theirs.name not in offered
        assert Category.objects.filter(subdistrict=None, parent=None).first().name in offered  # the default
