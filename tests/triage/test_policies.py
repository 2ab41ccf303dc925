"""One policy decides who may do what in triage: the services refuse through it and the pages follow it."""

import pytest
from django.urls import reverse

from gongzhi.accounts.models import RoleAssignment
from gongzhi.accounts.roles import Role
from gongzhi.core.errors import Forbidden, NotFound
from gongzhi.core.workflow import SYSTEM
from gongzhi.triage import policies, services
from tests import factories
from tests.conftest import login
from tests.triage.conftest import category, submit

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_actions_follow_role_and_scope(street, people):
    demand = submit(street)  # in grid A1
    assert policies.actions(people.insider, None) == {"queue", "insights"}
    assert policies.actions(people.colleague, None) == {"queue", "insights"}
    assert policies.actions(people.resident, None) == set()
    assert policies.actions(people.insider, demand) == {"decide", "merge"}
    assert policies.actions(people.colleague, demand) == {"decide", "merge"}  # grid A1's leader
    assert policies.actions(people.outsider, demand) == set()
    assert policies.actions(people.resident, demand) == set()
    assert policies.actions(SYSTEM, demand) == {"decide", "merge"}


def test_services_refuse_through_the_policy(street, people, monkeypatch):
    demand = submit(street)
    with pytest.raises(NotFound):  # out of scope looks missing
        services.decide(demand, people.outsider, category("street_lights"))
    monkeypatch.setattr(policies, "can", lambda actor, subject, action: False)
    with pytest.raises(Forbidden):
        services.decide(demand, people.insider, category("street_lights"))
    demand.refresh_from_db()
    assert demand.category is None


def test_the_merge_button_needs_the_right_on_this_demand(client, street, people):
    # A district viewer who also leads grid B1: sees area A's demands, may dispatch only in grid B1.
    viewer = factories.user("viewer", Role.DISTRICT_VIEWER, street.district)
    RoleAssignment.objects.create(user=viewer, role=Role.GRID_LEADER, region=street.grid_b1)
    original = submit(street, "3号楼电梯停运", "3号楼电梯从昨天起停运，老人上下楼很困难")
    copy = submit(street, "3号楼电梯又停了", "3号楼电梯从昨天开始停运，老人上下楼困难")
    merge = reverse("demands:act", args=[copy.pk, "merge"])  # the one merge path (it asks for confirmation)
    fragment = reverse("triage:demand_duplicates", args=[copy.pk])
    response = login(client, viewer).get(fragment, **HTMX)
    assert response.context["rows"] and merge not in response.content.decode()
    client.post(merge, {"tracking_code": original.tracking_code, "confirmed": "1"})  # refused: nothing merged
    copy.refresh_from_db()
    assert copy.merged_into is None
    assert merge in login(client, people.colleague).get(fragment, **HTMX).content.decode()
    # the queue is for dispatchers only
    assert login(client, people.resident).get(reverse("triage:queue")).status_code == 403
