"""Claim flow stories: a unit claims a need, the community confirms, the project runs to evaluation; a community
claims a resource and the unit confirms; scope and capacity are enforced; the global mode proposes pairs."""

import pytest
from django.urls import reverse

from gongzhi.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from gongzhi.matching import selectors, services
from gongzhi.matching.models import Initiator, NeedStatus, Project, ProjectTransition, ResourceStatus
from tests.conftest import login


def test_unit_claims_need_and_takes_it_to_evaluation(world, people):
    project = services.claim_need(world.liaison, world.need_a.pk, world.resource.pk, plan="五月两次义诊")
    assert (project.state, project.initiated_by, project.amount) == ("proposed", Initiator.PROVIDER, 4)
    with pytest.raises(Forbidden):  # the claimer cannot confirm its own claim
        services.transition(world.liaison, project.pk, "agree")
    with pytest.raises(NotFound):  # area B's secretary does not even see it
        services.transition(people.outsider, project.pk, "agree")
    services.transition(people.insider, project.pk, "agree", "欢迎")
    services.transition(world.liaison, project.pk, "start")
    services.transition(world.liaison, project.pk, "complete", beneficiaries_served=38, hours=12)
    with pytest.raises(Forbidden):  # the beneficiaries' side evaluates
        services.transition(world.liaison, project.pk, "evaluate", satisfaction=5)
    with pytest.raises(ValidationFailed):
        services.transition(people.insider, project.pk, "evaluate")
    services.transition(people.insider, project.pk, "evaluate", satisfaction=5)
    project.refresh_from_db()
    assert (project.state, project.beneficiaries_served, project.hours, project.satisfaction) == (
        "evaluated", 38, 12, 5)
    world.need_a.refresh_from_db()
    assert world.need_a.status == NeedStatus.MET
    log = list(ProjectTransition.objects.filter(project=project).values_list("to_state", "actor__username"))
    assert log == [("proposed", "liaison"), ("agreed", "insider"), ("in_progress", "liaison"),
                   ("completed", "liaison"), ("evaluated", "insider")]


def test_community_claims_resource_and_unit_confirms(world, people):
    project = services.claim_resource(people.insider, world.resource.pk, world.need_a.pk, amount=3)
    assert project.initiated_by == Initiator.COMMUNITY
    with pytest.raises(Forbidden):
        services.transition(people.insider, project.pk, "agree")
    services.transition(world.liaison, project.pk, "agree")
    assert Project.objects.get(pk=project.pk).state == "agreed"


def test_claims_respect_scope_capacity_and_duplicates(world, people):
    with pytest.raises(NotFound):  # area A's secretary cannot claim for area B's need
        services.claim_resource(people.insider, world.resource.pk, world.need_b.pk)
    with pytest.raises(Forbidden):  # a grid leader may look but not claim
        services.claim_resource(people.colleague, world.resource.pk, world.need_a.pk)
    with pytest.raises(ValidationFailed):
        services.claim_need(world.liaison, world.need_a.pk, world.resource.pk, amount=11)
    services.claim_need(world.liaison, world.need_a.pk, world.resource.pk, amount=4)
    with pytest.raises(InvalidTransition):
        services.claim_need(world.liaison, world.need_a.pk, world.resource.pk, amount=1)
    p = services.claim_need(world.liaison, world.need_b.pk, world.resource.pk, amount=6)
    assert selectors.remaining(world.resource) == 0
    services.transition(people.admin, p.pk, "agree")
    services.transition(people.admin, p.pk, "start")
    services.transition(people.admin, p.pk, "complete")
    world.resource.refresh_from_db()
    assert world.resource.status == ResourceStatus.EXHAUSTED


def test_visibility_of_the_lists(world, people):
    assert set(selectors.needs_for(people.insider)) == {world.need_a}
    assert set(selectors.needs_for(people.outsider)) == {world.need_b}
    assert set(selectors.needs_for(world.liaison)) == {world.need_a, world.need_b}  # the unit's sub-district
    # A resource serving the whole sub-district is on every area's market.
    assert list(selectors.resources_for(people.outsider)) == [world.resource]
    assert not selectors.resources_for(people.resident).exists()


def test_suggestions_explain_why(world, people, client):
    matcher = selectors.build_matcher(world.campaign)
    top = matcher.suggest_for_needs(5, [world.need_a.pk])[world.need_a.pk][0]
    assert top.resource_id == world.resource.pk and "同一街道" in top.reasons
    page = login(client, people.insider).get(reverse("matching:suggestions"))
    html = page.content.decode()
    assert page.status_code == 200 and "老人健康义诊" in html and "家庭医生义诊" in html
    assert "石库门义诊" not in html  # another area's need


