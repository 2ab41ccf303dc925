"""The demo campaign and the results page: the page's numbers are those of the seeded rows."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongzhi.demo import run_seed
from gongzhi.matching.models import Campaign, Project, ProjectTransition, Resource
from gongzhi.matching.workflow import ProjectState
from tests.conftest import login


@pytest.fixture
def demo(db):
    return run_seed(["registry", "matching"])


def test_demo_campaign_has_every_stage_and_the_results_add_up(demo, client):
    campaign = demo.extra["matching_campaign"]
    assert Campaign.objects.count() == 2  # and a second one, open for claims (see below)
    assert 280 <= campaign.resources.count() <= 320 and 580 <= campaign.needs.count() <= 620
    assert set(Project.objects.values_list("state", flat=True)) == set(ProjectState.values)
    assert ProjectTransition.objects.count() > Project.objects.count()

    login(client, demo.users["street"])
    html = client.get(reverse("matching:results"), {"campaign": campaign.pk}).content.decode()
    live = Project.objects.exclude(state__in=["declined", "cancelled"])
    done = live.filter(state__in=["completed", "evaluated"])
    served = sum(done.values_list("beneficiaries_served", flat=True))
    unmet = campaign.needs.exclude(pk__in=done.values("need_id")).exclude(status="closed").count()

    def number(key):
        return re.search(rf'data-key="{key}">([\d.]+)', html).group(1)

    assert int(number("projects")) == live.count()
    assert int(number("completed")) == done.count()
    assert float(number("completion_rate")) == round(100 * done.count() / live.count(), 1)
    assert int(number("beneficiaries")) == served
    assert int(number("unmet_needs")) == unmet

    # An area secretary sees only the projects of the area's needs.
    secretary = demo.users["secretary1"]
    area = demo.areas[0]
    login(client, secretary)
    html = client.get(reverse("matching:results"), {"campaign": campaign.pk}).content.decode()
    assert int(number("projects")) == live.filter(need__place__path__startswith=area.path).count()

    # The Excel export carries the same numbers.
    login(client, demo.users["street"])
    response = client.get(reverse("matching:results_export"), {"campaign": campaign.pk})
    ws = load_workbook(io.BytesIO(response.content)).active
    values = {row[0]: row[1] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert values["项目数"] == live.count() and values["受益人数"] == served


def test_demo_pages_render_for_the_unit_liaison(demo, client):
    login(client, demo.users["unit1"])
    for name in ("matching:resources", "matching:needs", "matching:projects", "matching:suggestions",
                 "matching:campaigns", "matching:results"):
        assert client.get(reverse(name)).status_code == 200, name
    own = Resource.objects.filter(provider_unit__in=demo.users["unit1"].role_assignments.values("member_unit"))
    assert own.exists()
    page = client.get(reverse("matching:my_unit"), follow=True)
    assert page.status_code == 200 and own.first().title in page.content.decode()


def test_the_demo_has_a_campaign_open_for_claims(demo, client):
    """Issue 11, new-user items 3 and 16: every claim in the demo failed (its campaign was delivering). A second
    campaign opened a week before the seed and takes claims: the street claims a resource for a need."""
    from django.utils import timezone

    from gongzhi.matching import policies, services

    campaign = demo.extra["open_matching_campaign"]
    today = timezone.localdate()
    assert campaign.state == "claiming" and campaign.starts_on <= today < campaign.ends_on
    staff = demo.users["street"]
    resource = next(r for r in campaign.resources.order_by("pk") if r.ends_on >= today
                    and policies.can(staff, r, "claim"))
    need = next(n for n in campaign.needs.order_by("pk") if n.ends_on >= today and n.unit == resource.unit
                and n.starts_on <= resource.ends_on and n.ends_on >= resource.starts_on)
    project = services.claim_resource(resource, actor=staff, need=need, amount=1)
    assert project.campaign_id == campaign.pk and project.state == "proposed"
