"""Defects found by walking the demo street as each role (issue 11, "found by trying it as a new user would"):
the 超期 badge in the list, dispatches that change nothing, confirmed merges that leave a trace on both demands,
grid leaders handing demands to party members of the grid, and the members' own items page."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.errors import NothingChanged
from gongzhi.demands import services
from gongzhi.demands.models import DemandTransition
from gongzhi.demands.workflow import State
from tests.demands.conftest import submit

QUEUE = reverse("demands:queue")


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)] or [
        str(m) for m in response.context.get("messages", [])]


def act(client, demand, action, **data):
    return client.post(reverse("demands:act", args=[demand.pk, action]), data, follow=True)


# --- 14: overdue demands carry a 超期 badge in the main list -------------------------------------------------

def test_an_overdue_demand_carries_the_badge_in_the_queue_before_the_hourly_check(client, people, street):
    late = submit(street, title="早就该修的灯", now=timezone.now() - timedelta(days=30))
    fresh = submit(street, title="今天的新诉求", now=timezone.now())
    late.refresh_from_db()
    assert not late.is_overdue  # the hourly check has not run
    client.force_login(people.colleague)
    html = client.get(QUEUE).content.decode()
    rows = {d.pk: html[html.index(f">{d.tracking_code}<"):] for d in (late, fresh)}
    late_row = rows[late.pk][:rows[late.pk].index("</tr>")]
    fresh_row = rows[fresh.pk][:rows[fresh.pk].index("</tr>")]
    assert "超期" in late_row and "超期" not in fresh_row


# --- 6: a dispatch or an edit that changes nothing says so and writes nothing ------------------------------

def _writes(demand) -> tuple[int, int]:
    return DemandTransition.objects.filter(demand=demand).count(), demand.history.count()


def test_a_dispatch_that_changes_nothing_says_so_and_writes_nothing(client, people, street):
    demand = submit(street)
    client.force_login(people.insider)
    act(client, demand, "assign", assignee=people.colleague.pk)
    before = _writes(demand)
    response = act(client, demand, "assign", assignee=people.colleague.pk)
    assert any("没有变化" in t for t in texts(response))
    assert _writes(demand) == before
    # the same for the bulk form and for routing to the grid it is on
    response = client.post(reverse("demands:bulk_assign"), {"ids": [demand.pk], "assignee": people.colleague.pk},
                           follow=True)
    assert any("没有变化" in t for t in texts(response)) and _writes(demand) == before
    other = submit(street)
    services.route_demand(other, actor=people.insider, grid_id=street.grid_a2.pk)
    before = _writes(other)
    with pytest.raises(NothingChanged):
        services.route_demand(other, actor=people.insider, grid_id=street.grid_a2.pk)
    with pytest.raises(NothingChanged):
        services.set_category(other, actor=people.insider, category_id=None)
    assert _writes(other) == before


# --- 5: a merge asks first, then both demands show it --------------------------------------------------------

def test_a_merge_asks_first_then_both_pages_show_it(client, people, street):
    original = submit(street, title="3号楼电梯停运")
    duplicate = submit(street, title="3号楼电梯又停了", submitter_phone="13700002222")
    services.add_support(duplicate, verified_phone="13600004444")
    client.force_login(people.insider)
    url = reverse("demands:act", args=[duplicate.pk, "merge"])
    response = client.post(url, {"tracking_code": original.tracking_code, "note": "同一部电梯"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="merge-confirm"' in html  # the confirmation page
    assert original.tracking_code in html and duplicate.tracking_code in html and 'name="confirmed"' in html
    duplicate.refresh_from_db()
    assert duplicate.state == State.SUBMITTED and not duplicate.merged_into_id  # nothing merged yet

    response = client.post(url, {"tracking_code": original.tracking_code, "note": "同一部电梯", "confirmed": "1"},
                           follow=True)
    # afterwards the page shows the merged state (the duplicate's page, fresh)
    assert response.redirect_chain[-1][0] == reverse("demands:detail", args=[duplicate.pk])
    html = response.content.decode()
    assert "已合并" in html and original.tracking_code in html
    assert response.context["actions"] == []
    # the target lists what it took in, counts the supporters (and the duplicate's submitter) as 我也遇到
    target = client.get(reverse("demands:detail", args=[original.pk]))
    assert [d.pk for d in target.context["info"].merged] == [duplicate.pk]
    assert duplicate.tracking_code in target.content.decode().split('id="merged-demands"')[1]
    original.refresh_from_db()
    assert original.support_count == 2
    # both timelines record it, through the workflow's transition records
    assert [(t.action, t.to_state) for t in original.transitions.all()][-1] == ("merge", State.SUBMITTED)
    assert original.transitions.last().extra == {"merged": duplicate.tracking_code}
    assert (duplicate.transitions.last().action, duplicate.transitions.last().to_state) == ("merge", State.MERGED)


# --- 10: a grid leader hands a demand to a party member of the grid ------------------------------------------

def test_a_grid_leader_hands_a_demand_to_a_party_member_who_opens_and_works_it(client, people, street):
    from gongzhi.accounts.roles import Role
    from gongzhi.core.errors import ValidationFailed
    from tests import factories

    member = factories.user("member_a1", Role.PARTY_MEMBER, street.grid_a1, display_name="张梧桐")
    factories.party_member(street.org_a, user=member, grid=street.grid_a1, name="张梧桐")
    elsewhere = factories.user("member_b1", Role.PARTY_MEMBER, street.grid_b1, display_name="李石库")
    factories.party_member(street.org_b, user=elsewhere, grid=street.grid_b1, name="李石库")
    demand = submit(street)
    detail = reverse("demands:detail", args=[demand.pk])

    client.force_login(member)
    assert client.get(detail).status_code == 200  # on the board of the grid while new and unassigned
    client.force_login(people.colleague)  # the grid leader of grid A1: the member is offered on the demand page
    offered = client.get(detail).context["actions"][0]["form"].fields["assignee"]
    assert member in offered.queryset and elsewhere not in offered.queryset
    assert "党员" in offered.label_from_instance(member) or "party member" in offered.label_from_instance(member)
    # policy and service: a member of another grid is refused like anyone who cannot take it on
    with pytest.raises(ValidationFailed):
        services.assign_demand(demand, actor=people.colleague, assignee_id=elsewhere.pk)
    act(client, demand, "assign", assignee=member.pk, note="请张梧桐跟进")
    demand.refresh_from_db()
    assert (demand.state, demand.assignee) == (State.ASSIGNED, member)

    client.force_login(member)  # the member opens it, claims it and works it
    page = client.get(detail)
    assert page.status_code == 200 and page.context["info"].actions[:1] == ["claim"]
    act(client, demand, "claim", promise="明天上午去看")
    act(client, demand, "start")
    demand.refresh_from_db()
    assert (demand.state, demand.claimed_by) == (State.IN_PROGRESS, member)
    # 我的事项 lists it with a link, and the claim board's list of claims links to it too
    html = client.get(reverse("demands:my_items")).content.decode()
    assert f'href="{detail}"' in html.split('id="my-claims"')[1]
    other = submit(street, title="另一件事")
    services.assign_demand(other, actor=people.colleague, assignee_id=member.pk)
    html = client.get(reverse("demands:my_items")).content.decode()
    assert f'href="{reverse("demands:detail", args=[other.pk])}"' in html.split('id="assigned"')[1]
    board = client.get(reverse("demands:claim_board")).content.decode()
    assert f'href="{detail}"' in board.split('id="claimed"')[1]