def test_global_mode_proposes_and_staff_confirm(world, people, client):
    login(client, people.admin)
    response = client.post(reverse("matching:global_match", args=[world.campaign.pk]))
    assert response.status_code == 302
    proposed = Project.objects.filter(initiated_by=Initiator.MATCHER)
    assert {p.need_id for p in proposed} == {world.need_a.pk, world.need_b.pk}
    assert sum(p.amount for p in proposed) <= world.resource.capacity
    with pytest.raises(Forbidden):  # staff of the place confirm a matcher proposal, not the unit
        services.transition(world.liaison, proposed[0].pk, "agree")
    services.transition(people.admin, proposed[0].pk, "agree")
    # Fairness: the provider's load now counts against it.
    assert selectors.build_matcher(world.campaign).provider_load[world.resource.provider_key] == 2


def test_pages_walk_the_claim(world, people, client):
    login(client, world.liaison)
    detail = client.get(reverse("matching:need_detail", args=[world.need_a.pk]))
    assert "家庭医生义诊" in detail.content.decode()
    response = client.post(reverse("matching:need_claim", args=[world.need_a.pk]), {"resource": world.resource.pk})
    project = Project.objects.get()
    assert response.url == reverse("matching:project_detail", args=[project.pk])
    login(client, people.insider)
    page = client.get(response.url).content.decode()
    assert 'data-action="agree"' in page and 'data-action="evaluate"' not in page
    client.post(reverse("matching:project_transition", args=[project.pk]), {"action": "agree", "agree-action": "agree"})
    assert Project.objects.get().state == "agreed"
    client.post(reverse("matching:milestone_add", args=[project.pk]), {"title": "第一次义诊"})
    assert project.milestones.get().title == "第一次义诊"


def test_staff_run_a_campaign_through_its_stages(world, people, street, client):
    login(client, people.admin)
    response = client.post(reverse("matching:campaign_create"), {
        "name": "2027春季双向认领", "year": 2027, "season": "春季", "subdistrict": street.subdistrict.pk,
        "starts_on": "2027-03-01", "ends_on": "2027-02-01"})
    assert "ends_on" in response.context["form"].errors  # end before start: nothing saved
    client.post(reverse("matching:campaign_create"), {
        "name": "2027春季双向认领", "year": 2027, "season": "春季", "subdistrict": street.subdistrict.pk,
        "starts_on": "2027-03-01", "ends_on": "2027-06-30"})
    campaign = world.campaign.__class__.objects.get(name="2027春季双向认领")
    assert campaign.state == "published"
    with pytest.raises(Forbidden):  # an area secretary does not run the sub-district's campaign
        services.advance_campaign(people.insider, world.campaign.pk)
    for expected in ("confirming", "delivering"):
        assert services.advance_campaign(people.admin, world.campaign.pk).state == expected
    with pytest.raises(InvalidTransition):  # the claim window is over
        services.claim_need(world.liaison, world.need_a.pk, world.resource.pk)


def test_a_need_is_linked_to_the_demands_behind_it(world, people, street, client):
    from gongzhi.demands.services import submit_demand

    demand, _created = submit_demand(title="老人看病难", description="希望有义诊", channel="web",
                                     building=street.building_a1, submitter_phone="13912345678")
    login(client, people.insider)
    response = client.post(reverse("matching:need_edit", args=[world.need_a.pk]), {
        "campaign": world.campaign.pk, "code": "N-A", "title": "老人健康义诊", "category": "health",
        "source": "hot_issue", "place": street.grid_a1.pk, "beneficiaries": 40, "quantity": 4, "unit": "sessions",
        "starts_on": "2026-05-01", "ends_on": "2026-06-30", "urgency": 4, "demands": [demand.pk], "status": "open"})
    assert response.status_code == 302
    assert list(world.need_a.demands.all()) == [demand]
    assert world.need_a.history.first().history_user == people.insider


def test_claim_straight_from_the_suggestions(world, people, client):
    login(client, people.insider)
    html = client.get(reverse("matching:suggestions")).content.decode()
    claim_url = reverse("matching:resource_claim", args=[world.resource.pk])
    assert claim_url in html  # the area's staff may claim the suggested resource for their need
    client.post(claim_url, {"need": world.need_a.pk})
    project = Project.objects.get()
    assert (project.need, project.initiated_by) == (world.need_a, Initiator.COMMUNITY)
    login(client, world.liaison)
    html = client.get(reverse("matching:suggestions"), {"mode": "resources"}).content.decode()
    assert reverse("matching:need_claim", args=[world.need_b.pk]) in html
