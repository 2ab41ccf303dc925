"""One policy decides who may do what, and pages, the API and the services all follow it: the API's `actions` are
this user's, claiming is offered only where a claim would be taken, need and resource statuses change through
their workflows (logged, by a user or the system), and no admin form edits a state."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from gongzhi.accounts import services as account_services
from gongzhi.core.errors import Forbidden, InvalidTransition
from gongzhi.core.workflow import SYSTEM
from gongzhi.matching import policies, services
from gongzhi.matching.models import Campaign, Need, NeedTransition, Project, Resource, ResourceTransition
from tests import factories
from tests.conftest import login


def _api(client, user):
    _, key = account_services.issue_token(user, actor=user, name=f"t{user.pk}")

    def get(path):
        return client.get(f"/api/v1/matching{path}", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    return get


def test_the_api_lists_the_actions_of_the_calling_user(world, people, client):
    project = services.claim_need(world.need_a, actor=world.liaison, resource=world.resource)
    as_liaison, as_insider = _api(client, world.liaison), _api(client, people.insider)
    assert as_liaison(f"/projects/{project.pk}")["actions"] == []  # a claimer does not confirm its own claim
    assert as_insider(f"/projects/{project.pk}")["actions"] == ["agree", "decline"]
    services.transition_project(project, "agree", actor=people.insider)
    assert as_liaison(f"/projects/{project.pk}")["actions"] == ["start", "cancel"]
    assert [p["actions"] for p in as_insider("/projects")["items"]] == [["start", "cancel"]]
    # The provider and the staff of the unit's place may withdraw the resource; another area's staff may not.
    assert as_liaison(f"/resources/{world.resource.pk}")["actions"] == ["withdraw"]
    assert _api(client, people.outsider)(f"/resources/{world.resource.pk}")["actions"] == []
    assert as_insider(f"/needs/{world.need_a.pk}")["actions"] == ["close"]  # "meet" is the system's alone


def test_claiming_is_offered_only_where_a_claim_would_be_taken(world, people, client):
    need_url = reverse("matching:need_detail", args=[world.need_a.pk])
    resource_url = reverse("matching:resource_detail", args=[world.resource.pk])
    login(client, world.liaison)
    assert 'id="claim-form"' in client.get(need_url).content.decode()
    login(client, people.insider)
    assert reverse("matching:resource_claim", args=[world.resource.pk]) in client.get(resource_url).content.decode()

    # The resource's availability is over: nobody is offered its claim, and the service refuses it.
    Resource.objects.filter(pk=world.resource.pk).update(ends_on=date.today() - timedelta(days=1))
    assert reverse("matching:resource_claim", args=[world.resource.pk]) not in client.get(resource_url).content.decode()
    assert reverse("matching:resource_claim", args=[world.resource.pk]) not in client.get(
        reverse("matching:suggestions")).content.decode()
    with pytest.raises(InvalidTransition):
        services.claim_resource(world.resource, actor=people.insider, need=world.need_a)

    # The campaign's claim window is over: the need's claim form goes too (it used to stay while the need was open).
    Resource.objects.filter(pk=world.resource.pk).update(ends_on=date.today() + timedelta(days=30))
    Campaign.objects.filter(pk=world.campaign.pk).update(state="delivering")
    login(client, world.liaison)
    assert 'id="claim-form"' not in client.get(need_url).content.decode()
    assert not policies.can(world.liaison, Need.objects.get(pk=world.need_a.pk), policies.CLAIM)


def test_need_and_resource_statuses_change_through_their_workflows(world, people, client):
    need_status = reverse("matching:need_transition", args=[world.need_a.pk])
    login(client, people.outsider)
    assert client.post(need_status, {"action": "close"}).status_code == 404  # another area's need
    login(client, world.liaison)
    assert client.post(need_status, {"action": "close"}).status_code == 403  # not the need's community
    login(client, people.insider)
    page = client.get(reverse("matching:need_detail", args=[world.need_a.pk])).content.decode()
    assert 'data-action="close"' in page and 'data-action="meet"' not in page
    client.post(need_status, {"action": "close", "note": "与其他需求重复"})
    assert Need.objects.get(pk=world.need_a.pk).status == "closed"
    row = NeedTransition.objects.get(need=world.need_a)
    assert (row.action, row.from_state, row.to_state, row.actor, row.note) == (
        "close", "open", "closed", people.insider, "与其他需求重复")
    assert "与其他需求重复" in client.get(reverse("matching:need_detail", args=[world.need_a.pk])).content.decode()
    with pytest.raises(Forbidden):  # a user never takes the system's steps
        services.transition_need(world.need_b, "meet", actor=people.admin)

    # The edit form no longer carries the status: posting one changes nothing.
    response = client.post(reverse("matching:need_edit", args=[world.need_a.pk]), {
        "campaign": world.campaign.pk, "code": "N-A", "title": "老人健康义诊", "category": "health",
        "source": "residential_area", "place": world.need_a.place_id, "beneficiaries": 40, "quantity": 4,
        "unit": "sessions", "starts_on": "2026-05-01", "ends_on": "2026-06-30", "urgency": 4, "status": "open"})
    assert response.status_code == 302 and Need.objects.get(pk=world.need_a.pk).status == "closed"

    login(client, world.liaison)
    client.post(reverse("matching:resource_transition", args=[world.resource.pk]), {"action": "withdraw"})
    services.transition_resource(world.resource, "reopen", actor=world.liaison)
    assert list(ResourceTransition.objects.filter(resource=world.resource).values_list("action", "actor")) == [
        ("withdraw", world.liaison.pk), ("reopen", world.liaison.pk)]


def test_what_follows_from_a_project_is_done_and_logged_by_the_system(world, people):
    first = services.claim_need(world.need_a, actor=world.liaison, resource=world.resource, amount=4)
    second = services.claim_need(world.need_b, actor=world.liaison, resource=world.resource, amount=6)
    services.transition_project(second, "decline", actor=people.admin, note="时间冲突")  # capacity freed
    for action in ("agree", "start", "complete"):
        services.transition_project(first, action, actor=people.admin)
    steps = list(ResourceTransition.objects.filter(resource=world.resource).values_list(
        "action", "actor_label", "extra"))
    assert steps == [("exhaust", "system", {"project": second.pk}), ("replenish", "system", {"project": second.pk})]
    row = NeedTransition.objects.get(need=world.need_a)
    assert (row.action, row.actor, row.actor_label, row.extra) == ("meet", None, "system", {"project": first.pk})
    assert row.actor_name == "系统"


def test_services_refuse_without_an_explicit_actor_and_system_may_act(world):
    with pytest.raises(TypeError):
        services.advance_campaign(world.campaign, actor=None)
    assert services.advance_campaign(world.campaign, actor=SYSTEM).state == "confirming"
    assert world.campaign.transitions.get().actor_label == "system"


def test_no_admin_form_edits_a_state(world, people, client):
    project = Project.objects.create(campaign=world.campaign, need=world.need_a, resource=world.resource, title="义诊",
                                     initiated_by="provider")
    client.force_login(factories.user("root", is_superuser=True, is_staff=True))
    for name, obj, field in (("project", project, "state"), ("campaign", world.campaign, "state"),
                             ("need", world.need_a, "status"), ("resource", world.resource, "status")):
        page = client.get(reverse(f"admin:matching_{name}_change", args=[obj.pk]))
        assert page.status_code == 200
        assert f'name="{field}"' not in page.content.decode(), name
    services.transition_project(project, "agree", actor=people.admin)
    row = project.transitions.get()
    assert client.get(reverse("admin:matching_projecttransition_change", args=[row.pk])).status_code == 200
    assert client.post(reverse("admin:matching_projecttransition_delete", args=[row.pk]), {"post": "yes"}
                       ).status_code == 403
    assert client.get(reverse("admin:matching_needtransition_add")).status_code == 403
